import assert from 'node:assert/strict';
import test from 'node:test';
import { cutPhrases } from '../../server/families/symbolic/note-sequence.js';
import { cellIndex, rowOfPitch, STEPS_PER_BAR } from '../../server/families/symbolic/piano-roll.js';
import { notesToRoll } from '../../server/families/symbolic/roll-notes.js';
import { planPhrase } from '../../server/families/symbolic/section-plan.js';
import type { SequencedPhrase } from '../../server/families/symbolic/song-sequencer.js';
import { calibrateDecoding } from './calibrate-decoding.js';
import { buildCorpus } from './corpus/build-corpus.js';
import { measureSongs } from './metrics/musegan-metrics.js';
import { decodeSongs } from './sample-songs.js';

test('calibration finds the rules that decode a model\'s output like the data: a bar gate that drops stray drum hits', () => {
  const songs = buildCorpus({ seed: 3, songsPerStyle: 4, styles: ['cafe', 'ambient'] });
  // "Model output": each song's exact rolls, plus a stray hi-hat as certain as any real hit in every bar without drums.
  const phrases: SequencedPhrase[][] = songs.map((song) =>
    cutPhrases(song.notes, song.bars).map((notes, k) => {
      const { roll } = notesToRoll(notes);
      for (let bar = 0; bar < 4; bar++) {
        if (!notes.some((n) => n.track === 'drums' && Math.floor(n.step / STEPS_PER_BAR) === bar)) roll[cellIndex(bar * STEPS_PER_BAR + 6, 'onset', rowOfPitch('drums', 42))] = 1;
      }
      return { plan: planPhrase(k), phrase: roll, code: new Float32Array(1) };
    }),
  );
  const styles = songs.map((s) => s.style);
  const { decoding, distance } = calibrateDecoding(phrases, styles, songs, { onsets: [0.5, 0.9], holds: [0.5] });
  assert.ok((decoding.drums.minBarHits ?? 0) >= 2, `the gate drops single stray hits (chose ${decoding.drums.minBarHits})`);
  const decoded = measureSongs(decodeSongs(phrases, styles, decoding)).metrics;
  assert.ok(Math.abs(decoded['EB.drums'] - measureSongs(songs).metrics['EB.drums']) < 0.02, 'empty drum bars as in the data');
  // The pitched tracks are exact at 0.5, and nothing is nearer than exact.
  for (const track of ['bass', 'chords', 'lead'] as const) assert.ok(distance[track] < 1e-9, `${track}: distance ${distance[track]}`);
});
