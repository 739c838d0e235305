/**
 * A quality report as one self-contained HTML page (inline CSS and SVG, no scripts, no assets), to
 * open after a training run: the verdict, data-vs-generated bars for every figure, the training
 * curves, the full table, and, when the trainer judged each style on its own, a per-style table.
 */
import type { QualityReport } from './report-record.js';
import { reportSections, shownDifference, shownResult, shownValue, verdictLine } from './report-table.js';
import { CHART_CSS, barPanels, escapeXml, formatNumber, linePlot, type LineSeries } from './svg-plot.js';

/** One plot of training curves: e.g. the autoencoder's reconstruction loss, or the GAN's losses. */
export interface CurveSet {
  readonly title: string;
  readonly series: readonly LineSeries[];
}

/** What the page shows besides the report and the curves. */
export interface ReportPageExtra {
  /** Page heading. @default 'Symbolic generator quality report' */
  title?: string;
  /** Key/value lines under the heading (checkpoint, steps, seed…). */
  meta?: Record<string, string | number>;
  /** The same comparison per style: adds a figure × style table. */
  perStyle?: Record<string, QualityReport>;
}

/** Figures that are shares in [0, 1], charted on a fixed 0–1 scale so 0.4 vs 0.5 looks its size. */
const RATE_FIGURE = /^(EB|QN|DP|oneStep|restrike|heldAcross|similarity\d+|inKey)\./;

/**
 * The page. Bars: one panel per figure (rates on a 0–1 scale, counts each on its own), grouped as
 * the table is; curves: one line plot per `CurveSet`, in order, x = training step.
 *
 * @param curves training curve sets, each its own section; may be empty
 * @param extra.title @param extra.meta @param extra.perStyle see `ReportPageExtra`
 * @example
 *   renderReportHtml(report, [{ title: 'GAN losses', series: [{ name: 'critic', points }] }], { meta: { steps: 5000 } })
 */
export function renderReportHtml(report: QualityReport, curves: readonly CurveSet[], extra: ReportPageExtra = {}): string {
  const title = extra.title ?? 'Symbolic generator quality report';
  const sections = reportSections(report);
  const charts = sections.map((section) => {
    const panels = section.figures.map((f) => ({
      // Within a track's chart the track is in the title, so the panel keeps to the figure's name.
      label: section.title.startsWith('listener') ? f.name.slice(0, f.name.indexOf('.')) : f.name,
      data: f.data,
      generated: f.generated,
      scaleMax: RATE_FIGURE.test(f.name) ? 1 : undefined,
      caption: `${f.pass ? '✓' : '✗'} ${f.note ? 'n/a' : shownDifference(f, report)}`,
      pass: f.pass,
    }));
    return `<figure>${barPanels(section.title, panels)}</figure>`;
  });
  const curveSections = curves.map((set) => `<section>\n<h2>${escapeXml(set.title)}</h2>\n<figure>${linePlot({ title: set.title, series: set.series })}</figure>\n</section>`);
  const meta = Object.entries(extra.meta ?? {})
    .map(([key, value]) => `<dt>${escapeXml(key)}</dt><dd>${escapeXml(typeof value === 'number' ? formatNumber(value) : value)}</dd>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; color: #222; max-width: 760px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 20px; margin: 0 0 8px; } h2 { font-size: 15px; margin: 28px 0 8px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 12px; color: #555; }
dt { font-weight: 600; } dd { margin: 0; }
.verdict { display: inline-block; padding: 4px 10px; border-radius: 4px; color: #fff; font-weight: 600; }
.verdict.pass { background: #2e7d32; } .verdict.fail { background: #c62828; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e3e3e3; text-align: left; }
td.num { text-align: right; white-space: nowrap; } tr.fail td, td.fail { color: #c62828; font-weight: 600; }
tr.group th { background: #f4f4f4; }
figure { margin: 8px 0; } svg { max-width: 100%; height: auto; }
${CHART_CSS}</style></head>
<body>
<h1>${escapeXml(title)}</h1>
${meta ? `<dl>${meta}</dl>` : ''}
<p class="verdict ${report.passed ? 'pass' : 'fail'}">${escapeXml(verdictLine(report))}</p>
<h2>Figures: data vs generated</h2>
${charts.join('\n')}
${curveSections.join('\n')}
<h2>Table</h2>
${reportTableHtml(report)}
${extra.perStyle && Object.keys(extra.perStyle).length > 0 ? `<h2>Per style (data / generated)</h2>\n${perStyleTableHtml(extra.perStyle)}` : ''}
</body></html>
`;
}

/** The full table: a heading row per group, one row per figure, then diversity. */
function reportTableHtml(report: QualityReport): string {
  const cell = (text: string, numeric = false) => `<td${numeric ? ' class="num"' : ''}>${escapeXml(text)}</td>`;
  const rows = [`<tr>${['figure', 'data', 'generated', 'difference', 'result', 'what'].map((h) => `<th>${h}</th>`).join('')}</tr>`];
  for (const section of reportSections(report)) {
    rows.push(`<tr class="group"><th colspan="6">${escapeXml(section.title)}</th></tr>`);
    for (const f of section.figures) {
      rows.push(`<tr${f.pass ? '' : ' class="fail"'}>${cell(f.name)}${cell(shownValue(f.data, f.support.data), true)}${cell(shownValue(f.generated, f.support.generated), true)}` +
        `${cell(shownDifference(f, report), true)}${cell(shownResult(f))}${cell(f.description)}</tr>`);
    }
  }
  const d = report.diversity;
  rows.push('<tr class="group"><th colspan="6">phrase diversity</th></tr>');
  rows.push(`<tr${d.pass ? '' : ' class="fail"'}>${cell('diversity')}${cell(d.data.toFixed(3), true)}${cell(d.generated.toFixed(3), true)}` +
    `${cell(`ratio ${d.ratio.toFixed(2)}`, true)}${cell(d.pass ? 'pass' : 'FAIL')}${cell(`needs ≥ ${d.minRatio.toFixed(2)}`)}</tr>`);
  rows.push(`<tr>${cell('distinct phrases')}${cell(`${d.distinct.data}/${d.count.data}`, true)}${cell(`${d.distinct.generated}/${d.count.generated}`, true)}${cell('')}${cell('')}${cell('')}</tr>`);
  return `<table>\n${rows.join('\n')}\n</table>`;
}

/** Figure rows × style columns, each cell 'data / generated', failing cells red. */
function perStyleTableHtml(perStyle: Record<string, QualityReport>): string {
  const styles = Object.keys(perStyle);
  const names = perStyle[styles[0]].figures.map((f) => f.name);
  const rows = [`<tr><th>figure</th>${styles.map((s) => `<th>${escapeXml(s)}</th>`).join('')}</tr>`];
  for (const name of names) {
    const cells = styles.map((style) => {
      const f = perStyle[style].figures.find((candidate) => candidate.name === name);
      if (!f) return '<td class="num">—</td>';
      const text = `${shownValue(f.data, f.support.data)} / ${shownValue(f.generated, f.support.generated)}`;
      return `<td class="num${f.pass ? '' : ' fail'}">${escapeXml(text)}</td>`;
    });
    rows.push(`<tr><td>${escapeXml(name)}</td>${cells.join('')}</tr>`);
  }
  const diversity = styles.map((style) => {
    const d = perStyle[style].diversity;
    return `<td class="num${d.pass ? '' : ' fail'}">${escapeXml(`${d.data.toFixed(2)} / ${d.generated.toFixed(2)}`)}</td>`;
  });
  rows.push(`<tr><td>diversity</td>${diversity.join('')}</tr>`);
  const verdicts = styles.map((style) => {
    const r = perStyle[style];
    const passing = r.figures.filter((f) => f.pass).length;
    return `<td class="num${r.passed ? '' : ' fail'}">${r.passed ? 'PASSED' : 'FAILED'} ${passing}/${r.figures.length}</td>`;
  });
  rows.push(`<tr><td>verdict</td>${verdicts.join('')}</tr>`);
  return `<table>\n${rows.join('\n')}\n</table>`;
}
