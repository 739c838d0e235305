import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PHRASE_VALUES, STYLES } from '../../../server/families/symbolic/piano-roll.js';
import { rollToNotes } from '../../../server/families/symbolic/roll-notes.js';
import { buildCorpus } from './build-corpus.js';
import { inCMajor } from './harmony.js';
import { distinctCount } from './corpus-checks.js';

const corpus = buildCorpus({ seed: 7, phrasesPerStyle: 100 });

test('the corpus interleaves the styles, phrasesPerStyle of each', () => {
  assert.equal(corpus.length, 300);
  corpus.forEach(({ style, roll }, i) => {
    assert.equal(style, STYLES[i % STYLES.length]);
    assert.equal(roll.length, PHRASE_VALUES);
  });
  const cafeOnly = buildCorpus({ seed: 7, phrasesPerStyle: 5, styles: ['cafe'] });
  assert.deepEqual(cafeOnly.map((p) => p.style), ['cafe', 'cafe', 'cafe', 'cafe', 'cafe']);
});

test('the same seed gives the same corpus, another seed a different one', () => {
  const again = buildCorpus({ seed: 7, phrasesPerStyle: 100 });
  assert.deepEqual(again, corpus);
  const other = buildCorpus({ seed: 8, phrasesPerStyle: 100 });
  assert.notDeepEqual(other, corpus);
  const same = other.filter((phrase, i) => Buffer.compare(Buffer.from(phrase.roll.buffer), Buffer.from(corpus[i].roll.buffer)) === 0);
  assert.ok(same.length < 30, `${same.length} of 300 phrases identical across seeds`);
});

test('every pitched note is in C major', () => {
  for (const { roll } of corpus) {
    for (const note of rollToNotes(roll)) if (note.track !== 'drums') assert.ok(inCMajor(note.pitch), `${note.track} ${note.pitch}`);
  }
});

test('most phrases of each style are distinct', () => {
  for (const style of STYLES) {
    const rolls = corpus.filter((p) => p.style === style).map((p) => p.roll);
    assert.ok(distinctCount(rolls) > 80, style);
  }
});
