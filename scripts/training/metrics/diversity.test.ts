import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinctPhraseCount, diversityScore, jaccardDistance } from './diversity.js';
import { PHRASE_VALUES, emptyRoll, type PianoRoll } from '../../../server/families/symbolic/piano-roll.js';
import { mulberry32 } from '../../../server/core/seeded-random.js';

function withCells(...cells: number[]): PianoRoll {
  const roll = emptyRoll();
  for (const cell of cells) roll[cell] = 1;
  return roll;
}

function randomPhrases(count: number, density: number, seed: number): PianoRoll[] {
  const uniform = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const roll = emptyRoll();
    for (let i = 0; i < PHRASE_VALUES; i++) roll[i] = uniform() < density ? 1 : 0;
    return roll;
  });
}

test('Jaccard distance is |a xor b| / |a or b|, 0 for two empty phrases', () => {
  assert.equal(jaccardDistance(withCells(1, 2), withCells(2, 3)), 2 / 3);
  assert.equal(jaccardDistance(withCells(0, 5000), withCells(0, 5000)), 0);
  assert.equal(jaccardDistance(withCells(31, 32), withCells(33)), 1, 'word boundaries');
  assert.equal(jaccardDistance(emptyRoll(), emptyRoll()), 0);
  assert.equal(jaccardDistance(emptyRoll(), withCells(PHRASE_VALUES - 1)), 1);
});

test('a set of identical phrases scores 0, a varied set more', () => {
  const phrase = withCells(3, 100, 2000, 4000);
  assert.equal(diversityScore(Array.from({ length: 50 }, () => phrase.slice())), 0);
  const varied = randomPhrases(50, 0.05, 3);
  const score = diversityScore(varied);
  assert.ok(score > 0.9 && score <= 1, `sparse random phrases barely overlap: ${score}`);
});

test('small sets are scored over every pair exactly', () => {
  const a = withCells(1, 2);
  const b = withCells(2, 3);
  assert.equal(diversityScore([a, b]), 2 / 3);
  // pairs: (a,a) 0, (a,b) 2/3, (a,b) 2/3 → 4/9
  assert.equal(diversityScore([a, a.slice(), b]), 4 / 9);
  assert.equal(diversityScore([a]), 0, 'one phrase has no pairs');
  assert.equal(diversityScore([]), 0);
});

test('sampling is seeded and close to the exact mean', () => {
  const phrases = [...randomPhrases(60, 0.1, 11), ...Array.from({ length: 40 }, () => withCells(7, 8, 9))];
  const exact = diversityScore(phrases, { pairs: 100 * 99 });
  const sampled = diversityScore(phrases, { pairs: 2000, seed: 5 });
  assert.equal(diversityScore(phrases, { pairs: 2000, seed: 5 }), sampled, 'same seed, same score');
  assert.notEqual(diversityScore(phrases, { pairs: 2000, seed: 6 }), sampled, 'another seed samples other pairs');
  assert.ok(Math.abs(sampled - exact) < 0.03, `sampled ${sampled} vs exact ${exact}`);
  assert.ok(exact > 0.5 && exact < 0.9, `40 duplicates pull the mean down: ${exact}`);
});

test('distinctPhraseCount finds exact duplicates and treats cells ≥ 0.5 as on', () => {
  const a = withCells(1, 2);
  const soft = emptyRoll();
  soft[1] = 0.9;
  soft[2] = 0.5;
  soft[3] = 0.2;
  assert.equal(distinctPhraseCount([a, a.slice(), soft, withCells(2, 3), emptyRoll(), emptyRoll()]), 3);
  assert.equal(distinctPhraseCount(randomPhrases(200, 0.02, 9)), 200);
  assert.equal(distinctPhraseCount([]), 0);
});

test('rejects bad options and non-phrases', () => {
  assert.throws(() => diversityScore([emptyRoll(), emptyRoll()], { pairs: 0 }), RangeError);
  assert.throws(() => distinctPhraseCount([new Float32Array(3)]), RangeError);
});
