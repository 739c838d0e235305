/**
 * The operator's token, kept for this tab only (sessionStorage): closing the tab logs out, which
 * is what a shared venue phone needs.
 */
const KEY = 'wavecast.operatorToken';

export function savedToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
