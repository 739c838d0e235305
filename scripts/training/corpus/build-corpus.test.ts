import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STYLES } from '../../../server/families/symbolic/piano-roll.js';
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import { STYLE_WRITERS, buildCorpus, songProblem } from './build-corpus.js';

const corpus = buildCorpus({ seed: 7, songsPerStyle: 10 });

test('the corpus interleaves the styles, songsPerStyle songs of each, 32 bars each', () => {
  assert.equal(corpus.length, 30);
  corpus.forEach((song, i) => {
    assert.equal(song.style, STYLES[i % STYLES.length]);
    assert.equal(song.bars, 32);
  });
  const cafeOnly = buildCorpus({ seed: 7, songsPerStyle: 3, styles: ['cafe'] });
  assert.deepEqual(cafeOnly.map((s) => s.style), ['cafe', 'cafe', 'cafe']);
  assert.deepEqual(buildCorpus({ seed: 7, songsPerStyle: 0 }), []);
});

test('the same seed gives the same corpus, another seed a different one', () => {
  assert.deepEqual(buildCorpus({ seed: 7, songsPerStyle: 10 }), corpus);
  const other = buildCorpus({ seed: 8, songsPerStyle: 10 });
  const same = other.filter((song, i) => JSON.stringify(song) === JSON.stringify(corpus[i]));
  assert.equal(same.length, 0, `${same.length} of 30 songs identical across seeds`);
});

test('the writers draw from one stream: a style written alone gets other songs', () => {
  const alone = buildCorpus({ seed: 7, songsPerStyle: 2, styles: ['house'] });
  assert.deepEqual(alone[0], corpus[0], 'the first draw is the same');
  assert.notDeepEqual(alone[1], corpus[3], 'later songs follow the stream, not the style');
});

test('a writer bug (a note off its track) is a RangeError naming the style and song', () => {
  let calls = 0;
  const broken = (random: () => number): Song => {
    const song = STYLE_WRITERS.cafe(random);
    calls++;
    return calls < 3 ? song : { ...song, notes: [...song.notes, { track: 'lead', pitch: 40, step: 0, steps: 4, velocity: 80 }] };
  };
  assert.throws(() => buildCorpus({ seed: 1, songsPerStyle: 5, writers: { cafe: broken } }), (error: unknown) => {
    assert.ok(error instanceof RangeError);
    assert.match(error.message, /^cafe song 2: lead note 40 at step 0 is outside the lead range/);
    return true;
  });
  const mislabelled = (random: () => number): Song => ({ ...STYLE_WRITERS.house(random), style: 'ambient' });
  assert.throws(() => buildCorpus({ seed: 1, songsPerStyle: 1, writers: { house: mislabelled } }), /house song 0: written as ambient/);
});

test('songProblem names each way a note can fail the roll', () => {
  const song = (note: Partial<Song['notes'][number]>): Song => ({
    style: 'house',
    bars: 32,
    notes: [{ track: 'bass', pitch: 40, step: 0, steps: 4, velocity: 80, ...note }],
  });
  assert.equal(songProblem(song({})), undefined);
  assert.match(songProblem(song({ pitch: 60 }))!, /outside the bass range/);
  assert.match(songProblem(song({ track: 'drums', pitch: 37 }))!, /outside the drums range/);
  assert.match(songProblem(song({ step: 512 }))!, /starts outside the song's 512 steps/);
  assert.match(songProblem(song({ steps: 0 }))!, /lasts 0 steps/);
  assert.match(songProblem(song({ velocity: 128 }))!, /velocity 128/);
});
