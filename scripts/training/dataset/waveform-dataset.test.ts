import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasCode } from '../../../server/core/errors.js';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import { DatasetWriter } from './dataset-writer.js';
import { loadWaveformDataset } from './waveform-dataset.js';

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wavecast-waveform-dataset-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes `count` random clips of 64 samples, 3 per shard, each its own source; returns the clips. */
async function writeDataset(dir: string, count: number, fraction = 0.3): Promise<Float32Array[]> {
  const random = mulberry32(5);
  const clips = Array.from({ length: count }, () => Float32Array.from({ length: 64 }, () => 2 * random() - 1));
  const writer = await DatasetWriter.open({ dir, sampleRate: 16000, clipSamples: 64, shardClips: 3, normalize: 'none' });
  for (const [i, clip] of clips.entries()) await writer.add(clip.slice(), i);
  await writer.finish({ kind: 'builtin', set: 'drums', seed: 1, labels: { kick: count } }, { fraction, seed: 3 });
  return clips;
}

test('shards: clips round-trip through int16 shards, split into train and held out', async () => {
  await withTempDir(async (dir) => {
    const clips = await writeDataset(dir, 7);
    const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8'));
    assert.deepEqual(index.shards, [{ file: 'shard-0000.pcm', clips: 3 }, { file: 'shard-0001.pcm', clips: 3 }, { file: 'shard-0002.pcm', clips: 1 }]);
    assert.equal((await readFile(path.join(dir, 'shard-0001.pcm'))).length, 3 * 64 * 2);
    const dataset = await loadWaveformDataset(dir);
    assert.equal(dataset.sampleRate, 16000);
    assert.equal(dataset.clipSamples, 64);
    assert.equal(dataset.heldOut.length, 2); // round(0.3 × 7)
    assert.equal(dataset.train.length, 5);
    const held = new Set<number>(index.heldOut);
    const expected = { train: clips.filter((_, i) => !held.has(i)), heldOut: clips.filter((_, i) => held.has(i)) };
    for (const part of ['train', 'heldOut'] as const) {
      dataset[part].forEach((clip, i) => {
        assert.ok(clip instanceof Float32Array);
        for (let s = 0; s < clip.length; s++) assert.ok(Math.abs(clip[s] - expected[part][i][s]) <= 0.5 / 32767 + 1e-7);
      });
    }
  });
});

test('shards: a dataset folder is not overwritten by accident', async () => {
  await withTempDir(async (dir) => {
    await writeDataset(dir, 4);
    await assert.rejects(DatasetWriter.open({ dir, sampleRate: 16000, clipSamples: 64 }), /already holds a waveform dataset/);
    const writer = await DatasetWriter.open({ dir, sampleRate: 16000, clipSamples: 64, overwrite: true });
    await writer.add(new Float32Array(64).fill(0.25), 0);
    await writer.finish({ kind: 'builtin', set: 'drums', seed: 1, labels: {} });
    const dataset = await loadWaveformDataset(dir);
    assert.equal(dataset.train.length + dataset.heldOut.length, 1);
    assert.ok(Math.abs(dataset.train[0][0] - 10 ** (-1 / 20)) < 1e-4); // peak-normalised by default
  });
});

test('reader: a bad index.json names the file and the field; a short shard names the shard', async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(loadWaveformDataset(dir), (error: Error) => hasCode(error, 'WAVECAST_ERR_CONFIG') && error.message.includes(path.join(dir, 'index.json')) && /missing/.test(error.message));
    await writeDataset(dir, 7);
    const file = path.join(dir, 'index.json');
    const good = JSON.parse(await readFile(file, 'utf8'));
    const broken = async (change: (index: Record<string, unknown>) => void, pattern: RegExp) => {
      const index = structuredClone(good);
      change(index);
      await writeFile(file, JSON.stringify(index));
      await assert.rejects(loadWaveformDataset(dir), (error: Error) => hasCode(error, 'WAVECAST_ERR_CONFIG') && error.message.startsWith(`${file}: `) && pattern.test(error.message));
    };
    await broken((index) => (index.sampleRate = 'fast'), /field "sampleRate"/);
    await broken((index) => delete index.clipSamples, /field "clipSamples" is missing/);
    await broken((index) => (index.format = 'something-else'), /field "format"/);
    await broken((index) => (index.clips = 8), /field "clips": says 8 clips but the shards hold 7/);
    await broken((index) => (index.heldOut = [1, 9]), /field "heldOut\[1\]": clip 9 does not exist/);
    await broken((index) => ((index.shards as { file: string }[])[0].file = '../etc/passwd'), /field "shards\[0\]\.file"/);
    await writeFile(file, JSON.stringify(good));
    await truncate(path.join(dir, 'shard-0001.pcm'), 100);
    await assert.rejects(loadWaveformDataset(dir), (error: Error) => hasCode(error, 'WAVECAST_ERR_CONFIG') && error.message.includes('shard-0001.pcm: holds 100 bytes'));
  });
});
