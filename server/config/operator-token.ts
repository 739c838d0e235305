/**
 * The operator's token, kept across restarts: OPERATOR_TOKEN when set; else the token saved in a
 * file beside the config (`config/operator-token`, mode 0600, readable by the server's user
 * only); else a fresh one, saved there. A panel that once held the token keeps working after a
 * restart, and a person can always find it (or change it) in one place.
 */
import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { WavecastError } from '../core/errors.js';

export interface OperatorToken {
  token: string;
  /** Where it came from: the environment, the saved file, or made now (and saved). */
  source: 'environment' | 'file' | 'generated';
  /** The file it is saved in (file, generated). */
  file?: string;
}

/** A fresh token: 24 random bytes, URL-safe. */
export function generateOperatorToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * @param fromEnvironment OPERATOR_TOKEN, if set
 * @param file where a token is saved and read (none: a generated token lives only in memory)
 * @throws WavecastError WAVECAST_ERR_CONFIG when the file cannot be read or written, naming it
 */
export async function resolveOperatorToken(fromEnvironment: string | undefined, file: string | undefined): Promise<OperatorToken> {
  if (fromEnvironment !== undefined) return { token: fromEnvironment, source: 'environment' };
  if (file === undefined) return { token: generateOperatorToken(), source: 'generated' };
  const saved = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: cannot read the operator token (${error.code ?? error.message})`);
    },
  );
  if (saved) {
    // Others must not read it: put the mode back if someone loosened it.
    if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
    return { token: saved, source: 'file', file };
  }
  const token = generateOperatorToken();
  await writePrivateFile(file, `${token}\n`).catch((error: NodeJS.ErrnoException) => {
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: cannot save the operator token (${error.code ?? error.message}); set OPERATOR_TOKEN instead`);
  });
  return { token, source: 'generated', file };
}

/** Writes `text` to a temporary file created with mode 0600, then renames it over `file`. */
async function writePrivateFile(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
