/**
 * The generator worker thread: builds the engine WorkerGenerator asked for (createGenerator, on
 * this thread) and answers its requests. Inference here blocks only this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createGenerator } from './create-generator.js';
import type { GeneratorWorkerData, WorkerRequest, WorkerResponse } from './worker-protocol.js';
import { serializeError } from '../core/serialized-error.js';

const port = parentPort;
if (!port) throw new Error('generator-worker.ts must run in a worker thread (see WorkerGenerator)');

const { options } = (workerData as { data: GeneratorWorkerData }).data;
const generator = createGenerator(options);

port.on('message', (request: WorkerRequest) => {
  void answer(request).then(
    ({ response, transfer }) => port.postMessage(response, transfer),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: serializeError(error) } satisfies WorkerResponse),
  );
});

async function answer(request: WorkerRequest): Promise<{ response: WorkerResponse; transfer: ArrayBuffer[] }> {
  switch (request.type) {
    case 'initialize':
      await generator.initialize();
      return { response: { id: request.id, ok: true, info: generator.info, engine: generator.engine }, transfer: [] };
    case 'generate': {
      const latentDim = generator.info.inputSize;
      const latents = Array.from({ length: request.batch }, (_, i) =>
        request.latents.subarray(i * latentDim, (i + 1) * latentDim),
      );
      const clips = await generator.generate(latents);
      // Hand the clips' memory to the main thread instead of copying it.
      const transfer = [...new Set(clips.map((clip) => clip.buffer as ArrayBuffer))];
      return { response: { id: request.id, ok: true, clips }, transfer };
    }
    case 'dispose':
      await generator.dispose();
      return { response: { id: request.id, ok: true }, transfer: [] };
  }
}
