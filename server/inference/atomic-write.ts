/**
 * Writes a file so that readers see either the old content or the complete new one, never a
 * half-written file: the bytes go to a temporary name beside the target, are flushed to disk,
 * and the temporary file is renamed over the target (rename is atomic within one filesystem).
 * A write that fails (a full disk) removes its temporary file and says which file it was writing.
 */
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

/**
 * How bytes reach a file: `writeAndSync` (node:fs) in production. Publishing takes another, so
 * tests can make a disk fill at any file.
 */
export type FileWriter = (file: string, bytes: Uint8Array | string) => Promise<void>;

/** Creates (or truncates) `file`, writes `bytes` and flushes them to disk. */
export const writeAndSync: FileWriter = async (file, bytes) => {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** A temporary name beside `file`, unique per process and call. */
export function temporaryName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * Writes `bytes` to a temporary file beside `file` and returns its name (not yet renamed).
 * @throws Error with the cause's `code` (ENOSPC, EACCES…) and a message naming `file`; nothing is left behind
 */
export async function writeTemporary(file: string, bytes: Uint8Array | string, write: FileWriter = writeAndSync): Promise<string> {
  const temporary = temporaryName(file);
  try {
    await write(temporary, bytes);
  } catch (error) {
    await rm(temporary, { force: true });
    throw namingFile(error, file);
  }
  return temporary;
}

/** Writes `bytes` to `file` atomically (temporary file, flush, rename). */
export async function writeFileAtomic(file: string, bytes: Uint8Array | string, write: FileWriter = writeAndSync): Promise<void> {
  const temporary = await writeTemporary(file, bytes, write);
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** A write error as it reaches a person: "cannot write <file>: ENOSPC: no space left on device, write", its code kept. */
function namingFile(error: unknown, file: string): Error {
  const cause = error as NodeJS.ErrnoException;
  if (typeof cause?.message !== 'string' || cause.message.includes(file)) return cause;
  const named: NodeJS.ErrnoException = new Error(`cannot write ${file}: ${cause.message}`, { cause });
  if (cause.code !== undefined) named.code = cause.code;
  named.path = file;
  return named;
}
