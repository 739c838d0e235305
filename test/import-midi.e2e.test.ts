/**
 * scripts/import-midi.ts end to end: a folder of generated MIDI files in, a song dataset out, its
 * tracks sorted into drums, bass, chords and lead, transposed to C major; and its refusals
 * (missing folder, bad style).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import { notesToMidi } from '../server/families/symbolic/midi-file.js';
import { readSongDataset } from '../scripts/training/song-dataset.js';
import type { Note } from '../server/families/symbolic/roll-notes.js';

function runImport(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/import-midi.ts', ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `bars` bars of a tune in the major key on `tonic` (a MIDI pitch): bass, chords and a melody in every bar. */
function tune(tonic: number, bars: number): Note[] {
  const scale = [0, 2, 4, 5, 7, 9, 11, 12];
  const notes: Note[] = [];
  for (let bar = 0; bar < bars; bar++) {
    const root = tonic + [0, 5, 7, 0][bar % 4];
    notes.push({ track: 'bass', pitch: root - 24, step: bar * 16, steps: 8, velocity: 100 });
    for (const third of [0, 4, 7]) notes.push({ track: 'chords', pitch: root + third, step: bar * 16, steps: 12, velocity: 80 });
    for (let i = 0; i < 4; i++) {
      notes.push({ track: 'lead', pitch: tonic + 12 + scale[(bar + i * 3) % 8], step: bar * 16 + i * 4, steps: 3, velocity: 90 });
      notes.push({ track: 'drums', pitch: i % 2 ? 38 : 36, step: bar * 16 + i * 4, steps: 1, velocity: 110 });
    }
  }
  return notes;
}

test('import-midi turns a folder of MIDI files into a dataset in C, with warnings and a summary', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wavecast-import-'));
  try {
    const folder = path.join(dir, 'midi');
    await mkdir(path.join(folder, 'nested', 'deeper'), { recursive: true });
    // D major, 8 bars: two phrases.
    await writeFile(path.join(folder, 'song-d.mid'), notesToMidi(tune(62, 8), { tempo: 118 }));
    // C major, 4 bars of tune then 4 bars of drums only.
    const drumsOnly = tune(60, 4).filter((n) => n.track === 'drums').map((n) => ({ ...n, step: n.step + 64 }));
    await writeFile(path.join(folder, 'nested', 'deeper', 'song-c.MIDI'), notesToMidi([...tune(60, 4), ...drumsOnly], { tempo: 124 }));
    await writeFile(path.join(folder, 'nested', 'broken.mid'), 'MThd but not really');
    await writeFile(path.join(folder, 'readme.txt'), 'not MIDI');
    const out = path.join(dir, 'out', 'songs.json');

    const result = runImport([folder, '--style', 'ambient', '--out', out]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /files: 2 read, 1 skipped, 0 without pitched notes · songs: 2 \(16 bars\)/);
    assert.match(result.stderr, /nested\/broken\.mid: skipped \(not a standard MIDI file/);
    assert.match(result.stderr, /import \[#+\] 100% 3\/3 · took \d+s · 2 songs/);

    const songs = await readSongDataset(out);
    assert.deepEqual(songs.map((s) => [s.name, s.style, s.bars]), [['nested/deeper/song-c.MIDI', 'ambient', 8], ['song-d.mid', 'ambient', 8]]);
    const C_MAJOR = new Set([0, 2, 4, 5, 7, 9, 11]);
    for (const song of songs) {
      assert.deepEqual(new Set(song.notes.map((n) => n.track)), new Set(['drums', 'bass', 'chords', 'lead']), `${song.name}: all four tracks`);
      const outside = song.notes.filter((n) => n.track !== 'drums' && !C_MAJOR.has(n.pitch % 12));
      assert.deepEqual(outside, [], `${song.name} is in C major`);
    }
    // The D major tune's first bass note, D, is now C.
    assert.equal(songs[1].notes.find((n) => n.track === 'bass')!.pitch % 12, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('import-midi stops with exit code 1 naming a folder that does not exist, writing nothing', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wavecast-import-'));
  try {
    const missing = path.join(dir, 'no-such-folder');
    const out = path.join(dir, 'songs.json');
    const result = runImport([missing, '--out', out]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`import-midi: cannot read folder ${missing} \\(no such folder\\)`));
    await assert.rejects(stat(out), { code: 'ENOENT' });

    const badStyle = runImport([dir, '--style', 'jazz', '--out', out]);
    assert.equal(badStyle.status, 2);
    assert.match(badStyle.stderr, /--style must be one of house, cafe, ambient, got "jazz"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
