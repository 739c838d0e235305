/**
 * The stats chart's time axis: which tick steps it may use, how far apart its labels must be, and
 * what they say. Pure (no uPlot, no DOM), so a unit test checks that labels stay few, readable and
 * distinct; stats-chart.ts hands these to uPlot, whose time axis places ticks on multiples of the
 * step in local time.
 */
import { formatClock } from './format.js';

/**
 * Tick steps in seconds, finest first. Nothing under 30 s: the chart spans one to five minutes,
 * and second-level ticks only crowded it (`08:03:0008:03:30…` on a narrow card).
 */
export const TIME_TICK_INCREMENTS: readonly number[] = [30, 60, 120, 300, 600, 900, 1800, 3600];

/** Least distance between two ticks (CSS px): `14:03:30` at uPlot's 12 px axis font, and a gap. */
export const TIME_TICK_SPACE_PX = 72;

/**
 * The step uPlot's time axis picks for a window `spanSeconds` wide drawn over `plotWidthPx`: the
 * finest that keeps ticks `spacePx` apart (the coarsest step when none does).
 */
export function timeTickIncrement(spanSeconds: number, plotWidthPx: number, spacePx = TIME_TICK_SPACE_PX): number {
  const fits = TIME_TICK_INCREMENTS.find((step) => (plotWidthPx * step) / spanSeconds >= spacePx);
  return fits ?? TIME_TICK_INCREMENTS[TIME_TICK_INCREMENTS.length - 1];
}

/**
 * Labels for ticks at `splits` (seconds since the epoch) a step of `incrementSeconds` apart: local
 * `HH:MM` when the step is whole minutes, `HH:MM:SS` below that, so no two ticks read the same.
 * @example timeTickLabels([t0, t0 + 60], 60) // ['08:03', '08:04']
 */
export function timeTickLabels(splits: readonly number[], incrementSeconds: number): string[] {
  const wholeMinutes = incrementSeconds % 60 === 0;
  return splits.map((seconds) => {
    const clock = formatClock(seconds * 1000);
    return wholeMinutes ? clock.slice(0, 5) : clock;
  });
}
