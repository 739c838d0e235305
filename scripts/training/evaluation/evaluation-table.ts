/**
 * The evaluation as a plain-text table, the rows side by side:
 *
 *                                   generated  real vs real  noise
 *                                              (floor)       (ceiling)
 *   clips                                 500          500        500
 *   nearest training clip (mean)        412.3        301.8      905.2
 *   held-out → nearest clip (mean)      398.7        296.1      901.4
 *   NDB / k (k = 50, α = 0.05)           0.34         0.04       0.98
 *   JS divergence (nats)                0.081        0.012      0.610
 */
import type { EvaluationReport, EvaluationRow } from './waveform-evaluation.js';

const HEADINGS: Readonly<Record<EvaluationRow['name'], [string, string]>> = {
  generated: ['generated', ''],
  real: ['real vs real', '(floor)'],
  noise: ['noise', '(ceiling)'],
};

/** The table, with a line saying what the distances are measured on. */
export function formatEvaluationTable(report: EvaluationReport): string {
  const lines: [string, (row: EvaluationRow) => string][] = [
    ['clips', (row) => String(row.clips)],
    ['nearest training clip (mean)', (row) => row.nearestTrain.toFixed(1)],
    ['held-out → nearest clip (mean)', (row) => row.heldOutNearest.toFixed(1)],
    [`NDB / k (k = ${report.k}, α = ${report.alpha})`, (row) => row.ndbOverK.toFixed(2)],
    ['JS divergence (nats)', (row) => row.js.toFixed(3)],
  ];
  const labelWidth = Math.max(...lines.map(([label]) => label.length));
  const width = 14;
  const head = (line: 0 | 1) => `${' '.repeat(labelWidth)}${report.rows.map((row) => HEADINGS[row.name][line].padStart(width)).join('')}`;
  const table = [head(0), head(1), ...lines.map(([label, value]) => `${label.padEnd(labelWidth)}${report.rows.map((row) => value(row).padStart(width)).join('')}`)];
  table.push('', `distances: Euclidean between log-mel spectrograms (${report.featureDimensions} values: frames × mel bands, dB); ` +
    `reference: ${report.referenceClips} training clips, ${report.heldOutClips} held-out clips; k-means ${report.kMeansIterations} iterations, seed ${report.seed}`);
  return table.join('\n');
}
