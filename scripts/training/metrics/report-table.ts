/**
 * A quality report as text: the verdict line, each figure's shown values, and the aligned console
 * table (MuseGAN metrics, then the listener figures track by track, then diversity). The HTML page
 * (report-html.ts) reuses the same cells so both say the same thing.
 */
import { TRACK_NAMES } from '../../../server/families/symbolic/piano-roll.js';
import type { FigureComparison, QualityReport } from './report-record.js';

/** A group of the report's rows, under its heading. */
export interface ReportSection {
  readonly title: string;
  readonly figures: readonly FigureComparison[];
}

/** The figures as the report groups them: 'MuseGAN metrics', then 'listener figures: drums', … */
export function reportSections(report: QualityReport): ReportSection[] {
  const sections: ReportSection[] = [{ title: 'MuseGAN metrics', figures: report.figures.filter((f) => f.group === 'musegan') }];
  for (const trackName of TRACK_NAMES) {
    const figures = report.figures.filter((f) => f.group === 'listener' && f.track === trackName);
    if (figures.length > 0) sections.push({ title: `listener figures: ${trackName}`, figures });
  }
  return sections.filter((s) => s.figures.length > 0);
}

/** A figure's value for display: 'n/a' where it averaged over nothing. */
export function shownValue(value: number, support: number): string {
  return support === 0 ? 'n/a' : value.toFixed(3);
}

/** A fraction as a percentage, without a trailing '.0': 0.15 → '15%', 0.125 → '12.5%'. */
export function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))}%`;
}

/**
 * The difference the pass rule judged: relative ('+8.0%', one decimal so the column lines up) where the data value is large enough,
 * absolute ('+0.012') where it is below `absoluteBelow`; '' for an undefined figure.
 */
export function shownDifference(figure: FigureComparison, report: QualityReport): string {
  if (figure.note) return '';
  const sign = figure.difference > 0 ? '+' : figure.difference < 0 ? '−' : '±';
  const size = Math.abs(figure.difference);
  if (Math.abs(figure.data) < report.rule.absoluteBelow) return `${sign}${size.toFixed(3)}`;
  return `${sign}${((size / Math.abs(figure.data)) * 100).toFixed(1)}%`;
}

/** 'pass', 'FAIL', with the note when there is one: 'FAIL (undefined in the data)'. */
export function shownResult(figure: FigureComparison): string {
  const verdict = figure.pass ? 'pass' : 'FAIL';
  return figure.note ? `${verdict} (${figure.note})` : verdict;
}

/**
 * One line saying whether the report passed and against which limits:
 * 'PASSED: 36/36 figures within 15% (or 0.05 where the data is below 0.1), diversity ratio 0.97 (needs ≥ 0.90)'.
 */
export function verdictLine(report: QualityReport): string {
  const passing = report.figures.filter((f) => f.pass).length;
  const { tolerance, absoluteTolerance, absoluteBelow } = report.rule;
  return `${report.passed ? 'PASSED' : 'FAILED'}: ${passing}/${report.figures.length} figures within ${percent(tolerance)} ` +
    `(or ${absoluteTolerance} where the data is below ${absoluteBelow}), ` +
    `diversity ratio ${report.diversity.ratio.toFixed(2)} (needs ≥ ${report.diversity.minRatio.toFixed(2)})`;
}

const HEADER = ['figure', 'data', 'generated', 'difference', 'result', 'what'];

/**
 * The report as an aligned text table: figure names left, numbers right, a heading line before
 * each group, diversity and distinct phrases last, then a blank line and the verdict line.
 * @example console.log(formatReportTable(compareSongs(generated, data)))
 */
export function formatReportTable(report: QualityReport): string {
  const blocks: { title?: string; rows: string[][] }[] = reportSections(report).map((section) => ({
    title: section.title,
    rows: section.figures.map((f) => [
      f.name,
      shownValue(f.data, f.support.data),
      shownValue(f.generated, f.support.generated),
      shownDifference(f, report),
      shownResult(f),
      f.description,
    ]),
  }));
  const d = report.diversity;
  blocks.push({
    title: 'phrase diversity',
    rows: [
      ['diversity', d.data.toFixed(3), d.generated.toFixed(3), `ratio ${d.ratio.toFixed(2)}`, d.pass ? 'pass' : 'FAIL', 'mean Jaccard distance of random phrase pairs'],
      ['distinct phrases', `${d.distinct.data}/${d.count.data}`, `${d.distinct.generated}/${d.count.generated}`, '', '', ''],
    ],
  });
  const all = [HEADER, ...blocks.flatMap((b) => b.rows)];
  const widths = HEADER.map((_, column) => Math.max(...all.map((row) => row[column].length)));
  const numeric = (column: number) => column >= 1 && column <= 3;
  const format = (row: string[]) => row.map((cell, column) => (numeric(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
  const lines = [format(HEADER), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const block of blocks) {
    lines.push('', `[${block.title}]`, ...block.rows.map(format));
  }
  return [...lines, '', verdictLine(report)].join('\n');
}
