import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSongs, formatReportTable, renderReportHtml, verdictLine, withinTolerance, type QualityReport } from './quality-report.js';
import { METRIC_NAMES } from './musegan-metrics.js';
import { LISTENER_FIGURE_NAMES } from './listener-figures.js';
import { note, plausibleSongs, song } from './song-fixtures.test-helper.js';

const ALL_NAMES = [...METRIC_NAMES, ...LISTENER_FIGURE_NAMES];
const figure = (report: QualityReport, name: string) => report.figures.find((f) => f.name === name)!;

test('the pass rule: within 15% of the data, or within 0.05 where the data is below 0.1', () => {
  assert.equal(withinTolerance(1.15, 1), true, 'exactly 15% passes');
  assert.equal(withinTolerance(0.85, 1), true);
  assert.equal(withinTolerance(1.16, 1), false);
  assert.equal(withinTolerance(3.5, 4), true);
  assert.equal(withinTolerance(3.3, 4), false);
  // At 0.1 the relative arm still applies (0.015 allowed); just below, 0.05 is.
  assert.equal(withinTolerance(0.115, 0.1), true);
  assert.equal(withinTolerance(0.14, 0.1), false, '40% off a data value of 0.1');
  assert.equal(withinTolerance(0.14, 0.099), true, '0.041 off a data value below 0.1');
  assert.equal(withinTolerance(0.15, 0.099), false, '0.051 is more than 0.05');
  assert.equal(withinTolerance(0.05, 0), true);
  assert.equal(withinTolerance(0.06, 0), false);
  assert.equal(withinTolerance(0.3, 0.099, { tolerance: 0.15, absoluteBelow: 0.1, absoluteTolerance: 0.25 }), true, 'the rule is an option');
});

test('another draw from the same distribution passes all 36 figures, in report order', () => {
  const report = compareSongs(plausibleSongs(40, 2), plausibleSongs(40, 1));
  assert.equal(report.passed, true, formatReportTable(report));
  assert.deepEqual(report.figures.map((f) => f.name), ALL_NAMES);
  assert.equal(report.figures.length, 36);
  assert.deepEqual(report.figures.map((f) => f.group), [...METRIC_NAMES.map(() => 'musegan'), ...LISTENER_FIGURE_NAMES.map(() => 'listener')]);
  assert.equal(figure(report, 'TD.bass-chords').track, 'bass-chords');
  assert.equal(figure(report, 'similarity4.drums').track, 'drums');
  assert.equal(figure(report, 'oneStep.chords').description, 'notes one step (a 16th) long, chords');
  const polyphony = figure(report, 'polyphony.chords');
  assert.equal(polyphony.data, 3);
  assert.equal(polyphony.difference, polyphony.generated - polyphony.data);
  assert.ok(polyphony.support.data > 0 && polyphony.support.generated > 0);
  assert.ok(report.diversity.ratio > 0.9 && report.diversity.ratio < 1.1, `ratio ${report.diversity.ratio}`);
  assert.deepEqual(report.diversity.count, { data: 320, generated: 320 });
  assert.equal(report.diversity.distinct.generated, 200, '5 distinct phrases of 8 per A A B A song');
});

test('fragmented chords fail QN.chords and oneStep.chords, not what they leave alone', () => {
  const report = compareSongs(plausibleSongs(30, 2, { fragment: true }), plausibleSongs(30, 1));
  assert.deepEqual([figure(report, 'QN.chords').data, figure(report, 'QN.chords').generated], [1, 0]);
  assert.equal(figure(report, 'QN.chords').pass, false);
  assert.equal(figure(report, 'oneStep.chords').pass, false);
  for (const name of ['QN.bass', 'UPC.chords', 'inKey.chords', 'polyphony.chords', 'oneStep.lead']) assert.equal(figure(report, name).pass, true, name);
  assert.equal(report.passed, false);
});

test('a collapsed generator (one song repeated) fails on diversity alone', () => {
  const data = plausibleSongs(30, 1);
  const collapsed = Array.from({ length: 30 }, () => data[0]);
  const report = compareSongs(collapsed, data, { tolerance: 10, absoluteTolerance: 10 });
  assert.equal(report.diversity.distinct.generated, 5);
  assert.ok(report.diversity.ratio < 0.9, `ratio ${report.diversity.ratio}`);
  assert.equal(report.diversity.pass, false);
  assert.ok(report.figures.every((f) => f.pass));
  assert.equal(report.passed, false);
});

test('a figure undefined in both sets passes with a note; undefined in one fails with a note', () => {
  const noDrums = compareSongs(plausibleSongs(10, 5, { drums: false }), plausibleSongs(10, 6, { drums: false }));
  assert.equal(figure(noDrums, 'DP.drums').pass, true);
  assert.equal(figure(noDrums, 'DP.drums').note, 'undefined in both sets');
  assert.equal(figure(noDrums, 'similarity4.drums').note, 'undefined in both sets');
  assert.equal(figure(noDrums, 'onsetsPerBar.drums').note, undefined, 'bars without drums are still bars: 0 onsets each');
  assert.equal(noDrums.passed, true, formatReportTable(noDrums));
  const drumsOnlyGenerated = compareSongs(plausibleSongs(10, 5), plausibleSongs(10, 6, { drums: false }));
  assert.equal(figure(drumsOnlyGenerated, 'DP.drums').pass, false);
  assert.equal(figure(drumsOnlyGenerated, 'DP.drums').note, 'undefined in the data');
  const noLead = compareSongs([song([note('bass', 36, 0, 4)])], [song([note('bass', 36, 0, 4), note('lead', 60, 0)])]);
  assert.equal(figure(noLead, 'inKey.lead').note, 'undefined in the generated set');
  assert.equal(figure(noLead, 'inKey.lead').pass, false);
  assert.ok(noLead.figures.every((f) => !Number.isNaN(f.difference)));
});

test('options: the pass rule and the diversity limit; bad input is refused', () => {
  const [generated, data] = [plausibleSongs(10, 3), plausibleSongs(10, 4)];
  const strict = compareSongs(generated, data, { tolerance: 0, absoluteTolerance: 0, minDiversityRatio: 2 });
  assert.deepEqual(strict.rule, { tolerance: 0, absoluteBelow: 0.1, absoluteTolerance: 0 });
  assert.equal(strict.diversity.minRatio, 2);
  assert.equal(strict.diversity.pass, false);
  assert.ok(strict.figures.some((f) => !f.pass));
  assert.equal(compareSongs(generated, data).diversity.minRatio, 0.9, 'the default');
  assert.throws(() => compareSongs([], data), RangeError);
  assert.throws(() => compareSongs(generated, []), RangeError);
  assert.throws(() => compareSongs(generated, data, { tolerance: -1 }), RangeError);
});

test('formatReportTable: grouped, aligned, every figure named, ending in the verdict line', () => {
  const report = compareSongs(plausibleSongs(10, 2, { fragment: true }), plausibleSongs(10, 1));
  const table = formatReportTable(report);
  const lines = table.split('\n');
  for (const name of ALL_NAMES) assert.equal(lines.filter((l) => l.startsWith(`${name} `)).length, 1, name);
  const headings = lines.filter((l) => l.startsWith('['));
  assert.deepEqual(headings, ['[MuseGAN metrics]', '[listener figures: drums]', '[listener figures: bass]', '[listener figures: chords]', '[listener figures: lead]', '[phrase diversity]']);
  assert.ok(lines.indexOf('[listener figures: bass]') < lines.findIndex((l) => l.startsWith('oneStep.bass ')));
  const dataEnd = lines[0].indexOf('data') + 'data'.length;
  for (const name of ALL_NAMES) {
    const line = lines.find((l) => l.startsWith(`${name} `))!;
    assert.match(line.slice(dataEnd - 6, dataEnd), /^ *\d+\.\d{3}$/, line);
  }
  assert.match(lines.find((l) => l.startsWith('QN.chords '))!, /−100\.0%\s+FAIL/);
  assert.equal(lines[lines.length - 1], verdictLine(report));
  assert.match(lines[lines.length - 1], /^FAILED: \d+\/36 figures within 15% \(or 0\.05 where the data is below 0\.1\), diversity ratio \d\.\d\d \(needs ≥ 0\.90\)$/);
});

test('the verdict line of a passing report', () => {
  const report = compareSongs(plausibleSongs(20, 2), plausibleSongs(20, 1));
  assert.match(verdictLine(report), /^PASSED: 36\/36 figures within 15% \(or 0\.05 where the data is below 0\.1\), diversity ratio \d\.\d\d \(needs ≥ 0\.90\)$/);
});

test('renderReportHtml: one self-contained page with every figure, the curves, and a per-style table', () => {
  const passing = compareSongs(plausibleSongs(10, 2), plausibleSongs(10, 1));
  const failing = compareSongs(plausibleSongs(10, 2, { fragment: true }), plausibleSongs(10, 1));
  const losses = Array.from({ length: 50 }, (_, i) => [i * 10, 3 / (i + 1)] as const);
  const curves = [
    { title: 'Autoencoder reconstruction loss', series: [{ name: 'reconstruction', points: losses }] },
    { title: 'GAN losses', series: [{ name: 'critic', points: losses }, { name: 'generator', points: losses.map(([x, y]) => [x, -y] as const) }] },
  ];
  const html = renderReportHtml(failing, curves, { title: 'run <7>', meta: { checkpoint: 'models/sym-7', steps: 500 }, perStyle: { house: passing, cafe: failing } });
  assert.match(html, /^<!doctype html>/);
  for (const name of ALL_NAMES) assert.ok(html.includes(`>${name}<`), name);
  assert.equal(html.match(/<svg/g)?.length, 5 + 2, 'MuseGAN and 4 track charts, 2 curve sets');
  assert.ok(html.includes('<h2>Autoencoder reconstruction loss</h2>') && html.includes('<h2>GAN losses</h2>'));
  assert.ok(html.includes('run &lt;7&gt;') && !html.includes('run <7>'));
  assert.ok(html.includes('models/sym-7'));
  assert.ok(html.includes(escapeForTest(verdictLine(failing))));
  assert.doesNotMatch(html, /<script|<link|src=|url\(/);
  const perStyle = html.slice(html.indexOf('Per style'));
  assert.ok(perStyle.includes('<th>house</th><th>cafe</th>'));
  assert.match(perStyle, /<tr><td>QN\.chords<\/td><td class="num">1\.000 \/ 1\.000<\/td><td class="num fail">1\.000 \/ 0\.000<\/td><\/tr>/);
  const bare = renderReportHtml(passing, []);
  assert.equal(bare.match(/<svg/g)?.length, 5, 'no curves, no curve sections');
  assert.ok(!bare.includes('Per style'));
});

/** The HTML escapes of the characters a verdict line holds. */
function escapeForTest(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
