import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barPanels, escapeXml, formatNumber, linePlot, niceTicks } from './svg-plot.js';

test('niceTicks picks round steps covering the range', () => {
  assert.deepEqual(niceTicks(0, 97, 5), [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(niceTicks(-0.3, 0.7, 5), [-0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8]);
  assert.deepEqual(niceTicks(0.1, 0.3, 2), [0.1, 0.2, 0.3]);
  assert.deepEqual(niceTicks(5, 5), [5]);
});

test('escapeXml and formatNumber', () => {
  assert.equal(escapeXml(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  assert.equal(formatNumber(0.123456), '0.123');
  assert.equal(formatNumber(1500), '1500');
  assert.equal(formatNumber(2e-5), '2.0e-5');
  assert.equal(formatNumber(0), '0');
});

test('linePlot draws one polyline per finite run and says so when there is no data', () => {
  const svg = linePlot({
    title: 'loss',
    series: [{ name: 'critic', points: [[0, 1], [1, 2], [2, Number.NaN], [3, 1], [4, 0]] }, { name: 'generator <g>', points: [[0, -1], [4, 3]] }],
  });
  assert.match(svg, /^<svg[^>]*>.*<\/svg>$/s);
  assert.equal(svg.match(/<polyline/g)?.length, 3);
  assert.ok(svg.includes('generator &lt;g&gt;'));
  assert.ok(linePlot({ title: 'empty', series: [{ name: 'x', points: [] }] }).includes('no data'));
});

test('linePlot averages long series down to maxPoints', () => {
  const points = Array.from({ length: 10_000 }, (_, i) => [i, Math.sin(i / 100)] as const);
  const svg = linePlot({ title: 't', series: [{ name: 's', points }], maxPoints: 100 });
  const coordinates = svg.match(/points="([^"]*)"/)![1].split(' ');
  assert.equal(coordinates.length, 100);
});

test('barPanels draws two bars per panel and marks failures', () => {
  const svg = barPanels('metrics', [
    { label: 'EB.drums', data: 0.1, generated: 0.2, scaleMax: 1, caption: '100%', pass: false },
    { label: 'UPC.bass', data: 2, generated: 2.1, caption: '5%', pass: true },
  ]);
  assert.equal(svg.match(/<rect x="[\d.]+" y="[\d.]+" width="26"/g)?.length, 4);
  assert.ok(svg.includes('EB.drums') && svg.includes('UPC.bass'));
  assert.ok(svg.includes('class="fail"') && svg.includes('class="pass"'));
});
