import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { assembleSong, fitAfter, releaseBefore, ringOnAsIn } from './song-form.js';

const note = (track: Note['track'], pitch: number, step: number, steps: number, velocity = 80): Note => ({ track, pitch, step, steps, velocity });

test('a note ringing into the next section is released before its pitch or its line moves on', () => {
  const following = [note('chords', 60, 128, 8), note('lead', 72, 130, 4), note('bass', 40, 128, 4)];
  const released = releaseBefore(
    [note('chords', 60, 112, 16), note('chords', 64, 112, 16), note('lead', 74, 120, 12), note('bass', 40, 127, 1), note('bass', 43, 100, 4)],
    128,
    following,
  );
  assert.deepEqual(released, [
    note('chords', 60, 112, 14), // same pitch struck at 128: two steps of silence first
    note('chords', 64, 112, 16), // another pitch of a chord: may ring on
    note('lead', 74, 120, 10), // the line's next note starts at 130
    note('bass', 43, 100, 4), // the bass at 127 had nothing left and went
  ]);
});

test('a tail note starting on a sounding pitch or line moves later, or goes', () => {
  const fitted = fitAfter(
    [note('lead', 72, 60, 8), note('chords', 60, 56, 10), note('drums', 36, 64, 1)],
    [note('lead', 74, 64, 8), note('chords', 60, 64, 8), note('chords', 64, 64, 8), note('drums', 36, 64, 1), note('lead', 76, 66, 1)],
  );
  assert.deepEqual(fitted, [note('lead', 74, 68, 4), note('chords', 60, 68, 4), note('chords', 64, 64, 8)]);
});

test('a head note ringing over the boundary lasts as the other version has it', () => {
  const head = [note('chords', 60, 32, 64), note('chords', 67, 32, 32), note('bass', 40, 48, 32)];
  const version = [note('chords', 60, 32, 96), note('chords', 67, 32, 32)];
  assert.deepEqual(ringOnAsIn(head, version, 64), [note('chords', 60, 32, 96), note('chords', 67, 32, 32), note('bass', 40, 48, 16)]);
});

test('the song is A A B A: A twice, B, A\'s first half and the new ending', () => {
  const a = [note('lead', 72, 0, 8, 90), note('lead', 74, 64, 8, 91), note('chords', 60, 120, 8)];
  const b = [note('lead', 65, 0, 8, 70)];
  const ending = [note('lead', 72, 0, 8, 11), note('lead', 60, 64, 64, 99)];
  const song = assembleSong('cafe', { a, b, ending });
  assert.equal(song.style, 'cafe');
  assert.equal(song.bars, 32);
  assert.deepEqual(
    song.notes.filter((n) => n.track === 'lead').map((n) => [n.pitch, n.step, n.velocity]),
    [[72, 0, 90], [74, 64, 91], [72, 128, 90], [74, 192, 91], [65, 256, 70], [72, 384, 90], [60, 448, 99]],
  );
  // the ending's held note is cut at the song's end, A's last chord is copied with A
  assert.equal(song.notes.find((n) => n.pitch === 60 && n.track === 'lead')!.steps, 64);
  assert.deepEqual(song.notes.filter((n) => n.track === 'chords').map((n) => n.step), [120, 248]);
});
