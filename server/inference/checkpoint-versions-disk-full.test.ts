/**
 * Fault: the disk fills while a version is published (issue 14). The publish must fail with an
 * error naming ENOSPC and the file, and leave the models folder exactly as it was: no half-written
 * file, no version without its pointer, no empty model folder, nothing in .staging. A full disk is
 * simulated through publishVersion's `writeFile` seam at each file it writes, and, where this
 * process may mount one (root), for real on a tiny tmpfs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initWaveGanWeights } from '../families/waveform/wavegan-architecture.js';
import { writeAndSync, type FileWriter } from './atomic-write.js';
import { manifestFor, temporaryModelsDir } from './checkpoint.test-helper.js';
import { listCheckpoints } from './checkpoint-listing.js';
import { publishVersion, readCurrentVersion, STAGING_DIR } from './checkpoint-versions.js';

let modelsDir: string;
let remove: () => Promise<void>;
before(async () => ({ modelsDir, remove } = await temporaryModelsDir()));
after(() => remove());

/** Every file and folder under `dir` with its size (folders: -1), sorted; what a reader could see. */
async function snapshot(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const rows = await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(entry.parentPath ?? entry.path, entry.name);
      const size = entry.isDirectory() ? -1 : (await stat(full)).size;
      return `${path.relative(dir, full)} ${size}`;
    }),
  );
  return rows.sort();
}

/** Node's error for a write to a full disk. */
function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

/** A writer like the default one that, for the file named `name`, writes half its bytes and then finds the disk full. */
function fullAt(name: string): FileWriter {
  return async (file, bytes) => {
    if (!path.basename(file).startsWith(`${name}.`)) return writeAndSync(file, bytes);
    const half = typeof bytes === 'string' ? bytes.slice(0, bytes.length / 2) : bytes.subarray(0, bytes.length / 2);
    await writeFile(file, half);
    throw enospc();
  };
}

const publish = (id: string, seed: number, writeFile?: FileWriter) =>
  publishVersion({
    modelsDir,
    manifest: manifestFor(id, { trained: true, trainingSteps: 100 * seed }),
    weights: initWaveGanWeights({ d: 4, seed }),
    extraFiles: { 'report.html': '<p>report</p>' },
    writeFile,
  });

for (const file of ['weights.bin', 'weights.json', 'manifest.json', 'report.html', 'model.onnx', 'current.json']) {
  test(`the disk fills while writing ${file}: the publish fails naming ENOSPC and the file; the folder is as it was`, async () => {
    const id = `full-${file.replace('.', '-')}`;
    await publish(id, 1);
    const before = await snapshot(modelsDir);
    const listed = await listCheckpoints(modelsDir);
    await assert.rejects(publish(id, 2, fullAt(file)), (error: NodeJS.ErrnoException) => {
      assert.equal(error.code, 'ENOSPC', `${error.message}`);
      assert.match(error.message, new RegExp(`ENOSPC.*${file.replace('.', '\\.')}|${file.replace('.', '\\.')}.*ENOSPC`));
      return true;
    });
    assert.deepEqual(await snapshot(modelsDir), before, 'every file and folder as before');
    assert.deepEqual(await listCheckpoints(modelsDir), listed);
    assert.equal(await readCurrentVersion(path.join(modelsDir, id)), 1);
    assert.deepEqual(await readdir(path.join(modelsDir, STAGING_DIR)), [], '.staging holds nothing');
    // The disk has room again: the next publish takes the next number as if nothing happened.
    assert.equal((await publish(id, 3)).version, 2);
  });
}

test('the first version of a new model meets a full disk: no model folder is left behind', async () => {
  const before = await snapshot(modelsDir);
  await assert.rejects(publish('brand-new', 1, fullAt('weights.bin')), { code: 'ENOSPC' });
  assert.deepEqual(await snapshot(modelsDir), before);
});

/** True when this process may mount a filesystem (root in a namespace that allows it). */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  return spawnSync('sh', ['-c', 'command -v mount && command -v umount'], { stdio: 'ignore' }).status === 0;
}

test('a real full disk (a 4 MiB tmpfs, filled): the publish fails with ENOSPC and leaves the folder as it was', { skip: !canMount() && 'needs root to mount a tmpfs' }, async (t) => {
  const mountPoint = await mkdtemp(path.join(tmpdir(), 'wavecast-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]);
  if (mounted.status !== 0) {
    await rm(mountPoint, { recursive: true, force: true });
    return t.skip(`mount refused: ${mounted.stderr}`);
  }
  try {
    const small = path.join(mountPoint, 'models');
    await mkdir(small);
    const first = await publishVersion({ modelsDir: small, manifest: manifestFor('tiny', { trained: true, trainingSteps: 1 }), weights: initWaveGanWeights({ d: 4, seed: 1 }) });
    assert.equal(first.version, 1);
    // Fill the disk but for 100 KB: less than a version's weights (400 KB).
    const { bavail, bsize } = await statfs(mountPoint);
    await writeFile(path.join(mountPoint, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - 100 * 1024)));
    const before = await snapshot(small);
    await assert.rejects(
      publishVersion({ modelsDir: small, manifest: manifestFor('tiny', { trained: true, trainingSteps: 2 }), weights: initWaveGanWeights({ d: 4, seed: 2 }) }),
      (error: NodeJS.ErrnoException) => {
        t.diagnostic(error.message);
        return error.code === 'ENOSPC' && /ENOSPC/.test(error.message) && error.message.includes(small);
      },
    );
    assert.deepEqual(await snapshot(small), before);
    assert.deepEqual(await readdir(path.join(small, STAGING_DIR)), []);
    assert.equal(JSON.parse(await readFile(path.join(small, 'tiny', 'current.json'), 'utf8')).version, 1);
  } finally {
    spawnSync('umount', [mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
  }
});
