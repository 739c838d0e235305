import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildBuiltinDataset } from './builtin-dataset.js';
import { builtinHits, DRUM_KEYS, type OneShotHit } from './builtin-hits.js';
import { peakOf, rmsDbfs } from './clip-level.js';
import { onsetOf, renderOneShot } from './one-shot-render.js';
import { loadWaveformDatasetWithIndex } from './waveform-dataset.js';

const RATE = 16000;
const CLIP = 4096; // 0.256 s

function take(set: 'drums' | 'mixed', seed: number, count: number): OneShotHit[] {
  const hits: OneShotHit[] = [];
  for (const hit of builtinHits(set, seed)) {
    if (hits.length === count) break;
    hits.push(hit);
  }
  return hits;
}

test('built-in hits: the same seed plans the same hits; drums cover the kit', () => {
  assert.deepEqual(take('mixed', 3, 50), take('mixed', 3, 50));
  assert.notDeepEqual(take('drums', 3, 50), take('drums', 4, 50));
  const drums = take('drums', 1, 300);
  assert.deepEqual(new Set(drums.map((hit) => hit.label)), new Set(Object.keys(DRUM_KEYS)));
  for (const hit of drums) {
    assert.equal(hit.channel, 'drums');
    assert.ok(DRUM_KEYS[hit.label].includes(hit.pitches[0]));
  }
});

test('built-in drums: non-silent, distinct one-shots whose attack is at the clip start, rendered alike twice', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wavecast-builtin-dataset-'));
  try {
    const summary = await buildBuiltinDataset({ set: 'drums', count: 24, out: dir, seed: 2, sampleRate: RATE, clipSamples: CLIP });
    assert.equal(summary.clipsKept, 24);
    const { train, heldOut, index, clipSamples, sampleRate } = await loadWaveformDatasetWithIndex(dir);
    assert.deepEqual([sampleRate, clipSamples], [RATE, CLIP]);
    assert.equal(heldOut.length, 2);
    assert.equal(index.sources.kind === 'builtin' && Object.values(index.sources.labels).reduce((a, b) => a + b), 24);
    const clips = [...train, ...heldOut];
    for (const clip of clips) {
      // Peaks at −1 dBFS × velocity / 127, velocities 40–127.
      assert.ok(peakOf(clip) > 0.27 && peakOf(clip) < 0.9, `peak ${peakOf(clip)}`);
      assert.ok(rmsDbfs(clip) > -40, `a hit, not silence (${rmsDbfs(clip).toFixed(1)} dBFS)`);
      // The attack 1 ms in (16 samples), give or take the rise of the hit to −20 dB of its peak.
      assert.ok(onsetOf(clip, clip.length) <= 40, `attack at sample ${onsetOf(clip, clip.length)}`);
      // The clip's own start is the quiet lead-in, not the middle of a hit.
      assert.ok(Math.abs(clip[0]) < 0.05);
    }
    for (let a = 0; a < clips.length; a++) {
      for (let b = a + 1; b < clips.length; b++) {
        let difference = 0;
        for (let i = 0; i < CLIP; i++) difference += (clips[a][i] - clips[b][i]) ** 2;
        assert.ok(Math.sqrt(difference / CLIP) > 1e-3, `clips ${a} and ${b} differ`);
      }
    }
    const [hit] = take('drums', 2, 1);
    const once = await renderOneShot(hit, { sampleRate: RATE, clipSamples: CLIP });
    const again = await renderOneShot(hit, { sampleRate: RATE, clipSamples: CLIP });
    assert.deepEqual(once.clip, again.clip);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
