import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newCheckpointFolder, plainCheckpointProblem } from './checkpoint-folder.js';

test('a run publishes into a new folder named for when it started, never onto the shipped model', () => {
  const at = new Date('2026-11-30T12:15:09.123Z');
  assert.equal(newCheckpointFolder('/repo/models', 'symbolic', at), path.join('/repo/models', 'symbolic-20261130-121509'));
  assert.notEqual(newCheckpointFolder('/repo/models', 'symbolic', at), newCheckpointFolder('/repo/models', 'symbolic', new Date(at.getTime() + 1000)));
});

test('a plain checkpoint folder is refused; a missing, empty or versioned model is fine', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wavecast-out-'));
  try {
    assert.equal(await plainCheckpointProblem(path.join(dir, 'absent')), undefined);
    assert.equal(await plainCheckpointProblem(dir), undefined);
    await writeFile(path.join(dir, 'current.json'), '{"version": 1}');
    assert.equal(await plainCheckpointProblem(dir), undefined);
    await writeFile(path.join(dir, 'manifest.json'), '{}');
    assert.match((await plainCheckpointProblem(dir))!, /holds a plain checkpoint \(not versions\); choose another --out/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
