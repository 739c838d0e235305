import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DatasetWriter } from './training/dataset/dataset-writer.js';
import { syntheticClips } from './training/waveform/synthetic-clips.js';

function run(...args: string[]): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train-waveform.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stderr: result.stderr };
}

test('bad options are refused with exit 1 and a message that names the option', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--synthetic', '8', '--d', '0'], /train-waveform: --d must be a positive whole number, got "0"/],
    [['--synthetic', '8', '--clip-samples', '5000'], /--clip-samples must be 16·4\^L: 1024, 4096, 16384, 65536; got 5000/],
    [['--synthetic', '8', '--minutes', 'soon'], /--minutes must be a positive number, got "soon"/],
    [[], /give either --dataset DIR or --synthetic N/],
    [['--synthetic', '8', '--bogus'], /Unknown option '--bogus'/],
    [['--dataset', '/nonexistent/wavegan-data'], /train-waveform: .*\/nonexistent\/wavegan-data/],
  ];
  for (const [args, message] of cases) {
    const { status, stderr } = run(...args);
    assert.equal(status, 1, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, message);
  }
});

test('a short synthetic run publishes a version with its report', async () => {
  const modelsDir = await mkdtemp(path.join(os.tmpdir(), 'train-waveform-cli-'));
  try {
    const out = path.join(modelsDir, 'tiny');
    const args = ['--synthetic', '8', '--d', '2', '--clip-samples', '1024', '--batch', '2', '--latent-dim', '4', '--steps', '1', '--out', out];
    const { status, stderr } = run(...args);
    assert.equal(status, 0, stderr);
    assert.match(stderr, /tfjs backend (wasm|tensorflow|cpu); 8 clips of 1024 samples at 16000 Hz; model tiny/);
    const again = run(...args);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /tiny\/\.train-state holds a training state: add --resume to continue it, or remove it/);
    // A new run of the same model publishes after the earlier run's versions.
    await rm(path.join(out, '.train-state'), { recursive: true });
    const next = run(...args);
    assert.equal(next.status, 0, next.stderr);
    assert.deepEqual(await readdir(path.join(out, 'versions')), ['1', '2']);
  } finally {
    await rm(modelsDir, { recursive: true, force: true });
  }
});

test('a dataset whose clips do not match --clip-samples / --sample-rate is refused, naming both', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'train-waveform-data-'));
  try {
    const writer = await DatasetWriter.open({ dir, sampleRate: 16000, clipSamples: 1024 });
    for (const [i, clip] of syntheticClips({ count: 6, clipSamples: 1024, sampleRate: 16000 }).entries()) await writer.add(clip, i);
    await writer.finish({ kind: 'builtin', set: 'drums', seed: 1, labels: { kick: 6 } }, { fraction: 0.2, seed: 1 });
    const { status, stderr } = run('--dataset', dir, '--clip-samples', '4096', '--sample-rate', '22050', '--out', path.join(dir, 'model'));
    assert.equal(status, 1, stderr);
    assert.match(stderr, /the dataset has clips of 1024 samples at 16000 Hz, the model was asked for 4096 samples at 22050 Hz/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
