import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasCode } from '../../server/core/errors.js';
import { readSongDataset, writeSongDataset, type NamedSong } from './song-dataset.js';

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wavecast-songs-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const SONGS: NamedSong[] = [
  {
    style: 'cafe',
    name: 'a.mid',
    bars: 2,
    notes: [
      { track: 'bass', pitch: 45, step: 0, steps: 8, velocity: 96 },
      { track: 'lead', pitch: 72, step: 4, steps: 20, velocity: 1 },
      { track: 'drums', pitch: 42, step: 2, steps: 1, velocity: 127 },
    ],
  },
  { style: 'ambient', name: 'b.mid', bars: 1, notes: [] },
];

test('writeSongDataset then readSongDataset gives back the same songs, one a line', async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, 'nested', 'songs.json');
    await writeSongDataset(file, SONGS);
    assert.deepEqual(await readSongDataset(file), SONGS);
    const text = await readFile(file, 'utf8');
    assert.equal(text.split('\n').filter((line) => line.startsWith('{"style"')).length, 2);
    assert.deepEqual(JSON.parse(text).format, 'wavecast-songs');
    assert.deepEqual(await readdir(path.dirname(file)), ['songs.json'], 'no temporary file left behind');
  });
});

test('readSongDataset names the file and the bad field', async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, 'bad.json');
    const good = { format: 'wavecast-songs', version: 2, songs: [{ style: 'cafe', name: 'x', bars: 1, notes: [['bass', 40, 0, 4, 90]] }] };
    const cases: [unknown, RegExp][] = [
      [{ ...good, songs: [{ ...good.songs[0], style: 'jazz' }] }, /field "songs\[0\]\.style"/],
      [{ ...good, songs: [{ ...good.songs[0], notes: [['kazoo', 40, 0, 4, 90]] }] }, /field "songs\[0\]\.notes\[0\]\[0\]"/],
      [{ ...good, songs: [{ ...good.songs[0], notes: [['bass', 40, 0, 0, 90]] }] }, /field "songs\[0\]\.notes\[0\]\[3\]"/],
      [{ ...good, version: 1 }, /field "version"/],
      [{ ...good, songs: [{ style: 'cafe', name: 'x', notes: [] }] }, /field "songs\[0\]\.bars" is missing/],
    ];
    for (const [content, field] of cases) {
      await writeFile(file, JSON.stringify(content));
      await assert.rejects(readSongDataset(file), (error: Error) => {
        assert.ok(hasCode(error, 'WAVECAST_ERR_CONFIG'), String(error));
        assert.ok(error.message.startsWith(`${file}: `), error.message);
        assert.match(error.message, field);
        return true;
      });
    }
    await writeFile(file, '{ not json');
    await assert.rejects(readSongDataset(file), new RegExp(`${file}: not valid JSON`));
    await assert.rejects(readSongDataset(path.join(dir, 'absent.json')), /absent\.json: missing/);
  });
});
