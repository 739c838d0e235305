/**
 * A channel's health over the last minutes, drawn with uPlot: seconds of audio buffered ahead
 * (left axis), the model's real-time factor (right axis) and listeners. Seeded from the
 * `history` event, then one point per `state` event.
 */
import uPlot from 'uplot';
import { TIME_TICK_INCREMENTS, TIME_TICK_SPACE_PX, timeTickLabels } from './chart-time-axis.js';

export interface StatsPoint {
  /** Milliseconds since the epoch. */
  time: number;
  bufferedSeconds: number;
  realTimeFactor: number | null;
  listeners: number;
}

/** How much history the chart keeps. */
export const CHART_WINDOW_MS = 5 * 60 * 1000;
const HEIGHT_PX = 170;
const MIN_SPAN_SECONDS = 60;

const SERIES_COLOURS = { buffer: '#2a9d8f', rtf: '#d9822b', listeners: '#5b6b7d' };

export class StatsChart {
  readonly #plot: uPlot;
  readonly #resize: ResizeObserver;
  #points: StatsPoint[] = [];

  constructor(container: HTMLElement) {
    const options: uPlot.Options = {
      width: Math.max(container.clientWidth, 200),
      height: HEIGHT_PX,
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
      scales: {
        // At least a minute wide: a fresh chart reads as "just started", not as sub-second ticks.
        x: {
          time: true,
          range: (_u, min, max) => (max === null || min === null ? [0, 1] : [Math.min(min, max - MIN_SPAN_SECONDS), max]),
        },
        seconds: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        rtf: {},
        count: {},
      },
      axes: [
        {
          stroke: '#5b6b7d',
          grid: { stroke: '#ebe8e1' },
          ticks: { stroke: '#ebe8e1' },
          // Clock time only (uPlot's default adds a date line that a phone's narrow chart clips),
          // at steps of 30 s or more, spaced so that no two labels touch or read the same.
          space: TIME_TICK_SPACE_PX,
          incrs: [...TIME_TICK_INCREMENTS],
          values: (_u, splits, _axis, _space, increment) => timeTickLabels(splits, increment),
        },
        {
          scale: 'seconds',
          stroke: SERIES_COLOURS.buffer,
          grid: { stroke: '#ebe8e1' },
          ticks: { show: false },
          size: 44,
          values: (_u, splits) => splits.map((s) => `${s} s`),
        },
        {
          scale: 'rtf',
          side: 1,
          stroke: SERIES_COLOURS.rtf,
          grid: { show: false },
          ticks: { show: false },
          size: 44,
          values: (_u, splits) => splits.map((s) => `${s}×`),
        },
      ],
      series: [
        {},
        { label: 'Buffer', scale: 'seconds', stroke: SERIES_COLOURS.buffer, width: 2, fill: 'rgba(42,157,143,0.08)', value: (_u, v) => (v === null ? '–' : `${v.toFixed(1)} s`) },
        { label: 'Real-time ×', scale: 'rtf', stroke: SERIES_COLOURS.rtf, width: 1.5, value: (_u, v) => (v === null ? '–' : `${v.toFixed(1)}×`) },
        { label: 'Listeners', scale: 'count', stroke: SERIES_COLOURS.listeners, width: 1, dash: [4, 4], paths: uPlot.paths.stepped?.({ align: 1 }) },
      ],
    };
    this.#plot = new uPlot(options, [[], [], [], []], container);
    this.#resize = new ResizeObserver(() => {
      const width = Math.max(container.clientWidth, 200);
      if (width !== this.#plot.width) this.#plot.setSize({ width, height: HEIGHT_PX });
    });
    this.#resize.observe(container);
  }

  /** Replaces the history (on connect and reconnect). */
  seed(points: StatsPoint[]): void {
    this.#points = points.slice().sort((a, b) => a.time - b.time);
    this.#redraw();
  }

  append(point: StatsPoint): void {
    const last = this.#points[this.#points.length - 1];
    if (last && point.time <= last.time) return; // a state right after a change can repeat a second
    this.#points.push(point);
    this.#redraw();
  }

  dispose(): void {
    this.#resize.disconnect();
    this.#plot.destroy();
  }

  #redraw(): void {
    const newest = this.#points[this.#points.length - 1]?.time ?? 0;
    const firstKept = this.#points.findIndex((p) => p.time >= newest - CHART_WINDOW_MS);
    if (firstKept > 0) this.#points.splice(0, firstKept);
    const points = this.#points;
    this.#plot.setData([
      points.map((p) => p.time / 1000),
      points.map((p) => p.bufferedSeconds),
      points.map((p) => p.realTimeFactor),
      points.map((p) => p.listeners),
    ]);
  }
}
