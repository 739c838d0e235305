/**
 * Finds the native `lame` executable on PATH, once: `createMp3Encoder` asks on every stream
 * start and the answer does not change while the server runs.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

let cached: { path: string | undefined } | undefined;

/**
 * The absolute path of `lame` (or `lame.exe` on Windows) on PATH, or undefined when absent.
 * Searched synchronously on the first call; later calls return the cached answer.
 */
export function findLameBinary(): string | undefined {
  cached ??= { path: searchPath(process.platform === 'win32' ? ['lame.exe', 'lame'] : ['lame']) };
  return cached.path;
}

function searchPath(names: readonly string[]): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Missing or not executable: keep searching, as the shell would.
      }
    }
  }
  return undefined;
}
