/**
 * The station on fakes (fake-station.test-helper.ts): live changes tested without model files,
 * worker threads or a socket. What is checked is what listeners get: the frames in a channel's
 * output queue.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chunk } from '../broadcast/chunk-queue.js';
import { hasCode, WavecastError } from '../core/errors.js';
import { startFakeStation } from './fake-station.test-helper.js';
import type { ChannelPatch } from './channel-patch.js';
import type { StationChannel } from './station.js';

/** Collects the f32le chunks a channel releases from now on. */
function capture({ output }: StationChannel): Chunk[] {
  const chunks: Chunk[] = [];
  output.pcmQueue('f32le').on('chunk', (chunk: Chunk) => chunks.push(chunk));
  return chunks;
}

const until = async (what: string, condition: () => boolean, seconds = 5) => {
  const end = performance.now() + seconds * 1000;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const rms = (chunks: readonly Chunk[]) => {
  let sum = 0;
  let count = 0;
  for (const { bytes } of chunks) {
    const pcm = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 4, bytes.byteOffset + bytes.byteLength));
    for (const x of pcm) sum += x * x;
    count += pcm.length;
  }
  return Math.sqrt(sum / count);
};

const sequence = (chunks: readonly Chunk[]) => chunks.map((c) => new DataView(c.bytes.buffer, c.bytes.byteOffset).getUint32(0, true));

test('a station plays from its catalogue and generator factory alone, loading each model once', async () => {
  const { station, made } = await startFakeStation();
  try {
    assert.deepEqual(made.map((g) => g.info.id).sort(), ['sym', 'tone-a'], 'two channels share tone-a');
    const chunks = capture(station.channel('a'));
    await until('a second of audio', () => chunks.length >= 20);
    assert.deepEqual(sequence(chunks), [...Array(chunks.length).keys()].map((i) => i + sequence(chunks)[0]));
    assert.equal(chunks[0].title, 'a: sine - tone-a');
    assert.ok(rms(chunks) > 0.1, `audible: rms ${rms(chunks)}`);
    assert.deepEqual(station.models().map((m) => [m.id, m.loaded]), [['tone-a', true], ['tone-b', false], ['sym', true]]);
  } finally {
    await station.stop();
  }
});

test('a config asking a model for a style it lacks stops start-up as a config error naming the field', async () => {
  await assert.rejects(startFakeStation({ channels: [{ id: 'x', model: 'sym', style: 'ambient' }] }), (error: Error) =>
    hasCode(error, 'WAVECAST_ERR_CONFIG') && (error as WavecastError).field === 'style' && /style "ambient" is not one model "sym" was trained on/.test(error.message));
});

test('a config naming a model the catalogue lacks stops start-up, listing what there is', async () => {
  await assert.rejects(startFakeStation({ channels: [{ id: 'x', model: 'nope' }] }), (error: Error) =>
    hasCode(error, 'WAVECAST_ERR_MODEL_NOT_FOUND') && /channel "x" plays model "nope", which is not a valid checkpoint in the test catalogue \(found: tone-a, tone-b, sym\)/.test(error.message));
});

test('a model change loads the model once, moves the channel to it, and titles the new sound from its first frame', async () => {
  const { station, made } = await startFakeStation();
  try {
    const on = station.channel('a');
    const chunks = capture(on);
    const changes: string[] = [];
    station.events.on('change', (id: string) => changes.push(id));
    await station.updateChannel('a', { model: 'tone-b' });
    assert.deepEqual(changes, ['a']);
    assert.equal(on.channel.model.id, 'tone-b');
    await until('the new title', () => chunks.some((c) => c.title === 'a: organ - tone-b'));
    await until('a little more audio', () => chunks.length >= chunks.findIndex((c) => c.title === 'a: organ - tone-b') + 10);
    const seqs = sequence(chunks);
    seqs.forEach((seq, i) => i > 0 && assert.equal(seq, seqs[i - 1] + 1, `frame ${i} follows on`));
    const newGenerator = made.find((g) => g.info.id === 'tone-b')!;
    assert.ok(newGenerator.calls > 0, 'the new model generates for the channel');
    await station.updateChannel('b', { model: 'tone-b' });
    assert.equal(made.filter((g) => g.info.id === 'tone-b').length, 1, 'loaded once for both channels');
    assert.equal(station.channel('b').channel.model.id, 'tone-b');
  } finally {
    await station.stop();
  }
});

test('an instrument change retunes a symbolic channel; its title follows on the switch frame', async () => {
  const { station } = await startFakeStation();
  try {
    const on = station.channel('s');
    assert.equal(on.channel.title, 's: cafe on electronic, 120 bpm - sym');
    const chunks = capture(on);
    await station.updateChannel('s', { instrument: 'band', tempo: 100 });
    assert.equal(on.channel.voice.instrument, 'band', 'the summary shows the change at once');
    await until('the new title', () => chunks.some((c) => c.title === 's: cafe on band, 100 bpm - sym'), 10);
    assert.ok(rms(chunks) > 0.01, 'it plays');
  } finally {
    await station.stop();
  }
});

test('a volume change reaches what listeners get, without replacing queued audio', async () => {
  const { station } = await startFakeStation();
  try {
    const on = station.channel('a');
    const before = capture(on);
    await until('a second', () => before.length >= 20);
    const titleBefore = on.channel.title;
    const levelBefore = rms(before.slice(-10));
    await station.updateChannel('a', { volume: 0.5 });
    const after = capture(on);
    await until('half a second more', () => after.length >= 10);
    const ratio = rms(after.slice(2)) / levelBefore;
    assert.ok(Math.abs(ratio - 0.5) < 0.05, `level ratio ${ratio.toFixed(3)}`);
    assert.equal(on.channel.title, titleBefore);
    assert.equal(on.channel.playout.volume, 0.5);
  } finally {
    await station.stop();
  }
});

test('a refused change names the field and changes nothing', async () => {
  const { station } = await startFakeStation({ broken: ['tone-b'] });
  try {
    const on = station.channel('a');
    const refused = async (patch: ChannelPatch, field: string, message: RegExp) => {
      await assert.rejects(station.updateChannel(on.id, patch), (error: Error) => {
        assert.ok(error instanceof WavecastError && error.code === 'WAVECAST_ERR_BAD_REQUEST', String(error));
        assert.equal(error.field, field);
        assert.match(error.message, message);
        return true;
      });
      assert.equal(on.channel.model.id, 'tone-a');
      assert.equal(on.channel.title, 'a: sine - tone-a');
    };
    await refused({ instrument: 'band' }, 'instrument', /instrument applies to symbolic models; model "tone-a" is a waveform model \(its sound is the model\)/);
    await refused({ model: 'nope' }, 'model', /model "nope" is not a valid checkpoint in the test catalogue/);
    await refused({ model: 'tone-b' }, 'model', /model "tone-b" could not be loaded: weights are unreadable/);
    await refused({ model: 'sym', style: 'ambient' }, 'style', /style "ambient" is not one model "sym" was trained on \(house, cafe\)/);
    await assert.rejects(station.updateChannel('zzz', { volume: 1 }), (error: Error) => hasCode(error, 'WAVECAST_ERR_UNKNOWN_CHANNEL'));
    // The channel still plays.
    const chunks = capture(on);
    await until('audio after the refusals', () => chunks.length >= 5);
  } finally {
    await station.stop();
  }
});
