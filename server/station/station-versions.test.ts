/**
 * Live pickup of published model versions, on fakes: a catalogue whose versions the test
 * publishes, and the frames listeners get.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chunk } from '../broadcast/chunk-queue.js';
import type { ModelManifest } from '../families/model.js';
import { FAKE_MODELS, startFakeStation } from './fake-station.test-helper.js';
import type { CatalogueScan, ModelCatalogue } from './model-catalogue.js';

/** A catalogue of tone-a's versions (and the other fakes, plain), published by the test. */
class VersionedCatalogue implements ModelCatalogue {
  readonly location = 'the test catalogue';
  versions: number[] = [1];
  latest = 1;
  scans = 0;
  async scan(): Promise<CatalogueScan> {
    this.scans++;
    const toneA = FAKE_MODELS[0].manifest;
    const models: ModelManifest[] = [...this.versions.map((version) => ({ ...toneA, version })), ...FAKE_MODELS.slice(1).map((m) => m.manifest)];
    return { models, latest: { 'tone-a': this.latest }, problems: [] };
  }
  async setLatest(_id: string, version: number) {
    this.latest = version;
  }
  publish(version: number) {
    this.versions.push(version);
    this.latest = version;
  }
}

const until = async (what: string, condition: () => boolean, seconds = 5) => {
  const end = performance.now() + seconds * 1000;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const sequenceOf = (chunk: Chunk) => new DataView(chunk.bytes.buffer, chunk.bytes.byteOffset).getUint32(0, true);

test('a channel following a model moves to each published version without a gap; a pinned one stays; a bad one is rejected; roll back moves it back', async () => {
  const catalogue = new VersionedCatalogue();
  const { station, made } = await startFakeStation({ catalogue, givesNaN: ['tone-a@4'], server: { modelRescan: 3600 } });
  try {
    const a = station.channel('a');
    const chunks: Chunk[] = [];
    a.output.pcmQueue('f32le').on('chunk', (chunk: Chunk) => chunks.push(chunk));
    const version = (id: string) => station.channel(id).channel.model.manifest.version;
    assert.equal(version('a'), 1);

    catalogue.publish(2);
    await station.pickUp();
    assert.equal(version('a'), 2);
    assert.equal(version('b'), 2, 'b follows the latest too');
    await until('the v2 title on air', () => chunks.some((c) => c.title === 'a: sine - tone-a v2'));
    const v1 = made.find((g) => g.info.manifest.version === 1)!;
    await until('v1 unloaded', () => v1.disposed);

    await station.updateChannel('b', { version: 2 });
    assert.equal(station.followOf('b'), 2);
    catalogue.publish(3);
    await station.pickUp();
    assert.deepEqual([version('a'), version('b')], [3, 2], 'the pinned channel stays');

    catalogue.publish(4); // loads, but its output is NaN
    await station.pickUp();
    assert.equal(version('a'), 3);
    assert.ok(station.problems.recent().some((p) => p.channel === 'a' && /model "tone-a v4" rejected, channel plays on: .*NaN/.test(p.message)));
    await until('v4 unloaded', () => made.find((g) => g.info.manifest.version === 4)!.disposed);
    const scans = catalogue.scans;
    await station.pickUp();
    assert.equal(made.filter((g) => g.info.manifest.version === 4).length, 1, 'a rejected version is not tried again');
    assert.equal(catalogue.scans, scans + 1);

    await station.setLatest('tone-a', 3 - 2);
    assert.equal(version('a'), 1, 'rolled back to a kept version');
    await assert.rejects(station.setLatest('tone-a', 9), /has no valid version 9 .*valid: 1, 2, 3, 4/);

    const summary = station.models().find((m) => m.id === 'tone-a')!;
    assert.equal(summary.version, 1);
    assert.deepEqual(summary.versions!.map((v) => [v.version, v.loaded]), [[1, true], [2, true], [3, false], [4, false]]);
    assert.deepEqual(summary.channels, [{ id: 'a', version: 1, follow: 'latest' }, { id: 'b', version: 2, follow: 2 }]);

    await until('a second more of audio', () => chunks.length >= 40);
    const sequence = chunks.map(sequenceOf);
    assert.deepEqual(sequence, sequence.map((_, i) => sequence[0] + i), 'no frame missing across the moves');
  } finally {
    await station.stop();
  }
});
