/**
 * Entry file of wavecast's worker threads (worker-thread.ts starts them). A Worker started from a
 * tsx-run process does not inherit tsx's loader, so a .ts entry would fail with
 * ERR_UNKNOWN_FILE_EXTENSION; this plain JavaScript file loads the real entry (workerData.entry)
 * through tsx's API instead.
 */
import { workerData } from 'node:worker_threads';

const { entry } = workerData;
if (new URL(entry).pathname.endsWith('.ts')) {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport(entry, import.meta.url);
} else {
  await import(entry);
}
