import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseHeldOut } from './held-out-split.js';

const sourcesOf = (sizes: number[]) => sizes.flatMap((size, source) => Array<number>(size).fill(source));

test('held-out split: the same seed gives the same clips, another seed others', () => {
  const sources = Array.from({ length: 1000 }, (_, i) => i);
  const first = chooseHeldOut(sources, 0.1, 7);
  assert.deepEqual(chooseHeldOut(sources, 0.1, 7), first);
  assert.equal(first.heldOut.length, 100);
  assert.equal(first.by, 'source');
  assert.deepEqual([...first.heldOut].sort((a, b) => a - b), first.heldOut);
  assert.notDeepEqual(chooseHeldOut(sources, 0.1, 8).heldOut, first.heldOut);
});

test('held-out split: whole sources go one way, never split between train and held out', () => {
  const sources = sourcesOf(Array<number>(40).fill(5)); // 40 files of 5 clips
  const { heldOut, by } = chooseHeldOut(sources, 0.1, 1);
  assert.equal(by, 'source');
  assert.equal(heldOut.length, 20);
  const held = new Set(heldOut.map((clip) => sources[clip]));
  for (let clip = 0; clip < sources.length; clip++) assert.equal(heldOut.includes(clip), held.has(sources[clip]));
});

test('held-out split: one long source falls back to single clips; 0 holds out nothing; one clip always trains', () => {
  const single = chooseHeldOut(sourcesOf([200]), 0.1, 1);
  assert.equal(single.by, 'clip');
  assert.equal(single.heldOut.length, 20);
  assert.deepEqual(chooseHeldOut(sourcesOf([10, 10]), 0, 1).heldOut, []);
  assert.equal(chooseHeldOut([0, 1], 1, 1).heldOut.length, 1);
  assert.deepEqual(chooseHeldOut([0, 0, 1, 1, 2, 2], 0.34, 1).heldOut.length, 2);
  assert.throws(() => chooseHeldOut([0], 1.5, 1), RangeError);
});
