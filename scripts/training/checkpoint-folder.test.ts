import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkpointFolderProblem, newCheckpointFolder } from './checkpoint-folder.js';

test('a run publishes into a new folder named for when it started, never onto the shipped model', () => {
  const at = new Date('2026-11-30T12:15:09.123Z');
  assert.equal(newCheckpointFolder('/repo/models', 'symbolic', at), path.join('/repo/models', 'symbolic-20261130-121509'));
  assert.notEqual(newCheckpointFolder('/repo/models', 'symbolic', at), newCheckpointFolder('/repo/models', 'symbolic', new Date(at.getTime() + 1000)));
});

test('a folder holding a checkpoint is refused unless --overwrite; an empty or missing one is fine', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wavecast-out-'));
  try {
    assert.equal(await checkpointFolderProblem(path.join(dir, 'absent'), false), undefined);
    assert.equal(await checkpointFolderProblem(dir, false), undefined);
    await writeFile(path.join(dir, 'manifest.json'), '{}');
    assert.match((await checkpointFolderProblem(dir, false))!, /holds a checkpoint already; choose another --out, or add --overwrite/);
    assert.equal(await checkpointFolderProblem(dir, true), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
