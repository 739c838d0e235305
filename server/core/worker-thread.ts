/**
 * Starting a worker thread on a TypeScript module. A Worker started from a tsx-run process does
 * not inherit tsx's loader, so its entry goes through worker-boot.mjs, which imports the real
 * entry through tsx when it is .ts (source runs) and directly when it is .js (a compiled build).
 */
import { Worker } from 'node:worker_threads';

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

/**
 * The URL of module `name` (without extension) beside `base` (a module's import.meta.url), as
 * this build has it: `.ts` under tsx, `.js` when compiled.
 */
export function siblingModule(base: string, name: string): string {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base).href;
}

/** Starts a worker thread running module `entry` (a URL); `data` reaches it as workerData.data. */
export function startWorker(entry: string, data: unknown): Worker {
  return new Worker(BOOT, { workerData: { entry, data } });
}
