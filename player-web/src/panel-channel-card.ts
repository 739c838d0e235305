/**
 * One channel on the operator panel: what is heard now, its health in numbers and over the last
 * minutes, a live spectrogram, its controls, the server's answer to the last change and the
 * channel's recent problems.
 */
import type { ChannelChanges, ChannelSummary, ControlRange, IcecastSourceStatus, ModelSummary, StationProblem } from '../../server/web/wire.js';
import { ChannelControls, type ControlName, type ControlSetup } from './channel-controls.js';
import { el, find, setText } from './dom.js';
import { describeSound, formatClock, formatRealTimeFactor, formatSeconds } from './format.js';
import { MonitorFeed, type MonitorState } from './monitor-feed.js';
import { StatsChart, type StatsPoint } from './stats-chart.js';

/** Problems shown per card; the server keeps the last 20 station-wide. */
const PROBLEMS_SHOWN = 5;

const MONITOR_TEXT: Record<MonitorState, string> = {
  off: 'paused while off screen',
  connecting: 'connecting…',
  live: 'live',
  retrying: 'reconnecting…',
};

export class PanelChannelCard {
  readonly id: string;
  readonly element: HTMLElement;
  readonly controls: ChannelControls;
  readonly #chart: StatsChart;
  readonly #monitor: MonitorFeed;

  constructor(summary: ChannelSummary, onChange: (card: PanelChannelCard, changes: ChannelChanges, control: ControlName) => void) {
    this.id = summary.id;
    this.controls = new ChannelControls(summary.id, (changes, control) => onChange(this, changes, control));
    const chartBox = el('div', { class: 'chart', 'data-field': 'chart' });
    const canvas = el('canvas', { class: 'spectrogram', 'data-field': 'spectrogram', 'aria-label': `Live spectrogram of ${summary.id}` });
    this.element = el(
      'article',
      { class: 'card panel-card', 'data-channel': summary.id },
      el(
        'header',
        { class: 'card-head' },
        el('h2', {}, summary.id),
        el('span', { class: 'badge', 'data-field': 'family' }),
      ),
      el(
        'p',
        { class: 'now-playing' },
        el('span', { class: 'label' }, 'Now playing'),
        el('span', { class: 'title', 'data-field': 'title' }),
        el('span', { class: 'sound', 'data-field': 'sound' }),
      ),
      el(
        'dl',
        { class: 'stats' },
        stat('Listeners', 'listeners'),
        stat('Buffered ahead', 'buffer'),
        stat('Real-time factor', 'rtf'),
        stat('Underruns', 'underruns'),
      ),
      el('p', { class: 'icecast', 'data-field': 'icecast', hidden: true }),
      el('p', { class: 'message error', 'data-field': 'error', role: 'alert', hidden: true }),
      el('p', { class: 'message notice', 'data-field': 'notice', role: 'status', hidden: true }),
      this.controls.element,
      el(
        'figure',
        { class: 'live' },
        canvas,
        el('figcaption', {}, 'Live spectrum (log frequency, 40 Hz – 22 kHz) · ', el('span', { 'data-field': 'monitor' })),
      ),
      el('figure', { class: 'history' }, chartBox, el('figcaption', {}, 'Last 5 minutes')),
      el(
        'section',
        { class: 'problems' },
        el('h3', {}, 'Recent problems'),
        el('ol', { 'data-field': 'recent-errors' }, el('li', { class: 'none' }, 'None')),
      ),
    );
    this.#chart = new StatsChart(chartBox);
    this.#monitor = new MonitorFeed(canvas, summary.ws, (state, detail) => {
      setText(find(this.element, '[data-field="monitor"]'), detail ?? MONITOR_TEXT[state]);
    });
  }

  update(summary: ChannelSummary, models: ModelSummary[], setup: ControlSetup): void {
    const field = (name: string) => find(this.element, `[data-field="${name}"]`);
    setText(field('title'), summary.title || '–');
    setText(field('sound'), describeSound(summary));
    setText(field('family'), `${summary.family}${summary.trained ? '' : ' · untrained'}`);
    field('family').dataset.family = summary.family;
    setText(field('listeners'), String(summary.listeners));
    setText(field('buffer'), formatSeconds(summary.bufferedSeconds));
    setText(field('rtf'), formatRealTimeFactor(summary.realTimeFactor));
    setText(field('underruns'), String(summary.underruns));
    // Below one second ahead the next hiccup is audible; below 1× the model cannot keep up.
    field('buffer').dataset.level = summary.bufferedSeconds < 1 ? 'warn' : 'ok';
    field('rtf').dataset.level = summary.realTimeFactor !== null && summary.realTimeFactor < 1 ? 'warn' : 'ok';
    const icecast = field('icecast');
    icecast.hidden = summary.icecast === undefined;
    if (summary.icecast) {
      setText(icecast, describeIcecast(summary.icecast));
      icecast.dataset.state = summary.icecast.state;
    }
    this.controls.sync(summary, models, setup);
  }

  seedHistory(points: StatsPoint[]): void {
    this.#chart.seed(points);
  }

  appendHistory(point: StatsPoint): void {
    this.#chart.append(point);
  }

  /** The server's refusal of the last change (its own message), or null to clear it. */
  showError(message: string | null): void {
    const box = find(this.element, '[data-field="error"]');
    box.hidden = message === null;
    setText(box, message ?? '');
  }

  showNotice(message: string | null): void {
    const box = find(this.element, '[data-field="notice"]');
    box.hidden = message === null;
    setText(box, message ?? '');
  }

  /** This channel's problems from the `state` event, newest first. */
  showProblems(problems: StationProblem[]): void {
    const list = find(this.element, '[data-field="recent-errors"]');
    const shown = problems.slice(-PROBLEMS_SHOWN).reverse();
    const key = shown.map((p) => `${p.time}${p.code}`).join();
    if (list.dataset.key === key) return;
    list.dataset.key = key;
    list.replaceChildren(...(shown.length > 0 ? shown.map(problemItem) : [el('li', { class: 'none' }, 'None')]));
  }

  dispose(): void {
    this.#monitor.dispose();
    this.#chart.dispose();
    this.element.remove();
  }
}

const ICECAST_STATE: Record<IcecastSourceStatus['state'], string> = {
  streaming: 'streaming',
  connecting: 'connecting',
  waiting: 'waiting to reconnect',
  stopped: 'stopped',
};

/** `Icecast http://icecast:8000/lobby: streaming since 14:02:07 · 2 reconnects · last error: …` */
export function describeIcecast(status: IcecastSourceStatus): string {
  const parts = [`Icecast ${status.url}${status.mount}: ${ICECAST_STATE[status.state]} since ${formatClock(status.since)}`];
  if (status.reconnects > 0) parts.push(`${status.reconnects} reconnect${status.reconnects === 1 ? '' : 's'}`);
  if (status.lastError && status.state !== 'streaming') parts.push(`last error: ${status.lastError}`);
  return parts.join(' · ');
}

function stat(label: string, field: string): HTMLElement {
  return el('div', {}, el('dt', {}, label), el('dd', { 'data-field': field }, '–'));
}

export function problemItem(problem: StationProblem): HTMLElement {
  return el(
    'li',
    {},
    el('time', { datetime: new Date(problem.time).toISOString() }, formatClock(problem.time)),
    el('code', {}, problem.code),
    el('span', {}, problem.message),
  );
}
