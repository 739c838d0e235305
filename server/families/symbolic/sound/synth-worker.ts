/**
 * A synth worker thread: it holds the NoteSynths of the channels the pool placed on it and
 * renders for them, so synthesis never runs on the server's event loop. Sound banks load once
 * per worker and are shared by its synths.
 */
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../../../core/serialized-error.js';
import { logger } from '../../../core/logger.js';
import { NoteSynth } from './note-synth.js';
import { loadSoundBank, SOUND_BANKS } from './sound-banks.js';
import type { SynthRequest, SynthResponse } from './synth-protocol.js';

const port = parentPort;
if (!port) throw new Error('synth-worker.ts must run in a worker thread (see SynthPool)');

const synths = new Map<number, Promise<NoteSynth>>();

// Every bank loads now, in the background, so a channel switching presets later never waits for
// one (the Salamander piano takes about a second to decode) and runs dry.
for (const name of SOUND_BANKS) {
  loadSoundBank(name).catch((error: unknown) => logger('synth-worker').error({ err: error, bank: name }, 'sound bank failed to load; it will be tried again when a synth needs it'));
}

port.on('message', (request: SynthRequest) => {
  void answer(request).then(
    (response) => port.postMessage(response, response.ok && response.pcm ? [response.pcm.buffer as ArrayBuffer] : []),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: serializeError(error) } satisfies SynthResponse),
  );
});

async function answer(request: SynthRequest): Promise<SynthResponse> {
  switch (request.type) {
    case 'open': {
      const opening = NoteSynth.create(request.options);
      synths.set(request.synth, opening);
      opening.catch(() => synths.delete(request.synth));
      await opening;
      return { id: request.id, ok: true };
    }
    case 'render': {
      const synth = await synthOf(request.synth);
      return { id: request.id, ok: true, pcm: synth.render(request.events, request.frames) };
    }
    case 'close': {
      const synth = synths.get(request.synth);
      synths.delete(request.synth);
      (await synth?.catch(() => undefined))?.dispose(); // a synth that failed to open has nothing to free
      return { id: request.id, ok: true };
    }
  }
}

function synthOf(id: number): Promise<NoteSynth> {
  const synth = synths.get(id);
  if (!synth) throw new Error(`synth ${id} is not open in this worker`);
  return synth;
}
