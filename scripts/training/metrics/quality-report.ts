/**
 * Judges a generator's phrases against the training data: each MuseGAN metric within a relative
 * tolerance of the data's value, and the generated set at least nearly as diverse as the data.
 * Produces a plain record (for JSON and tests), an aligned text table (for the console) and a
 * self-contained HTML page with the training curves (for a look after a run).
 *
 * "Within 15%" is read as |g − d| / max(|d|, floor) ≤ 0.15. The floor keeps a near-zero data
 * value from turning noise into failure: if the data has 1% empty drum bars, 2% in the generated
 * set is a 100% relative error but an absolute one of 0.01. Floors: 0.1 for rates in [0, 1] (EB,
 * QN, DP) and for TD, so below 0.1 the test becomes |g − d| ≤ 0.015; 1 for UPC (a count of pitch
 * classes, ≥ 1 whenever defined), so below 1 class it becomes |g − d| ≤ 0.15 classes.
 */
import { type PianoRoll } from '../../../server/families/symbolic/piano-roll.js';
import { METRIC_DESCRIPTIONS, METRIC_NAMES, measurePhrases, type MetricName } from './musegan-metrics.js';
import { distinctPhraseCount, diversityScore } from './diversity.js';
import { CHART_CSS, barPanels, escapeXml, formatNumber, linePlot, type LineSeries } from './svg-plot.js';

/** Denominator floor of each metric's relative difference (see the file header). */
export const RELATIVE_DIFFERENCE_FLOORS: Readonly<Record<MetricName, number>> = {
  'EB.drums': 0.1,
  'EB.bass': 0.1,
  'EB.chords': 0.1,
  'UPC.bass': 1,
  'UPC.chords': 1,
  'QN.bass': 0.1,
  'QN.chords': 0.1,
  'DP.drums': 0.1,
  'TD.bass-chords': 0.1,
};

export interface QualityOptions {
  /** Largest relative difference a metric may have and pass. */
  tolerance?: number;
  /** Smallest generated / data diversity ratio that passes. */
  minDiversityRatio?: number;
  /** Pairs sampled for each diversity score. */
  pairs?: number;
  /** Seed of the diversity sampling. */
  seed?: number;
}

export interface MetricComparison {
  readonly name: MetricName;
  readonly description: string;
  readonly data: number;
  readonly generated: number;
  /** |generated − data| / max(|data|, floor). */
  readonly relativeDifference: number;
  readonly floor: number;
  /** Units the metric averaged over in each set (see `MetricSupport`); 0 means undefined. */
  readonly support: { readonly data: number; readonly generated: number };
  readonly pass: boolean;
  /** Why a verdict is not just the relative difference (a metric undefined in one set). */
  readonly note?: string;
}

export interface DiversityComparison {
  readonly data: number;
  readonly generated: number;
  /** generated / data; 1 when the data's diversity is 0 (nothing to fall short of). */
  readonly ratio: number;
  readonly minRatio: number;
  readonly pass: boolean;
  readonly distinct: { readonly data: number; readonly generated: number };
  readonly count: { readonly data: number; readonly generated: number };
}

export interface QualityReport {
  readonly tolerance: number;
  readonly metrics: readonly MetricComparison[];
  readonly diversity: DiversityComparison;
  /** Every metric and the diversity check passed. */
  readonly passed: boolean;
}

/** One point of a training run's loss history. */
export interface TrainingHistoryPoint {
  step: number;
  criticLoss: number;
  generatorLoss: number;
  gradientPenalty?: number;
  wasserstein?: number;
}

/** |g − d| / max(|d|, floor): a relative difference that stays meaningful near d = 0. */
export function relativeDifference(generated: number, data: number, floor: number): number {
  return Math.abs(generated - data) / Math.max(Math.abs(data), floor);
}

/**
 * Compares generated phrases with data phrases (both binary; see `measurePhrases`).
 *
 * A metric undefined in both sets (e.g. no drums anywhere) passes with a note; undefined in exactly
 * one fails with a note, whatever the placeholder values say. Throws `RangeError` when either set
 * is empty or an option is out of range.
 *
 * @param [options.tolerance=0.15] largest passing relative difference
 * @param [options.minDiversityRatio=0.7] smallest passing generated / data diversity
 * @param [options.pairs=2000] @param [options.seed=1] diversity sampling (see `diversityScore`)
 */
export function compareToData(generated: readonly PianoRoll[], data: readonly PianoRoll[], options: QualityOptions = {}): QualityReport {
  const { tolerance = 0.15, minDiversityRatio = 0.7, pairs, seed } = options;
  if (generated.length === 0 || data.length === 0) {
    throw new RangeError(`compareToData needs phrases in both sets, got ${generated.length} generated and ${data.length} data`);
  }
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be ≥ 0, got ${tolerance}`);
  if (!(minDiversityRatio >= 0)) throw new RangeError(`minDiversityRatio must be ≥ 0, got ${minDiversityRatio}`);
  const ofData = measurePhrases(data);
  const ofGenerated = measurePhrases(generated);
  const metrics = METRIC_NAMES.map((name): MetricComparison => {
    const floor = RELATIVE_DIFFERENCE_FLOORS[name];
    const [d, g] = [ofData.metrics[name], ofGenerated.metrics[name]];
    const support = { data: ofData.support[name], generated: ofGenerated.support[name] };
    const base = { name, description: METRIC_DESCRIPTIONS[name], data: d, generated: g, relativeDifference: relativeDifference(g, d, floor), floor, support };
    if (support.data === 0 && support.generated === 0) return { ...base, relativeDifference: 0, pass: true, note: 'undefined in both sets' };
    if (support.data === 0) return { ...base, pass: false, note: 'undefined in the data' };
    if (support.generated === 0) return { ...base, pass: false, note: 'undefined in the generated set' };
    return { ...base, pass: base.relativeDifference <= tolerance };
  });
  const diversityOptions = { pairs, seed };
  const dataDiversity = diversityScore(data, diversityOptions);
  const generatedDiversity = diversityScore(generated, diversityOptions);
  const ratio = dataDiversity > 0 ? generatedDiversity / dataDiversity : 1;
  const diversity: DiversityComparison = {
    data: dataDiversity,
    generated: generatedDiversity,
    ratio,
    minRatio: minDiversityRatio,
    pass: ratio >= minDiversityRatio,
    distinct: { data: distinctPhraseCount(data), generated: distinctPhraseCount(generated) },
    count: { data: data.length, generated: generated.length },
  };
  return { tolerance, metrics, diversity, passed: diversity.pass && metrics.every((m) => m.pass) };
}

/** Metrics that are fractions in [0, 1], charted on a fixed 0–1 scale. */
const isRate = (name: MetricName) => /^(EB|QN|DP)\./.test(name);

/** A metric's value for display: 'n/a' where it averaged over nothing. */
function shownValue(value: number, support: number): string {
  return support === 0 ? 'n/a' : value.toFixed(3);
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

/** The report's rows: header, one per metric, diversity, distinct phrases. */
function reportRows(report: QualityReport): string[][] {
  const rows = [['metric', 'data', 'generated', 'difference', 'result']];
  for (const m of report.metrics) {
    const verdict = m.pass ? 'pass' : 'FAIL';
    rows.push([m.name, shownValue(m.data, m.support.data), shownValue(m.generated, m.support.generated), percent(m.relativeDifference), m.note ? `${verdict} (${m.note})` : verdict]);
  }
  const d = report.diversity;
  rows.push(['diversity', d.data.toFixed(3), d.generated.toFixed(3), `ratio ${d.ratio.toFixed(2)}`, d.pass ? 'pass' : 'FAIL']);
  rows.push(['distinct phrases', `${d.distinct.data}/${d.count.data}`, `${d.distinct.generated}/${d.count.generated}`, '', '']);
  return rows;
}

/** One line saying whether the report passed and against which limits. */
function verdictLine(report: QualityReport): string {
  const passing = report.metrics.filter((m) => m.pass).length;
  return `${report.passed ? 'PASSED' : 'FAILED'}: ${passing}/${report.metrics.length} metrics within ${percent(report.tolerance)}, ` +
    `diversity ratio ${report.diversity.ratio.toFixed(2)} (needs ≥ ${report.diversity.minRatio.toFixed(2)})`;
}

/**
 * The report as an aligned text table (metric names left, numbers right), ending in a verdict line.
 * @example console.log(formatReportTable(compareToData(generated, data)))
 */
export function formatReportTable(report: QualityReport): string {
  const rows = reportRows(report);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) =>
    row.map((cell, column) => (column === 0 || column === row.length - 1 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return [...lines, '', verdictLine(report)].join('\n');
}

/**
 * A self-contained HTML page: the verdict, a data-vs-generated bar panel per metric, line plots of
 * the loss history (x = step; the Wasserstein estimate and gradient penalty get their own plot when
 * present), and the table. Inline CSS and SVG only, no scripts or external assets.
 *
 * @param history loss points in any order (sorted by step here); may be empty
 * @param extra.title page heading; extra.meta key/value lines shown under it (checkpoint, style…)
 */
export function renderReportHtml(
  report: QualityReport,
  history: readonly TrainingHistoryPoint[],
  extra: { title?: string; meta?: Record<string, string | number> } = {},
): string {
  const title = extra.title ?? 'Symbolic generator quality report';
  const sorted = [...history].sort((a, b) => a.step - b.step);
  const series = (name: string, pick: (p: TrainingHistoryPoint) => number | undefined): LineSeries => ({
    name,
    points: sorted.filter((p) => pick(p) !== undefined).map((p) => [p.step, pick(p)!] as const),
  });
  const terms = [series('Wasserstein estimate', (p) => p.wasserstein), series('gradient penalty', (p) => p.gradientPenalty)].filter((s) => s.points.length > 0);
  const panels = report.metrics.map((m) => ({
    label: m.name,
    data: m.data,
    generated: m.generated,
    scaleMax: isRate(m.name) ? 1 : undefined,
    caption: `${m.pass ? '✓' : '✗'} ${m.note ? 'n/a' : percent(m.relativeDifference)}`,
    pass: m.pass,
  }));
  const rows = reportRows(report);
  const table = [
    `<tr>${rows[0].map((cell) => `<th>${escapeXml(cell)}</th>`).join('')}</tr>`,
    ...rows.slice(1).map((row) => `<tr class="${/FAIL/.test(row[4]) ? 'fail' : ''}">${row.map((cell, i) => `<td${i > 0 && i < 4 ? ' class="num"' : ''}>${escapeXml(cell)}</td>`).join('')}</tr>`),
  ].join('\n');
  const meta = Object.entries(extra.meta ?? {})
    .map(([key, value]) => `<dt>${escapeXml(key)}</dt><dd>${escapeXml(typeof value === 'number' ? formatNumber(value) : value)}</dd>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; color: #222; max-width: 720px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 20px; margin: 0 0 8px; } h2 { font-size: 15px; margin: 28px 0 8px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 12px; color: #555; }
dt { font-weight: 600; } dd { margin: 0; }
.verdict { display: inline-block; padding: 4px 10px; border-radius: 4px; color: #fff; font-weight: 600; }
.verdict.pass { background: #2e7d32; } .verdict.fail { background: #c62828; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e3e3e3; text-align: left; }
td.num { text-align: right; } tr.fail td { color: #c62828; }
figure { margin: 8px 0; } svg { max-width: 100%; height: auto; }
${CHART_CSS}</style></head>
<body>
<h1>${escapeXml(title)}</h1>
${meta ? `<dl>${meta}</dl>` : ''}
<p class="verdict ${report.passed ? 'pass' : 'fail'}">${escapeXml(verdictLine(report))}</p>
<h2>Metrics: data vs generated</h2>
<figure>${barPanels('MuseGAN metrics (EB, QN, DP on a 0–1 scale; UPC, TD each on its own)', panels)}</figure>
<h2>Training</h2>
<figure>${linePlot({ title: 'Critic and generator loss', series: [series('critic loss', (p) => p.criticLoss), series('generator loss', (p) => p.generatorLoss)] })}</figure>
${terms.length > 0 ? `<figure>${linePlot({ title: 'Critic terms', series: terms })}</figure>` : ''}
<h2>Table</h2>
<table>
${table}
</table>
</body></html>
`;
}
