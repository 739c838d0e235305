/**
 * Writes a file so that readers see either the old content or the complete new one, never a
 * half-written file: the bytes go to a temporary name beside the target, are flushed to disk,
 * and the temporary file is renamed over the target (rename is atomic within one filesystem).
 */
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

/** A temporary name beside `file`, unique per process and call. */
export function temporaryName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Writes `bytes` to a temporary file beside `file` and returns its name (not yet renamed). */
export async function writeTemporary(file: string, bytes: Uint8Array | string): Promise<string> {
  const temporary = temporaryName(file);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  return temporary;
}

/** Writes `bytes` to `file` atomically (temporary file, flush, rename). */
export async function writeFileAtomic(file: string, bytes: Uint8Array | string): Promise<void> {
  const temporary = await writeTemporary(file, bytes);
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
