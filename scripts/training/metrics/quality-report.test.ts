import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareToData, formatReportTable, relativeDifference, renderReportHtml, type QualityReport } from './quality-report.js';
import { METRIC_NAMES } from './musegan-metrics.js';
import { STEPS_PER_PHRASE, cellIndex, emptyRoll, rowOfPitch, type PianoRoll } from '../../../server/families/symbolic/piano-roll.js';
import { mulberry32 } from '../../../server/core/seeded-random.js';

const TRIADS = [[60, 64, 67], [57, 60, 64], [53, 57, 60], [55, 59, 62]];

/**
 * A plausible phrase: kick and snare on beats, hats on random 8ths, a bass note per half bar,
 * a triad per bar. `fragment` chops the chords into one-step blips (a GAN artifact).
 */
function phrase(uniform: () => number, { drums = true, fragment = false } = {}): PianoRoll {
  const roll = emptyRoll();
  for (let step = 0; step < STEPS_PER_PHRASE; step++) {
    if (!drums) break;
    if (step % 8 === 0) roll[cellIndex(step, 'drums', 0)] = 1;
    if (step % 8 === 4) roll[cellIndex(step, 'drums', 1)] = 1;
    if (step % 2 === 0 && uniform() < 0.6) roll[cellIndex(step, 'drums', 2)] = 1;
  }
  for (let bar = 0; bar < 4; bar++) {
    const triad = TRIADS[Math.floor(uniform() * TRIADS.length)];
    for (const pitch of triad) {
      for (let step = bar * 16; step < bar * 16 + 16; step++) {
        if (fragment && step % 2 === 1) continue;
        roll[cellIndex(step, 'chords', rowOfPitch('chords', pitch))] = 1;
      }
    }
    for (let half = 0; half < 2; half++) {
      const root = triad[Math.floor(uniform() * 3)] - 24;
      const row = rowOfPitch('bass', root < 36 ? root + 12 : root);
      assert.ok(row >= 0);
      const start = bar * 16 + half * 8;
      for (let step = start; step < start + 6; step++) roll[cellIndex(step, 'bass', row)] = 1;
    }
  }
  return roll;
}

const phrases = (count: number, seed: number, options?: Parameters<typeof phrase>[1]) => {
  const uniform = mulberry32(seed);
  return Array.from({ length: count }, () => phrase(uniform, options));
};

const metric = (report: QualityReport, name: string) => report.metrics.find((m) => m.name === name)!;

test('relativeDifference divides by the data value, or by the floor when the data value is smaller', () => {
  assert.equal(relativeDifference(0.75, 0.5, 0.1), 0.5);
  assert.ok(Math.abs(relativeDifference(0.02, 0.01, 0.1) - 0.1) < 1e-12);
  assert.equal(relativeDifference(1.5, 0, 1), 1.5);
  assert.equal(relativeDifference(0, 0, 0.1), 0);
});

test('another draw from the same distribution passes', () => {
  const report = compareToData(phrases(120, 2), phrases(120, 1));
  assert.equal(report.passed, true, formatReportTable(report));
  assert.equal(report.metrics.length, METRIC_NAMES.length);
  assert.ok(report.diversity.ratio > 0.9 && report.diversity.ratio < 1.1, `ratio ${report.diversity.ratio}`);
  assert.equal(report.diversity.distinct.generated, 120);
});

test('fragmented chords fail QN.chords and only the metrics they touch', () => {
  const report = compareToData(phrases(60, 2, { fragment: true }), phrases(60, 1));
  const qn = metric(report, 'QN.chords');
  assert.equal(qn.data, 1);
  assert.equal(qn.generated, 0);
  assert.equal(qn.pass, false);
  assert.equal(metric(report, 'QN.bass').pass, true);
  assert.equal(metric(report, 'UPC.chords').pass, true);
  assert.equal(report.passed, false);
});

test('a collapsed generator (one phrase repeated) fails on diversity alone', () => {
  const data = phrases(60, 1);
  const collapsed = Array.from({ length: 60 }, () => data[0].slice());
  const report = compareToData(collapsed, data, { tolerance: 10 });
  assert.equal(report.diversity.generated, 0);
  assert.equal(report.diversity.pass, false);
  assert.equal(report.diversity.distinct.generated, 1);
  assert.ok(report.metrics.every((m) => m.pass));
  assert.equal(report.passed, false);
});

test('tolerance and minDiversityRatio are options', () => {
  const [generated, data] = [phrases(40, 3), phrases(40, 4)];
  const strict = compareToData(generated, data, { tolerance: 0, minDiversityRatio: 2 });
  assert.equal(strict.diversity.pass, false);
  assert.ok(strict.metrics.some((m) => !m.pass));
  assert.ok(compareToData(generated, data, { tolerance: 0.5 }).passed);
});

test('a metric undefined in both sets passes; undefined in one fails', () => {
  const noDrums = compareToData(phrases(20, 5, { drums: false }), phrases(20, 6, { drums: false }));
  assert.equal(metric(noDrums, 'DP.drums').pass, true);
  assert.equal(metric(noDrums, 'DP.drums').note, 'undefined in both sets');
  assert.equal(noDrums.passed, true);
  const drumsOnlyInGenerated = compareToData(phrases(20, 5), phrases(20, 6, { drums: false }));
  assert.equal(metric(drumsOnlyInGenerated, 'DP.drums').pass, false);
  assert.equal(metric(drumsOnlyInGenerated, 'DP.drums').note, 'undefined in the data');
  assert.ok(!Number.isNaN(metric(drumsOnlyInGenerated, 'DP.drums').relativeDifference));
});

test('compareToData rejects empty sets', () => {
  assert.throws(() => compareToData([], phrases(2, 1)), RangeError);
  assert.throws(() => compareToData(phrases(2, 1), []), RangeError);
});

test('formatReportTable aligns columns and names every metric', () => {
  const report = compareToData(phrases(30, 2, { fragment: true }), phrases(30, 1));
  const table = formatReportTable(report);
  const lines = table.split('\n');
  for (const name of METRIC_NAMES) assert.ok(lines.some((l) => l.startsWith(`${name} `)), name);
  const dataEnd = lines[0].indexOf('data') + 'data'.length;
  for (const line of lines.slice(2, 2 + METRIC_NAMES.length)) assert.match(line.slice(dataEnd - 5, dataEnd), /^\d\.\d{3}$/, line);
  assert.match(lines[lines.length - 1], /^FAILED: \d\/9 metrics within 15\.0%/);
  assert.ok(table.includes('FAIL') && table.includes('diversity'));
});

test('renderReportHtml is one self-contained page with charts, the table and every metric', () => {
  const report = compareToData(phrases(30, 2), phrases(30, 1));
  const history = Array.from({ length: 50 }, (_, i) => ({ step: i * 10, criticLoss: -5 / (i + 1), generatorLoss: 3 - i / 20, gradientPenalty: 0.1, wasserstein: 4 / (i + 1) }));
  const html = renderReportHtml(report, history.reverse(), { title: 'run <7>', meta: { checkpoint: 'models/sym-7', steps: 500 } });
  assert.match(html, /^<!doctype html>/);
  assert.equal(html.match(/<svg/g)?.length, 3, 'metric bars, losses, critic terms');
  for (const name of METRIC_NAMES) assert.ok(html.includes(name), name);
  assert.ok(html.includes('run &lt;7&gt;') && !html.includes('run <7>'));
  assert.ok(html.includes('models/sym-7') && html.includes('<table>'));
  assert.doesNotMatch(html, /<script|<link|src=|url\(/);
  const lossesOnly = renderReportHtml(report, [{ step: 0, criticLoss: 1, generatorLoss: 2 }, { step: 1, criticLoss: 0.5, generatorLoss: 1.5 }]);
  assert.equal(lossesOnly.match(/<svg/g)?.length, 2, 'no critic-terms plot without those terms');
  assert.ok(renderReportHtml(report, []).includes('no data'));
});
