import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../config/load-config.js';
import { symbolicModel, symbolicOutput, waveformModel } from '../families/model-fixtures.test-helper.js';
import type { ModelInfo } from '../families/model.js';
import { midiToNotes } from '../families/symbolic/midi-file.js';
import { Channel, type ChannelFrame } from './channel.js';

/** A sink that keeps every frame released. */
class FrameCapture {
  readonly frames: ChannelFrame[] = [];
  write(frame: ChannelFrame) {
    this.frames.push(frame);
  }
}

function makeChannel(model: ModelInfo = waveformModel(), overrides: Record<string, unknown> = {}) {
  const config = parseConfig({ channels: [{ id: 'c', model: model.id, seed: 1, ...overrides }] }, 'test');
  const sink = new FrameCapture();
  const channel = new Channel({ config: config.channels[0], model, frameDuration: 0.05, switchLead: 0.75, voices: { historyBars: 64, renderThreads: 1, maxRest: config.server.maxRest }, playout: { sink, loudness: { target: -16, ceiling: 1, window: 12, maxSlew: 1 } } });
  return { channel, sink };
}

const clip = (hz: number) => Float32Array.from({ length: 16384 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / 16000));

test('the clock releases exactly the frames due, numbered contiguously and titled', async () => {
  const { channel, sink } = makeChannel();
  for (let i = 0; i < 4; i++) await channel.acceptClip(clip(220 + 20 * i));
  const buffered = channel.bufferedSeconds;
  assert.ok(buffered > 2.5, `4 clips buffer ${buffered} s`);
  channel.playout.start(0);
  channel.playout.tick(1000); // 1 s = 20 frames of 50 ms
  assert.deepEqual(sink.frames.map((f) => f.seq), [...Array(20).keys()]);
  assert.ok(sink.frames.every((f) => f.pcm.length === channel.frameSamples * 2 && f.duration === 0.05));
  assert.equal(sink.frames[0].title, 'c: sine - test-model');
  assert.ok(Math.abs(channel.bufferedSeconds - (buffered - 1)) < 1e-9);
});

test('running dry counts one underrun and does not burst the missed time later', async () => {
  const { channel, sink } = makeChannel();
  await channel.acceptClip(clip(200)); // ≈ 1 s minus the held crossfade tail
  channel.playout.start(0);
  channel.playout.tick(3000);
  const { counters } = channel.playout;
  assert.equal(counters.underruns, 1);
  const played = counters.framesPlayed;
  assert.ok(played > 10 && played < 20, `played ${played} frames of what was there`);
  channel.playout.tick(3500);
  assert.equal(counters.underruns, 1, 'one episode, counted once');
  for (let i = 0; i < 4; i++) await channel.acceptClip(clip(200));
  channel.playout.tick(3600); // 100 ms after the last tick: 2 frames, not the 2 s missed
  assert.equal(counters.framesPlayed - played, 2);
  assert.equal(sink.frames.length, counters.framesPlayed);
});

test('a volume change ramps across the next frame, from the old level to the new, and holds there', async () => {
  // Two channels fed the same audio; one has its volume lowered after 5 frames.
  const steady = makeChannel();
  const lowered = makeChannel();
  for (const { channel } of [steady, lowered]) {
    for (let i = 0; i < 2; i++) await channel.acceptClip(clip(440));
    channel.playout.start(0);
    channel.playout.tick(260); // frames 0–4 at full level
  }
  lowered.channel.playout.volume = 0.5;
  for (const { channel } of [steady, lowered]) channel.playout.tick(360); // frames 5 and 6
  const samples = lowered.channel.frameSamples;
  for (const [index, gainAt] of [[5, (f: number) => 1 - (0.5 * (f + 1)) / samples], [6, () => 0.5]] as const) {
    const reference = steady.sink.frames[index].pcm;
    const actual = lowered.sink.frames[index].pcm;
    for (let f = 0; f < samples; f += 97) {
      if (Math.abs(reference[2 * f]) < 1e-3) continue; // near a zero crossing the ratio says nothing
      assert.ok(Math.abs(actual[2 * f] / reference[2 * f] - gainAt(f)) < 1e-4, `frame ${index} sample ${f}: gain ${actual[2 * f] / reference[2 * f]}, expected ${gainAt(f)}`);
    }
  }
  assert.deepEqual(lowered.sink.frames[4].pcm, steady.sink.frames[4].pcm, 'frames before the change are untouched');
});

test('a retune keeps the lead, fades the new voice in, and titles the new sound from its first frame', async () => {
  const { channel, sink } = makeChannel();
  for (let i = 0; i < 4; i++) await channel.acceptClip(clip(220));
  channel.playout.start(0);
  channel.playout.tick(500); // 10 frames out
  const switchFrame = channel.retune({ model: waveformModel('other', { instrument: 'organ' }) });
  assert.equal(switchFrame, 10 * channel.frameSamples + 15 * channel.frameSamples, 'the lead is 0.75 s: 15 frames');
  assert.equal(channel.title, 'c: sine - test-model', 'the title waits for the new sound');
  assert.equal(await channel.acceptClip(clip(330)) > 0, false, 'an output made for the old settings is dropped');
  channel.nextLatent();
  await channel.acceptClip(clip(330));
  channel.playout.tick(1500);
  const titles = sink.frames.map((f) => f.title);
  assert.equal(titles.indexOf('c: organ - other'), 25, 'new title on the switch frame');
  assert.deepEqual(sink.frames.map((f) => f.seq), [...Array(30).keys()]);
  assert.ok(sink.frames.every((f) => f.pcm.some((x) => Math.abs(x) > 0.01)), 'no silent frame at the switch');
});

test('a symbolic channel asks for z ⊕ its style, role and previous code, renders a phrase as 4 exact bars, and exports the bars played', async () => {
  const model = symbolicModel();
  const { channel } = makeChannel(model, { tempo: 120, style: 'cafe' });
  const input = channel.nextLatent();
  assert.equal(input.length, 8 + 3 + 8 + 4);
  assert.deepEqual([...input.subarray(8, 11)], [0, 1, 0], 'cafe one-hot');
  assert.deepEqual([...input.subarray(11, 19)], [1, 0, 0, 0, 0, 0, 0, 0], 'role 0: the first phrase of a song');
  assert.deepEqual([...input.subarray(19)], [0, 0, 0, 0], 'no phrase before it');
  assert.match(channel.title, /^c: cafe on cafe-piano, 120 bpm - sym$/);
  assert.equal(channel.playsNotes, true);

  // C4 every half bar, held a quarter note.
  const notes = Array.from({ length: 8 }, (_, i) => ({ track: 'chords' as const, pitch: 60, step: i * 8, steps: 4, velocity: 80 }));
  const seconds = await channel.acceptClip(symbolicOutput(model, notes, 0.5));
  assert.ok(Math.abs(seconds - 4 * 2) < 1e-9, `4 bars at 120 bpm are 8 s, got ${seconds}`);
  assert.deepEqual([...channel.nextLatent().subarray(11)], [0, 1, 0, 0, 0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5], 'role 1, after the code of phrase 0');
  assert.throws(() => channel.midi(8), /has not played a bar yet/);
  assert.deepEqual([channel.voice.section, channel.voice.key], [null, null], 'written ahead, not heard yet');
  channel.playout.start(0);
  channel.playout.tick(2500); // into the second bar
  assert.deepEqual([channel.voice.section, channel.voice.key], ['A', 'C major'], 'the bar heard now');
  const midi = channel.midi(8);
  assert.equal(midi.bars, 2, 'the bars that started');
  const { notes: exported } = midiToNotes(midi.bytes);
  assert.deepEqual(exported.map((n) => [n.pitch, n.step, n.steps, n.velocity]), [[60, 0, 4, 80], [60, 8, 4, 80], [60, 16, 4, 80], [60, 24, 4, 80]]);
});

test('a symbolic channel refuses a phrase that rests longer than server.maxRest, naming the rest, but not a phrase the song replays', async () => {
  const model = symbolicModel();
  const { channel } = makeChannel(model, { tempo: 120, style: 'cafe' });
  const note = (step: number, steps: number) => ({ track: 'bass' as const, pitch: 40, step, steps, velocity: 80 });
  // Quarter notes each followed by a quarter rest (a beat: the default limit); dotted quarter rests; a bar of rest.
  const quarters = Array.from({ length: 8 }, (_, i) => note(i * 8, 4));
  const dotted = Array.from({ length: 8 }, (_, i) => note(i * 9, 3));
  const barRest = [note(0, 16), note(32, 32)];
  const steady = Array.from({ length: 16 }, (_, i) => note(i * 4, 4));
  channel.nextLatent();
  assert.match(channel.refuse(symbolicOutput(model, [])) ?? '', /a phrase with 0 notes rests 16 beats \(at most 1\)/);
  assert.match(channel.refuse(symbolicOutput(model, barRest)) ?? '', /a phrase with 2 notes rests 4 beats/);
  assert.match(channel.refuse(symbolicOutput(model, dotted)) ?? '', /a phrase with 8 notes rests 1.5 beats/);
  assert.equal(channel.refuse(symbolicOutput(model, quarters)), undefined);
  assert.equal(channel.refuse(symbolicOutput(model, steady)), undefined);
  // Roles 0 and 1 played; role 2 replays role 0, so whatever the model writes for it is not played.
  await channel.acceptClip(symbolicOutput(model, steady));
  channel.nextLatent();
  await channel.acceptClip(symbolicOutput(model, steady));
  channel.nextLatent();
  assert.equal(channel.refuse(symbolicOutput(model, [])), undefined);
  assert.equal(makeChannel(waveformModel()).channel.refuse(clip(440)), undefined, 'a waveform voice refuses nothing');
});

test('a waveform channel has no notes to export', () => {
  const { channel } = makeChannel();
  assert.equal(channel.playsNotes, false);
  assert.throws(() => channel.midi(4), /plays a waveform model: it has no notes to export/);
});

test('a symbolic channel refuses a style its model was not trained on, naming both', () => {
  assert.throws(
    () => makeChannel(symbolicModel('sym', { styles: ['house', 'cafe'] }), { style: 'ambient' }),
    (error: Error & { code?: string; field?: string }) =>
      /channel "c": style "ambient" is not one model "sym" was trained on \(house, cafe\)/.test(error.message) &&
      error.code === 'WAVECAST_ERR_BAD_REQUEST' &&
      error.field === 'style',
  );
});
