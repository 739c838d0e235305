import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LISTENER_FIGURE_NAMES, listenerFigureDescription, measureListenerFigures, randomBarSimilarity, similarityAtLag } from './listener-figures.js';
import { note, plausibleSongs, song } from './song-fixtures.test-helper.js';

const close = (actual: number, expected: number, message?: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${message ?? ''} expected ${expected}, got ${actual}`);

test('27 figures: 8 per pitched track, 3 for drums, named figure.track', () => {
  assert.equal(LISTENER_FIGURE_NAMES.length, 27);
  assert.deepEqual(LISTENER_FIGURE_NAMES.filter((n) => n.endsWith('.drums')), ['onsetsPerBar.drums', 'similarity4.drums', 'similarity8.drums']);
  assert.ok(LISTENER_FIGURE_NAMES.includes('oneStep.chords') && LISTENER_FIGURE_NAMES.includes('inKey.lead'));
  assert.equal(listenerFigureDescription('heldAcross.bass'), 'notes held over a bar line, bass');
});

test('oneStep is the share of notes exactly one step long', () => {
  const { figures, support } = measureListenerFigures([
    song([note('chords', 60, 0), note('chords', 64, 4), note('chords', 67, 8, 2), note('chords', 72, 12, 4)]),
  ]);
  assert.equal(figures['oneStep.chords'], 0.5);
  assert.equal(support['oneStep.chords'], 4);
  assert.equal(support['oneStep.bass'], 0, 'no bass notes: undefined');
});

test('a note re-struck one step after its pitch ended is a restrike; two steps after is not', () => {
  const oneStepGap = measureListenerFigures([song([note('bass', 36, 0, 2), note('bass', 36, 3, 2)])]);
  assert.equal(oneStepGap.figures['restrike.bass'], 0.5, 'the second of two notes');
  const twoStepGap = measureListenerFigures([song([note('bass', 36, 0, 2), note('bass', 36, 4, 2)])]);
  assert.equal(twoStepGap.figures['restrike.bass'], 0);
  const touching = measureListenerFigures([song([note('bass', 36, 0, 2), note('bass', 36, 2, 2)])]);
  assert.equal(touching.figures['restrike.bass'], 0.5, 'struck right as it ends (gap 0)');
});

test('restrike counts overlapping same-pitch notes, never another pitch or another track', () => {
  const { figures, support } = measureListenerFigures([
    song([
      note('bass', 36, 0, 2),
      note('bass', 36, 3), // gap 1: restrike
      note('bass', 36, 6), // gap 2: no
      note('bass', 36, 7), // gap 0: restrike
      note('bass', 40, 8, 4),
      note('bass', 40, 10), // overlaps the 40 before it: restrike
      note('bass', 43, 11), // another pitch right after: no
      note('chords', 48, 0, 4),
      note('chords', 48, 8), // gap 4: no
      note('chords', 43, 12), // the bass's 43 ended right here, but in another track: no
    ]),
  ]);
  close(figures['restrike.bass'], 3 / 7);
  assert.equal(support['restrike.bass'], 7);
  assert.equal(figures['restrike.chords'], 0);
});

test('onsetsPerBar counts distinct onset steps over every bar, silent ones included', () => {
  const { figures, support } = measureListenerFigures([
    song(
      [
        ...[60, 64, 67].map((p) => note('chords', p, 0, 4)), // a triad: one onset step
        ...[60, 65, 69].map((p) => note('chords', p, 8, 4)),
        note('drums', 36, 0), note('drums', 42, 0), note('drums', 42, 2), note('drums', 38, 20),
      ],
      2,
    ),
  ]);
  assert.equal(figures['onsetsPerBar.chords'], 1, '2 onsets in bar 1, none in bar 2');
  assert.equal(support['onsetsPerBar.chords'], 2);
  assert.equal(figures['onsetsPerBar.drums'], 1.5, 'kick and hat together are one onset step: 2 + 1 over 2 bars');
});

test('polyphony: 1 for a monophonic line, the mean voice count where a chord track sounds', () => {
  const mono = measureListenerFigures([song([note('bass', 36, 0, 4), note('bass', 38, 4, 4), note('bass', 40, 12, 4)])]);
  assert.equal(mono.figures['polyphony.bass'], 1);
  assert.equal(mono.support['polyphony.bass'], 12, 'the silent steps 8–11 are not counted');
  // A triad for 8 steps with a fourth voice joining for the last 4: (4·3 + 4·4) / 8 = 3.5.
  const poly = measureListenerFigures([song([...[60, 64, 67].map((p) => note('chords', p, 0, 8)), note('chords', 71, 4, 4), ...[60, 64, 67].map((p) => note('chords', p, 32, 4))])]);
  close(poly.figures['polyphony.chords'], (4 * 3 + 4 * 4 + 4 * 3) / 12);
});

test('heldAcross: a chord held over a bar line, not one ending on it', () => {
  const { figures, support } = measureListenerFigures([
    song([note('chords', 60, 12, 8), note('chords', 64, 0, 16), note('chords', 67, 16, 4), note('chords', 72, 40, 30)], 4),
  ]);
  close(figures['heldAcross.chords'], 2 / 4, 'steps 12–19 cross bar 2, steps 40–69 cross bars 3 and 4');
  assert.equal(support['heldAcross.chords'], 4);
  const atTheEnd = measureListenerFigures([song([note('chords', 60, 8, 16)], 1)]);
  assert.equal(atTheEnd.figures['heldAcross.chords'], 0, 'the song end is no bar line');
});

test('inKey is the share of notes in C major', () => {
  const { figures } = measureListenerFigures([song([note('lead', 60, 0), note('lead', 66, 1), note('lead', 67, 2), note('lead', 70, 3)])]);
  assert.equal(figures['inKey.lead'], 0.5, 'C and G in, F♯ and B♭ out');
});

test('a 2-bar motif repeated 4 bars later has similarity4 = 1', () => {
  const motif = [note('lead', 64, 0, 2), note('lead', 67, 4), note('lead', 72, 8, 4), note('lead', 71, 18), note('lead', 69, 22, 6)];
  const tune = song([...motif, ...motif.map((n) => ({ ...n, step: n.step + 64 }))], 8);
  assert.deepEqual(similarityAtLag(tune, 'lead', 4), { value: 1, support: 2 }, 'bars 0↔4 and 1↔5; the empty pairs are skipped');
  assert.deepEqual(similarityAtLag(tune, 'lead', 8), { value: 0, support: 0 }, 'no pair 8 bars apart in 8 bars');
  const { figures, support } = measureListenerFigures([tune]);
  assert.equal(figures['similarity4.lead'], 1);
  assert.equal(support['similarity4.lead'], 2);
  assert.equal(support['similarity8.lead'], 0);
});

test('bar similarity is the Jaccard of (pitch, onset in bar); held-in notes and empty partners count as they should', () => {
  // bar 0 {C@0, E@4}, bar 4 {C@0, G@4}: 1 shared of 3 → 1/3. Bar 1 has E@0; bar 5 is empty: 0.
  // The C held from bar 3 into bar 4 starts in bar 3 and is not part of bar 4's set.
  const tune = song([note('bass', 48, 0), note('bass', 52, 4), note('bass', 52, 16), note('bass', 36, 56, 12), note('bass', 48, 64), note('bass', 55, 68)], 8);
  const { value, support } = similarityAtLag(tune, 'bass', 4);
  // pairs: (0,4) 1/3, (1,5) 0, (3,7) 0 (bar 3 holds the long C's onset, bar 7 is empty); (2,6) both empty, skipped
  close(value, 1 / 9);
  assert.equal(support, 3);
  assert.throws(() => similarityAtLag(tune, 'bass', 0), RangeError);
});

test('random bars from different songs: identical material scores 1, disjoint 0, fewer than 2 songs undefined', () => {
  const bar = (pitch: number, bars: number) => song(Array.from({ length: bars }, (_, b) => note('lead', pitch, b * 16)), bars);
  assert.deepEqual(randomBarSimilarity([bar(60, 4), bar(60, 8)], 'lead', { pairs: 50 }), { value: 1, support: 50 });
  assert.deepEqual(randomBarSimilarity([bar(60, 4), bar(62, 4)], 'lead', { pairs: 50 }), { value: 0, support: 50 });
  assert.deepEqual(randomBarSimilarity([bar(60, 4)], 'lead'), { value: 0, support: 0 });
  assert.equal(randomBarSimilarity([bar(60, 4), bar(60, 4)], 'drums', { pairs: 20 }).support, 0, 'all pairs empty: skipped');
});

test('a song in A A B A form shares more between bars 8 apart than random bars do (seeded)', () => {
  const songs = plausibleSongs(20, 3);
  const random = randomBarSimilarity(songs, 'lead', { pairs: 500, seed: 2 });
  assert.deepEqual(randomBarSimilarity(songs, 'lead', { pairs: 500, seed: 2 }), random, 'same seed, same baseline');
  assert.equal(random.support, 500);
  const lag8 = similarityAtLag(songs[0], 'lead', 8);
  assert.ok(lag8.value > random.value + 0.2, `lag 8 ${lag8.value} vs random ${random.value}`);
  const unrepeated = plausibleSongs(1, 3, { noRepeats: true })[0];
  assert.ok(similarityAtLag(unrepeated, 'lead', 8).value < random.value + 0.1, 'without the replays, about random');
});

test('undefined figures are 0 with support 0, never NaN; silent bars still count as bars', () => {
  const empty = measureListenerFigures([]);
  for (const name of LISTENER_FIGURE_NAMES) {
    assert.equal(empty.figures[name], 0, name);
    assert.equal(empty.support[name], 0, name);
  }
  const silent = measureListenerFigures([song([], 4)]);
  assert.equal(silent.support['onsetsPerBar.lead'], 4);
  assert.equal(silent.figures['onsetsPerBar.lead'], 0);
  assert.equal(silent.support['polyphony.lead'], 0);
  assert.equal(silent.support['similarity4.drums'], 0);
});
