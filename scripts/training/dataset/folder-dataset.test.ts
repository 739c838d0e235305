import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Hz } from '../../../server/core/units.js';
import { buildFolderDataset, listAudioFiles } from './folder-dataset.js';
import { loadWaveformDatasetWithIndex } from './waveform-dataset.js';

/** A 16-bit PCM WAV file's bytes. */
function wavBytes(channels: Float32Array[], sampleRate: number): Buffer {
  const frames = channels[0].length;
  const data = Buffer.alloc(frames * channels.length * 2);
  for (let i = 0; i < frames; i++) {
    channels.forEach((channel, c) => data.writeInt16LE(Math.round(channel[i] * 32767), (i * channels.length + c) * 2));
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels.length, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels.length * 2, 28);
  header.writeUInt16LE(channels.length * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const sine = (length: number, rate: number, frequency: number, amplitude: number) =>
  Float32Array.from({ length }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate));

test('folder: a good stereo wav becomes mono clips; a corrupt file is skipped with a warning naming it', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wavecast-folder-dataset-'));
  try {
    const input = path.join(dir, 'audio');
    await mkdir(path.join(input, 'deeper'), { recursive: true });
    // Left and right in opposite phase at different levels: the mono average is 0.1 × the sine.
    await writeFile(path.join(input, 'deeper', 'tone.wav'), wavBytes([sine(40960, 16000, 500, 0.3), sine(40960, 16000, 500, -0.1)], 16000));
    await writeFile(path.join(input, 'corrupt.mp3'), Buffer.from('this is not an mp3 at all, just text'));
    await writeFile(path.join(input, 'notes.txt'), 'not audio, not listed');
    await writeFile(path.join(input, '._tone.wav'), 'a macOS resource fork');
    assert.deepEqual((await listAudioFiles(input)).map((file) => path.relative(input, file)), ['corrupt.mp3', path.join('deeper', 'tone.wav')]);

    const warnings: string[] = [];
    const summary = await buildFolderDataset({ input, out: path.join(dir, 'dataset'), clipSamples: 4096, normalize: 'none', ffmpeg: null, warn: (message) => warnings.push(message) });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /corrupt\.mp3: cannot decode/);
    assert.equal(summary.filesRead, 1);
    assert.equal(summary.filesSkipped, 1);
    assert.equal(summary.clipsKept, 10);
    assert.ok(Math.abs(summary.seconds - 40960 / 16000) < 1e-9);

    const { train, heldOut, index } = await loadWaveformDatasetWithIndex(path.join(dir, 'dataset'));
    assert.equal(train.length, 9);
    assert.equal(heldOut.length, 1);
    assert.equal(index.split.by, 'clip'); // one file: it cannot be held out whole
    assert.deepEqual(index.sources.kind === 'folder' && index.sources.skipped.map((s) => s.path), ['corrupt.mp3']);
    const clip = [...train, ...heldOut][0];
    const expected = sine(4096, 16000, 500, 0.1);
    for (let i = 0; i < clip.length; i++) assert.ok(Math.abs(clip[i] - expected[i]) < 1e-3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('folder: a file at another rate goes through the resampler passed in', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wavecast-folder-dataset-'));
  try {
    const input = path.join(dir, 'audio');
    await mkdir(input);
    await writeFile(path.join(input, 'tone-32k.wav'), wavBytes([sine(16384, 32000, 1000, 0.5)], 32000));
    const calls: [number, Hz, Hz][] = [];
    // Every other sample: enough to see the hook used (the CLI passes server/dsp's Resampler).
    const halve = (signal: Float32Array, inputRate: Hz, outputRate: Hz) => {
      calls.push([signal.length, inputRate, outputRate]);
      return signal.filter((_, i) => i % 2 === 0);
    };
    const summary = await buildFolderDataset({ input, out: path.join(dir, 'dataset'), clipSamples: 4096, ffmpeg: null, resample: halve });
    assert.deepEqual(calls, [[16384, 32000, 16000]]);
    assert.equal(summary.clipsKept, 2);
    assert.match(summary.index.sources.kind === 'folder' ? summary.index.sources.files[0].decoder : '', /32000 Hz resampled by the resampler/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
