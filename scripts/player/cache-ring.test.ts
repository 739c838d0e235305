import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CacheRing } from './cache-ring.js';

/** Interleaved stereo frames whose left sample encodes the frame number (so a read-back can be checked). */
function ramp(from: number, frames: number): Float32Array {
  const out = new Float32Array(frames * 2);
  for (let f = 0; f < frames; f++) {
    out[2 * f] = ((from + f) % 30000) / 32767;
    out[2 * f + 1] = -out[2 * f];
  }
  return out;
}

function withDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cache-ring-'));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const segments = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.s16')).sort();

test('rotation keeps the newest `capacity` frames in segment files, bounded by capacity + one segment', () => {
  withDir((dir) => {
    const ring = new CacheRing({ dir, capacity: 1000, segmentFrames: 300 });
    let written = 0;
    for (let i = 0; i < 40; i++) {
      ring.append(ramp(written, 97));
      written += 97;
      ring.flush();
      assert.ok(ring.totalFrames <= 1000 + 300, `holds ${ring.totalFrames} frames after ${written}`);
      const bytes = segments(dir).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
      assert.equal(bytes, ring.totalFrames * 4, 'the index matches the files on disk');
    }
    assert.ok(ring.totalFrames >= 1000, 'and never drops below the capacity once full');
    const names = segments(dir);
    assert.ok(names.length <= 5, `${names.length} segment files`);
    // The oldest frame kept is the one `totalFrames` before the end, and it reads back.
    const reader = ring.reader(0);
    const out = new Float32Array(ring.totalFrames * 2);
    assert.equal(reader.read(out, ring.totalFrames), ring.totalFrames);
    const first = written - ring.totalFrames;
    for (const f of [0, 1, 299, 300, ring.totalFrames - 1]) {
      assert.ok(Math.abs(out[2 * f] - ((first + f) % 30000) / 32767) < 1e-4, `frame ${f} reads back`);
      assert.ok(Math.abs(out[2 * f + 1] + out[2 * f]) < 1e-4);
    }
    reader.release();
  });
});

test('a reader plays one run from its start frame to the run end, never across into the next run', () => {
  withDir((dir) => {
    const ring = new CacheRing({ dir, capacity: 100_000, segmentFrames: 250 });
    ring.append(ramp(0, 600));
    ring.endRun();
    ring.append(ramp(10_000, 400));
    ring.endRun();
    const runs = ring.runs();
    assert.deepEqual(runs.map((r) => [r.start, r.frames]), [[0, 600], [600, 400]]);
    const reader = ring.reader(100);
    assert.equal(reader.available(), 500);
    const out = new Float32Array(2000 * 2);
    assert.equal(reader.read(out, 2000), 500, 'stops at the end of the first run');
    assert.ok(Math.abs(out[0] - 100 / 32767) < 1e-4);
    assert.ok(Math.abs(out[2 * 499] - 599 / 32767) < 1e-4);
    assert.equal(reader.available(), 0);
    const second = ring.reader(650);
    assert.equal(second.available(), 350);
    second.read(out, 1);
    assert.ok(Math.abs(out[0] - 10_050 / 32767) < 1e-4);
    assert.ok(second.heardAt instanceof Date && Math.abs(second.heardAt.getTime() - Date.now()) < 60_000);
  });
});

test('pickStart avoids the newest audio and run ends, relaxing both for a short cache', () => {
  withDir((dir) => {
    const ring = new CacheRing({ dir, capacity: 1_000_000, segmentFrames: 44100 });
    assert.equal(ring.pickStart(Math.random, 0, 0), undefined, 'an empty cache has no start');
    ring.append(ramp(0, 5000));
    ring.endRun();
    ring.append(ramp(0, 3000));
    ring.endRun();
    for (let i = 0; i <= 20; i++) {
      const start = ring.pickStart(() => i / 20.0001, 4000, 500)!;
      // Newest 4000 frames (4000…8000) excluded; at least 500 frames before the run's end.
      assert.ok(start >= 0 && start <= 4000 && start <= 5000 - 500, `start ${start}`);
    }
    assert.equal(ring.pickStart(() => 1 - 1e-12, 4000, 500), 4000, 'the whole allowed range is reachable');
    // Everything excluded: falls back to anywhere that leaves minPlay, then to the longest run's start.
    const relaxed = ring.pickStart(() => 0.999, 8001, 500)!;
    assert.ok(relaxed >= 5000 && relaxed <= 7500, `relaxed start ${relaxed} (in the second run, 500 before its end)`);
    assert.equal(ring.pickStart(() => 0.5, 8001, 6000), 0);
  });
});

test('the cache survives a restart of the player, and a folder in another format is cleared', () => {
  withDir((dir) => {
    const first = new CacheRing({ dir, capacity: 10_000, segmentFrames: 1000 });
    first.append(ramp(0, 2500));
    first.close();
    const again = new CacheRing({ dir, capacity: 10_000, segmentFrames: 1000 });
    assert.equal(again.totalFrames, 2500);
    assert.equal(again.runs().length, 1);
    again.append(ramp(0, 100));
    again.close();
    assert.equal(new CacheRing({ dir, capacity: 10_000, segmentFrames: 1000 }).runs().length, 2, 'new audio is a new run');
    // A smaller capacity at the next start rotates at once.
    assert.ok(new CacheRing({ dir, capacity: 1000, segmentFrames: 1000 }).totalFrames <= 2000);
    writeFileSync(path.join(dir, 'format.json'), '{"sampleRate":48000}');
    writeFileSync(path.join(dir, 'notes.txt'), 'not ours');
    const cleared = new CacheRing({ dir, capacity: 10_000, segmentFrames: 1000 });
    assert.equal(cleared.totalFrames, 0);
    assert.deepEqual(segments(dir), []);
    assert.ok(readdirSync(dir).includes('notes.txt'), 'only its own segment files are removed');
  });
});

test('a write that fails (the folder gone, a full disk) stops caching once, without throwing', () => {
  withDir((dir) => {
    const errors: Error[] = [];
    const ring = new CacheRing({ dir: path.join(dir, 'cache'), capacity: 10_000, segmentFrames: 1000, onError: (e) => errors.push(e) });
    rmSync(path.join(dir, 'cache'), { recursive: true });
    ring.append(ramp(0, 500));
    ring.flush();
    ring.append(ramp(0, 500));
    ring.endRun();
    assert.equal(errors.length, 1);
    assert.equal(ring.totalFrames, 0);
  });
});
