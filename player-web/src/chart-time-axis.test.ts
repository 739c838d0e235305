/**
 * The stats chart's time axis without a browser: the step uPlot picks for a window and width,
 * and the labels at that step: few enough to read, each wider gap than its label, never repeated.
 * Run: node --import tsx --test player-web/src/chart-time-axis.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TIME_TICK_INCREMENTS, TIME_TICK_SPACE_PX, timeTickIncrement, timeTickLabels } from './chart-time-axis.js';

/** Width of a label at uPlot's 12 px axis font, generously: 7 px a character. */
const labelWidthPx = (label: string) => label.length * 7;
/** The chart's two value axes (44 px each) take this much of its width. */
const VALUE_AXES_PX = 88;

/** Ticks as uPlot's time axis places them: multiples of the step (UTC here) inside the window. */
function ticks(endSeconds: number, spanSeconds: number, chartWidthPx: number) {
  const increment = timeTickIncrement(spanSeconds, chartWidthPx - VALUE_AXES_PX);
  const splits: number[] = [];
  for (let t = Math.ceil((endSeconds - spanSeconds) / increment) * increment; t <= endSeconds; t += increment) splits.push(t);
  return { increment, splits, labels: timeTickLabels(splits, increment) };
}

const END = Date.UTC(2026, 10, 30, 8, 7, 43) / 1000;

test('a five-minute window at 600 px has a few distinct labels, each with room to spare', () => {
  const { increment, labels } = ticks(END, 5 * 60, 600);
  assert.ok(increment >= 60, `step ${increment} s`);
  assert.ok(labels.length >= 3 && labels.length <= 6, `labels: ${labels.join(' ')}`);
  assert.equal(new Set(labels).size, labels.length, `labels repeat: ${labels.join(' ')}`);
  const gapPx = (increment / 300) * (600 - VALUE_AXES_PX);
  for (const label of labels) assert.ok(labelWidthPx(label) + 12 <= gapPx, `"${label}" does not fit in ${gapPx} px`);
});

test('labels never repeat and always fit, whatever the window and width', () => {
  for (const width of [200, 320, 480, 600, 900, 1400]) {
    for (const span of [60, 90, 150, 300]) {
      const { increment, labels } = ticks(END, span, width);
      assert.ok(TIME_TICK_INCREMENTS.includes(increment), `step ${increment} s at ${width} px, ${span} s`);
      assert.equal(new Set(labels).size, labels.length, `${width} px, ${span} s: ${labels.join(' ')}`);
      assert.ok(labels.length <= Math.ceil((width - VALUE_AXES_PX) / TIME_TICK_SPACE_PX), `${width} px, ${span} s: ${labels.length} labels`);
      for (const label of labels) assert.ok(labelWidthPx(label) + 12 <= TIME_TICK_SPACE_PX, `"${label}" wider than the spacing`);
    }
  }
});

test('minutes read as HH:MM; half minutes keep their seconds', () => {
  const at = (h: number, m: number, s: number) => new Date(2026, 10, 30, h, m, s).getTime() / 1000;
  assert.deepEqual(timeTickLabels([at(8, 3, 0), at(8, 4, 0)], 60), ['08:03', '08:04']);
  assert.deepEqual(timeTickLabels([at(8, 3, 0), at(8, 3, 30)], 30), ['08:03:00', '08:03:30']);
});

test('a fresh chart (one minute at 600 px) gets half-minute ticks, not seconds', () => {
  const { increment, labels } = ticks(END, 60, 600);
  assert.equal(increment, 30);
  assert.ok(labels.length >= 2 && labels.length <= 3, labels.join(' '));
});
