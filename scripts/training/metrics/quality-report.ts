/**
 * Judges a generator's songs against the training data's: the 9 MuseGAN metrics and the listener
 * figures, each close to the data's value, and the generated phrases nearly as diverse as the
 * data's. Produces a plain record (for JSON and tests), an aligned text table (for the console) and
 * a self-contained HTML page with the training curves (for a look after a run).
 *
 * The pass rule: |g − d| ≤ tolerance·|d| (15%), or, where the data's value is small (|d| < 0.1),
 * |g − d| ≤ 0.05. The absolute arm keeps a near-zero data value from turning noise into failure:
 * if 1% of the data's drum bars are empty, 3% in the generated set is 200% off but sounds the same.
 *
 *     songs ─┬─ measureSongs ─────────── 9 MuseGAN metrics ─┐
 *            ├─ measureListenerFigures ─ 27 listener figures ├─ pass rule ─┐
 *            └─ measureDiversity ─────── phrase diversity ───┴─ ratio ─────┴─ QualityReport
 */
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import { METRIC_DESCRIPTIONS, METRIC_NAMES, measureSongs } from './musegan-metrics.js';
import { LISTENER_FIGURE_NAMES, listenerFigureDescription, measureListenerFigures } from './listener-figures.js';
import { measureDiversity } from './diversity.js';
import type { DiversityComparison, FigureComparison, FigureGroup, FigureTrack, PassRule, QualityReport } from './report-record.js';

// The record and its text and HTML views live in their own files; callers get the whole report API from here.
export type { DiversityComparison, FigureComparison, FigureGroup, FigureTrack, PassRule, QualityReport } from './report-record.js';
export { formatReportTable, verdictLine } from './report-table.js';
export { renderReportHtml, type CurveSet, type ReportPageExtra } from './report-html.js';

/** The limits a report judges by, and the diversity sampling; every field has a default. */
export interface QualityOptions {
  /** Largest passing |g − d| as a share of |d|. */
  tolerance?: number;
  /** Data values with |d| below this are judged by `absoluteTolerance` instead. */
  absoluteBelow?: number;
  /** Largest passing |g − d| where |d| < `absoluteBelow`. */
  absoluteTolerance?: number;
  /** Smallest generated / data diversity ratio that passes. */
  minDiversityRatio?: number;
  /** Pairs sampled for each diversity score. */
  pairs?: number;
  /** Seed of the diversity sampling. */
  seed?: number;
}

/** The default pass rule: 15%, or 0.05 where the data is below 0.1. */
export const DEFAULT_PASS_RULE: PassRule = { tolerance: 0.15, absoluteBelow: 0.1, absoluteTolerance: 0.05 };

/**
 * True when `generated` is close enough to `data`: |g − d| ≤ tolerance·|d|, or, when |d| <
 * absoluteBelow, |g − d| ≤ absoluteTolerance. A hair of slack absorbs float error, so a value
 * exactly on the limit (1.15 against 1) passes.
 */
export function withinTolerance(generated: number, data: number, rule: PassRule = DEFAULT_PASS_RULE): boolean {
  const gap = Math.abs(generated - data);
  const slack = 1e-12 * Math.max(1, Math.abs(data));
  if (gap <= rule.tolerance * Math.abs(data) + slack) return true;
  return Math.abs(data) < rule.absoluteBelow && gap <= rule.absoluteTolerance + slack;
}

/**
 * Compares generated songs with the data's songs (see `measureSongs`, `measureListenerFigures`
 * and `measureDiversity` for what is measured).
 *
 * A figure undefined in both sets (no drums anywhere) passes with a note; undefined in exactly
 * one fails with a note, whatever the placeholder values say. Throws `RangeError` when either
 * set is empty or an option is out of range.
 *
 * @param [options.tolerance=0.15] @param [options.absoluteBelow=0.1] @param [options.absoluteTolerance=0.05]
 *   the pass rule (see `withinTolerance`)
 * @param [options.minDiversityRatio=0.9] smallest passing generated / data diversity
 * @param [options.pairs=2000] @param [options.seed=1] diversity sampling (see `diversityScore`)
 * @example
 *   const report = compareSongs(generated, corpus);
 *   console.log(formatReportTable(report));
 */
export function compareSongs(generated: readonly Song[], data: readonly Song[], options: QualityOptions = {}): QualityReport {
  const { minDiversityRatio = 0.9, pairs, seed } = options;
  const rule: PassRule = {
    tolerance: options.tolerance ?? DEFAULT_PASS_RULE.tolerance,
    absoluteBelow: options.absoluteBelow ?? DEFAULT_PASS_RULE.absoluteBelow,
    absoluteTolerance: options.absoluteTolerance ?? DEFAULT_PASS_RULE.absoluteTolerance,
  };
  if (generated.length === 0 || data.length === 0) {
    throw new RangeError(`compareSongs needs songs in both sets, got ${generated.length} generated and ${data.length} data`);
  }
  for (const [name, value] of [...Object.entries(rule), ['minDiversityRatio', minDiversityRatio]] as const) {
    if (!(value >= 0)) throw new RangeError(`${name} must be ≥ 0, got ${value}`);
  }
  const [ofData, ofGenerated] = [data, generated].map((songs) => ({ musegan: measureSongs(songs), listener: measureListenerFigures(songs) }));
  const figures = [
    ...METRIC_NAMES.map((name) => compareFigure(name, 'musegan', METRIC_DESCRIPTIONS[name],
      { value: ofData.musegan.metrics[name], support: ofData.musegan.support[name] },
      { value: ofGenerated.musegan.metrics[name], support: ofGenerated.musegan.support[name] }, rule)),
    ...LISTENER_FIGURE_NAMES.map((name) => compareFigure(name, 'listener', listenerFigureDescription(name),
      { value: ofData.listener.figures[name], support: ofData.listener.support[name] },
      { value: ofGenerated.listener.figures[name], support: ofGenerated.listener.support[name] }, rule)),
  ];
  const dataDiversity = measureDiversity(data, { pairs, seed });
  const generatedDiversity = measureDiversity(generated, { pairs, seed });
  const ratio = dataDiversity.score > 0 ? generatedDiversity.score / dataDiversity.score : 1;
  const diversity: DiversityComparison = {
    data: dataDiversity.score,
    generated: generatedDiversity.score,
    ratio,
    minRatio: minDiversityRatio,
    pass: ratio >= minDiversityRatio,
    distinct: { data: dataDiversity.distinct, generated: generatedDiversity.distinct },
    count: { data: dataDiversity.count, generated: generatedDiversity.count },
  };
  return { rule, figures, diversity, passed: diversity.pass && figures.every((f) => f.pass) };
}

function compareFigure(
  name: string,
  group: FigureGroup,
  description: string,
  data: { value: number; support: number },
  generated: { value: number; support: number },
  rule: PassRule,
): FigureComparison {
  const base = {
    name,
    group,
    track: name.slice(name.indexOf('.') + 1) as FigureTrack,
    description,
    data: data.value,
    generated: generated.value,
    difference: generated.value - data.value,
    support: { data: data.support, generated: generated.support },
  };
  if (data.support === 0 && generated.support === 0) return { ...base, difference: 0, pass: true, note: 'undefined in both sets' };
  if (data.support === 0) return { ...base, pass: false, note: 'undefined in the data' };
  if (generated.support === 0) return { ...base, pass: false, note: 'undefined in the generated set' };
  return { ...base, pass: withinTolerance(generated.value, data.value, rule) };
}
