/**
 * Tiny inline-SVG charts for self-contained report pages: a line plot (training losses over steps)
 * and a row of paired-bar panels (data vs generated, one panel and one scale per metric). Pure
 * string builders, no DOM and no assets; every text that reaches the markup is escaped.
 */

/** Colours of the two sides of a comparison and of pass/fail marks (colour-blind safe pair). */
export const PALETTE = {
  data: '#4c78a8',
  generated: '#f58518',
  pass: '#2e7d32',
  fail: '#c62828',
  grid: '#e3e3e3',
  axis: '#555',
} as const;

/** Series colours for line plots, in order. */
export const SERIES_COLOURS = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#e45756'] as const;

/** Escapes text for HTML and SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * About `count` round tick values (1, 2 or 5 × 10^k apart) covering [min, max].
 * @example niceTicks(0, 97, 5) // [0, 20, 40, 60, 80, 100]
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  // Index-based so the ticks do not accumulate float error; the last tick reaches or passes max.
  for (let i = 0; ticks.length === 0 || ticks[ticks.length - 1] < max - step * 1e-9; i++) ticks.push(round(first + i * step, step));
  return ticks;
}

/** Removes float noise (0.30000000000000004) by rounding to the tick step's decimals. */
function round(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(decimals, 12)));
}

/** Short number for labels: 3 significant digits, no exponent for ordinary magnitudes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}

export interface LineSeries {
  readonly name: string;
  /** [x, y] points in x order; a non-finite y breaks the line there. */
  readonly points: readonly (readonly [number, number])[];
}

export interface LinePlotOptions {
  readonly title: string;
  readonly series: readonly LineSeries[];
  readonly xLabel?: string;
  /** Overall size in CSS pixels. */
  readonly width?: number;
  readonly height?: number;
  /** Longer series are averaged in buckets down to this many points, to keep the page small. */
  readonly maxPoints?: number;
}

/**
 * A line plot with gridlines, axis ticks and a legend, as one `<svg>` element.
 * @param [options.width=640] @param [options.height=260] @param [options.maxPoints=800]
 */
export function linePlot(options: LinePlotOptions): string {
  const { title, xLabel = 'step', width = 640, height = 260, maxPoints = 800 } = options;
  const series = options.series.map((s) => ({ name: s.name, points: downsample(s.points, maxPoints) }));
  // Axis ranges come from the raw points, so bucket means never hide the first step or a spike.
  const finite = options.series.flatMap((s) => s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
  const margin = { left: 58, right: 16, top: 40, bottom: 40 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const parts = [svgOpen(width, height, title), text(margin.left, 18, title, 'title')];
  if (finite.length === 0) {
    parts.push(text(width / 2, height / 2, 'no data', 'muted', 'middle'), '</svg>');
    return parts.join('');
  }
  const [xMin, xMax] = padRange(...extent(finite, 0));
  const yTicks = niceTicks(...padRange(...extent(finite, 1)), 5);
  const [yMin, yMax] = [yTicks[0], yTicks[yTicks.length - 1]];
  const sx = (x: number) => margin.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const sy = (y: number) => margin.top + plotH - ((y - yMin) / (yMax - yMin)) * plotH;
  for (const tick of yTicks) {
    parts.push(line(margin.left, sy(tick), margin.left + plotW, sy(tick), PALETTE.grid));
    parts.push(text(margin.left - 6, sy(tick) + 4, formatNumber(tick), 'tick', 'end'));
  }
  for (const tick of niceTicks(xMin, xMax, 6).filter((t) => t >= xMin && t <= xMax)) {
    parts.push(line(sx(tick), margin.top + plotH, sx(tick), margin.top + plotH + 4, PALETTE.axis));
    parts.push(text(sx(tick), margin.top + plotH + 16, formatNumber(tick), 'tick', 'middle'));
  }
  parts.push(line(margin.left, margin.top + plotH, margin.left + plotW, margin.top + plotH, PALETTE.axis));
  parts.push(line(margin.left, margin.top, margin.left, margin.top + plotH, PALETTE.axis));
  parts.push(text(margin.left + plotW / 2, height - 6, xLabel, 'muted', 'middle'));
  series.forEach((s, index) => {
    const colour = SERIES_COLOURS[index % SERIES_COLOURS.length];
    for (const segment of finiteSegments(s.points)) {
      const path = segment.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
      parts.push(segment.length === 1
        ? `<circle cx="${sx(segment[0][0]).toFixed(1)}" cy="${sy(segment[0][1]).toFixed(1)}" r="2" fill="${colour}"/>`
        : `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-linejoin="round"/>`);
    }
    const legendX = margin.left + plotW - 150 * (series.length - index);
    parts.push(`<rect x="${legendX}" y="${margin.top - 18}" width="12" height="3" fill="${colour}"/>`);
    parts.push(text(legendX + 16, margin.top - 13, s.name, 'legend'));
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface BarPanel {
  readonly label: string;
  readonly data: number;
  readonly generated: number;
  /** Top of this panel's scale; defaults to 1.15 × the larger value. */
  readonly scaleMax?: number;
  /** Caption under the bars, e.g. the relative difference. */
  readonly caption?: string;
  readonly pass: boolean;
}

/**
 * Paired bars (data, generated) in one small panel per metric, each with its own scale, wrapped
 * onto rows of `perRow` panels, with a shared legend.
 * @param [perRow=5] panels per row
 */
export function barPanels(title: string, panels: readonly BarPanel[], perRow = 5): string {
  const panelW = 128;
  const panelH = 160;
  const top = 44;
  const rows = Math.ceil(panels.length / perRow);
  const width = perRow * panelW + 16;
  const height = top + rows * panelH;
  const parts = [svgOpen(width, height, title), text(8, 18, title, 'title')];
  parts.push(`<rect x="8" y="27" width="10" height="10" fill="${PALETTE.data}"/>`, text(22, 36, 'data', 'legend'));
  parts.push(`<rect x="70" y="27" width="10" height="10" fill="${PALETTE.generated}"/>`, text(84, 36, 'generated', 'legend'));
  panels.forEach((panel, index) => {
    const x0 = 8 + (index % perRow) * panelW;
    const y0 = top + Math.floor(index / perRow) * panelH;
    const scaleMax = panel.scaleMax ?? (Math.max(panel.data, panel.generated) * 1.15 || 1);
    const baseY = y0 + panelH - 38;
    const barH = (v: number) => (Math.max(0, Math.min(v, scaleMax)) / scaleMax) * (panelH - 78);
    const mark = panel.pass ? PALETTE.pass : PALETTE.fail;
    parts.push(`<rect x="${x0 + 2}" y="${y0 + 2}" width="${panelW - 8}" height="${panelH - 8}" rx="4" fill="none" stroke="${mark}" stroke-opacity="0.5"/>`);
    parts.push(text(x0 + panelW / 2 - 2, y0 + 18, panel.label, 'panel', 'middle'));
    for (const [offset, value, colour] of [[-34, panel.data, PALETTE.data], [8, panel.generated, PALETTE.generated]] as const) {
      const bx = x0 + panelW / 2 - 2 + offset;
      parts.push(`<rect x="${bx}" y="${(baseY - barH(value)).toFixed(1)}" width="26" height="${barH(value).toFixed(1)}" fill="${colour}"/>`);
      parts.push(text(bx + 13, baseY - barH(value) - 4, formatNumber(value), 'tick', 'middle'));
    }
    parts.push(line(x0 + 12, baseY, x0 + panelW - 16, baseY, PALETTE.axis));
    if (panel.caption) parts.push(text(x0 + panelW / 2 - 2, baseY + 18, panel.caption, panel.pass ? 'pass' : 'fail', 'middle'));
  });
  parts.push('</svg>');
  return parts.join('');
}

/** CSS classes the charts use; a report page includes this once in its `<style>`. */
export const CHART_CSS = `
svg text { font: 11px system-ui, sans-serif; fill: #333; }
svg .title { font-size: 13px; font-weight: 600; }
svg .panel { font-size: 12px; font-weight: 600; }
svg .muted { fill: #777; }
svg .tick { fill: #555; font-variant-numeric: tabular-nums; }
svg .pass { fill: ${PALETTE.pass}; }
svg .fail { fill: ${PALETTE.fail}; font-weight: 600; }
`;

function svgOpen(width: number, height: number, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(label)}">`;
}

function text(x: number, y: number, content: string, cssClass: string, anchor: 'start' | 'middle' | 'end' = 'start'): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" class="${cssClass}" text-anchor="${anchor}">${escapeXml(content)}</text>`;
}

function line(x1: number, y1: number, x2: number, y2: number, colour: string): string {
  return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${colour}"/>`;
}

/** [min, max] of coordinate `axis`; a loop, since spreading 10⁵ points into Math.min overflows the stack. */
function extent(points: readonly (readonly [number, number])[], axis: 0 | 1): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const point of points) {
    min = Math.min(min, point[axis]);
    max = Math.max(max, point[axis]);
  }
  return [min, max];
}

/** A zero-width range is widened so a constant series still gets an axis. */
function padRange(min: number, max: number): [number, number] {
  if (max > min) return [min, max];
  const pad = Math.abs(min) * 0.1 || 1;
  return [min - pad, max + pad];
}

/** Runs of consecutive finite points. */
function finiteSegments(points: readonly (readonly [number, number])[]): (readonly [number, number])[][] {
  const segments: (readonly [number, number])[][] = [[]];
  for (const point of points) {
    if (Number.isFinite(point[0]) && Number.isFinite(point[1])) segments[segments.length - 1].push(point);
    else if (segments[segments.length - 1].length > 0) segments.push([]);
  }
  return segments.filter((s) => s.length > 0);
}

/** Bucket means down to `maxPoints` points; a bucket holding a non-finite y stays a break. */
function downsample(points: readonly (readonly [number, number])[], maxPoints: number): (readonly [number, number])[] {
  if (points.length <= maxPoints) return [...points];
  const out: [number, number][] = [];
  const size = points.length / maxPoints;
  for (let b = 0; b < maxPoints; b++) {
    const bucket = points.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    if (bucket.length === 0) continue;
    const mean = (i: 0 | 1) => bucket.reduce((sum, p) => sum + p[i], 0) / bucket.length;
    out.push([mean(0), mean(1)]);
  }
  return out;
}
