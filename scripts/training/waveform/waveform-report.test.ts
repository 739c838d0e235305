import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takeSnapshot, thinSnapshots, type ReportSnapshot } from './report-snapshot.js';
import { syntheticClips } from './synthetic-clips.js';
import { renderReportHtml, renderReportJson, type WaveformReport } from './waveform-report.js';

const clips = syntheticClips({ count: 4, clipSamples: 4096, sampleRate: 16000, seed: 1 });

test('a snapshot has a spectrogram per clip, the distance to the real clips and the level', () => {
  const same = takeSnapshot(10, clips, clips);
  assert.equal(same.images!.length, 4);
  assert.ok(same.images!.every((png) => Buffer.from(png, 'base64').subarray(1, 4).toString() === 'PNG'));
  assert.equal(same.spectralDistanceDb, 0);
  const quiet = takeSnapshot(10, clips.map((c) => c.map((v) => v / 10)), clips);
  assert.ok(Math.abs(quiet.spectralDistanceDb - 20) < 0.01, 'a tenth of the amplitude is 20 dB off');
  assert.ok(Math.abs(quiet.rmsDb - (same.rmsDb - 20)) < 0.01);
});

test('thinning keeps the first and the last pictures and spreads the rest', () => {
  const snapshots: ReportSnapshot[] = Array.from({ length: 6 }, (_, i) => ({ step: i * 100, spectralDistanceDb: 1, rmsDb: -20, images: ['x'] }));
  thinSnapshots(snapshots, 4);
  assert.deepEqual(snapshots.filter((s) => s.images).map((s) => s.step), [0, 200, 400, 500]);
  assert.equal(snapshots.length, 6, 'the figures stay');
});

test('report.html inlines the plots, the pictures and the audio and escapes text; report.json keeps them out', () => {
  const report: WaveformReport = {
    title: 'run <1>',
    meta: { model: 'm', 'steps per second': 0.123456 },
    history: [{ step: 1, criticLoss: 7, generatorLoss: 0.1, wasserstein: 0.2, gradientPenalty: 0.7 }],
    snapshots: [takeSnapshot(1, clips.slice(0, 2), clips)],
    real: { images: ['AAAA'], halfDistanceDb: 3 },
    audio: ['UklGRg=='],
  };
  const html = renderReportHtml(report);
  assert.ok(html.includes('<title>run &lt;1&gt;</title>'));
  assert.equal(html.match(/<svg /g)?.length, 3);
  assert.equal(html.match(/data:image\/png;base64,/g)?.length, 3);
  assert.ok(html.includes('<audio controls src="data:audio/wav;base64,UklGRg=="'));
  assert.ok(html.includes('<dd>0.123</dd>'));
  const json = JSON.parse(renderReportJson(report));
  assert.deepEqual(Object.keys(json.snapshots[0]).sort(), ['rmsDb', 'spectralDistanceDb', 'step']);
  assert.equal(json.history[0].wasserstein, 0.2);
});
