/**
 * The same server with `engine: "tfjs"`: the best tfjs backend installed runs the embedded model
 * in the generator worker (wasm here; tfjs-node where it could be installed) and the stream plays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMp3 } from './support/decode-mp3.js';
import { captureStream, startTestServer, WAVEFORM_EXAMPLE } from './support/test-server.js';

test('engine "tfjs" runs the waveform model on the best tfjs backend installed, and the lobby streams', async () => {
  // A 1.5 s buffer target: tfjs-wasm makes a d = 32 clip only a few times faster than real time.
  const server = await startTestServer({ server: { engine: 'tfjs', bufferAhead: 1.5 }, configFile: WAVEFORM_EXAMPLE });
  try {
    const models = (await (await fetch(`${server.url}/api/models`)).json()) as Array<{ id: string; engine?: string }>;
    const engine = models.find((m) => m.id === 'wavegan-untrained')?.engine ?? '';
    assert.match(engine, /^tfjs-(tensorflow|wasm|cpu)$/);
    const { bytes } = await captureStream(`${server.url}/stream/lobby`, 3);
    const decoded = await decodeMp3(bytes);
    assert.equal(decoded.errors, 0);
    // Less only by the encoder's delay and the last writes still being gathered (server.mp3WriteSeconds, lameWriteSeconds).
    assert.ok(decoded.seconds >= 3 - 0.3 - server.station.config.server.mp3WriteSeconds - server.station.config.server.lameWriteSeconds, `decoded ${decoded.seconds.toFixed(2)} s`);
    assert.equal(server.station.channel('lobby').channel.playout.counters.underruns, 0, `${engine} keeps ahead of real time`);
  } finally {
    await server.close();
  }
});
