import assert from 'node:assert/strict';
import test from 'node:test';
import { PHRASE_VALUES } from './piano-roll.js';
import { keyName, planPhrase } from './section-plan.js';
import { SongSequencer } from './song-sequencer.js';

const layout = { styles: ['house', 'cafe'] as const, latentDim: 2, codeDim: 3 };
/** A model output whose phrase and code are all `value`. */
const output = (value: number) => new Float32Array(PHRASE_VALUES + layout.codeDim).fill(value);

test('the song form: A A B A over 8 phrases, the B section a fourth up, each song in the next home key', () => {
  const plans = Array.from({ length: 16 }, (_, i) => planPhrase(i));
  assert.deepEqual(plans.slice(0, 8).map((p) => p.section).join(''), 'AAAABBAA');
  assert.deepEqual(plans.slice(0, 8).map((p) => p.replays), [undefined, undefined, 0, 1, undefined, undefined, 0, undefined]);
  assert.deepEqual(plans.slice(0, 8).map((p) => p.key), [0, 0, 0, 0, 5, 5, 0, 0]);
  assert.deepEqual(plans.slice(8).map((p) => keyName(p.key)), ['F major', 'F major', 'F major', 'F major', 'B♭ major', 'B♭ major', 'F major', 'F major']);
  assert.throws(() => planPhrase(-1), /whole number/);
});

test('the sequencer conditions each phrase on its role and the code before, and replays the phrases a role repeats', () => {
  const sequencer = new SongSequencer(layout, 'cafe');
  const input = sequencer.input(new Float32Array([7, 8]));
  assert.deepEqual([...input], [7, 8, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const played = Array.from({ length: 8 }, (_, k) => sequencer.accept(output(k / 10)));
  assert.deepEqual(played.map((p) => p.code[0]).map((v) => Math.round(v * 10)), [0, 1, 0, 1, 4, 5, 0, 7]);
  assert.equal(played[2].phrase, played[0].phrase, 'role 2 plays role 0 again');
  // Role 4 follows role 3's phrase, a replay of role 1: conditioned on role 1's code.
  const fresh = new SongSequencer(layout, 'cafe');
  for (let k = 0; k < 4; k++) fresh.accept(output(k / 10));
  assert.deepEqual([...fresh.input(new Float32Array(2)).subarray(2 + 2)].map((v) => Math.round(v * 10)), [0, 0, 0, 0, 10, 0, 0, 0, 1, 1, 1]);
  assert.throws(() => sequencer.accept(new Float32Array(5)), /has 20163 values, got 5/);
});

test('a new voice goes on with the form; a new style starts a new song; another code size drops the code', () => {
  const sequencer = new SongSequencer(layout, 'cafe');
  for (let k = 0; k < 3; k++) sequencer.accept(output(0.2));
  assert.equal(new SongSequencer(layout, 'cafe', sequencer).next.role, 3);
  const house = new SongSequencer(layout, 'house', sequencer);
  assert.deepEqual([house.next.index, house.next.role], [8, 0]);
  assert.deepEqual([...house.input(new Float32Array(2)).subarray(12)].map((v) => Math.round(v * 10)), [2, 2, 2], 'still follows the last phrase');
  const other = new SongSequencer({ ...layout, codeDim: 4 }, 'cafe', sequencer);
  assert.deepEqual([...other.input(new Float32Array(2)).subarray(12)], [0, 0, 0, 0]);
  assert.throws(() => new SongSequencer(layout, 'ambient').input(new Float32Array(2)), /not one of the model's \(house, cafe\)/);
});
