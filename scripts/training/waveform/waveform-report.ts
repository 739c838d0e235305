/**
 * The WaveGAN training report, published beside each model version: `report.json` (the run's
 * settings, every step's losses, every snapshot's figures) and `report.html`, one self-contained
 * page (inline SVG plots, inline PNG spectrograms, inline WAV players; no scripts, no assets).
 */
import { CHART_CSS, escapeXml, formatNumber, linePlot } from '../metrics/svg-plot.js';
import type { ReportSnapshot } from './report-snapshot.js';
import type { WaveformGanLoss } from './waveform-gan.js';

export interface WaveformReport {
  title: string;
  /** Key/value lines under the heading (model, version, d, batch, backend, steps/s…). */
  meta: Record<string, string | number>;
  history: readonly WaveformGanLoss[];
  snapshots: readonly ReportSnapshot[];
  /** The real clips the snapshots are compared with: pictures, and the distance of one half of them to the other. */
  real: { images: string[]; halfDistanceDb: number };
  /** The latest snapshot's clips as WAV, base64. */
  audio: string[];
}

/** report.json: everything but the pictures and the audio. */
export function renderReportJson(report: WaveformReport): string {
  const snapshots = report.snapshots.map(({ step, spectralDistanceDb, rmsDb }) => ({ step, spectralDistanceDb, rmsDb }));
  return `${JSON.stringify({ title: report.title, meta: report.meta, realHalfDistanceDb: report.real.halfDistanceDb, snapshots, history: report.history })}\n`;
}

/** report.html. */
export function renderReportHtml(report: WaveformReport): string {
  const points = (pick: (h: WaveformGanLoss) => number) => report.history.map((h) => [h.step, pick(h)] as const);
  const plots = [
    linePlot({
      title: 'Losses',
      series: [
        { name: 'critic (−W + λ·GP)', points: points((h) => h.criticLoss) },
        { name: 'generator (−D(G(z)))', points: points((h) => h.generatorLoss) },
      ],
    }),
    linePlot({
      title: 'Critic: Wasserstein estimate and gradient penalty',
      series: [
        { name: 'Wasserstein estimate', points: points((h) => h.wasserstein) },
        { name: 'gradient penalty', points: points((h) => h.gradientPenalty) },
      ],
    }),
    linePlot({
      title: 'Mean spectrum, generated vs real (RMS dB difference)',
      series: [
        { name: 'generated vs real', points: report.snapshots.map((s) => [s.step, s.spectralDistanceDb] as const) },
        { name: 'real half vs half', points: report.snapshots.map((s) => [s.step, report.real.halfDistanceDb] as const) },
      ],
    }),
  ];
  const image = (png: string, label: string) => `<img src="data:image/png;base64,${png}" alt="${escapeXml(label)}" title="${escapeXml(label)}">`;
  const rows = report.snapshots
    .filter((s) => s.images)
    .map((s) => `<tr><th>step ${s.step}<br><small>${formatNumber(s.spectralDistanceDb)} dB off · ${formatNumber(s.rmsDb)} dBFS</small></th>` +
      `${s.images!.map((png, i) => `<td>${image(png, `step ${s.step}, latent ${i}`)}</td>`).join('')}</tr>`);
  rows.push(`<tr><th>real clips</th>${report.real.images.map((png, i) => `<td>${image(png, `real ${i}`)}</td>`).join('')}</tr>`);
  const audio = report.audio.map((wav, i) => `<audio controls src="data:audio/wav;base64,${wav}" title="latent ${i}"></audio>`).join('\n');
  const meta = Object.entries(report.meta)
    .map(([key, value]) => `<dt>${escapeXml(key)}</dt><dd>${escapeXml(typeof value === 'number' ? formatNumber(value) : value)}</dd>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(report.title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; color: #222; max-width: 900px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 20px; margin: 0 0 8px; } h2 { font-size: 15px; margin: 28px 0 8px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 12px; color: #555; }
dt { font-weight: 600; } dd { margin: 0; }
table { border-collapse: collapse; } th { font-weight: 600; text-align: right; padding: 2px 8px; white-space: nowrap; }
td { padding: 2px; } td img { width: 160px; height: 96px; image-rendering: pixelated; display: block; }
figure { margin: 8px 0; } svg { max-width: 100%; height: auto; } audio { display: block; margin: 4px 0; }
${CHART_CSS}</style></head>
<body>
<h1>${escapeXml(report.title)}</h1>
<dl>${meta}</dl>
<h2>Training curves</h2>
${plots.map((svg) => `<figure>${svg}</figure>`).join('\n')}
<h2>Spectrograms of a fixed latent batch (time →, frequency ↑, −90 … 0 dB)</h2>
<table>
${rows.join('\n')}
</table>
<h2>Listen: the latest step's clips</h2>
${audio}
</body></html>
`;
}
