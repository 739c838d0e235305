/**
 * The operator panel (`/panel`): a card per channel to change its model, style, instrument and
 * sliders, with live health, a spectrogram and recent problems. Changes go out as PATCH with the
 * operator's token; the server's refusal is shown in its own words.
 */
import 'uplot/dist/uPlot.min.css';
import './operator-panel.css';
import { api, ApiError, describeError } from './api-client.js';
import type {
  ChannelChanges,
  ChannelSummary,
  ControlRange,
  HistoryEvent,
  ModelSummary,
  StateEvent,
} from '../../server/web/wire.js';
import { FALLBACK_RANGES, type ControlName, type ControlSetup } from './channel-controls.js';
import { find, setText } from './dom.js';
import { subscribeEvents } from './event-stream.js';
import { forgetToken, saveToken, savedToken } from './operator-token.js';
import { PanelChannelCard, problemItem } from './panel-channel-card.js';
import type { StatsPoint } from './stats-chart.js';

/** How long a "changed" notice stays. */
const NOTICE_MS = 6000;

const grid = find(document, '#channels');
const tokenForm = find<HTMLFormElement>(document, '#token-form');
const tokenInput = find<HTMLInputElement>(document, '[data-field="token"]');
const tokenStatus = find(document, '[data-field="token-status"]');
const forgetButton = find<HTMLButtonElement>(document, '[data-action="forget-token"]');
const connection = find(document, '[data-field="connection"]');
const stationProblems = find(document, '[data-field="station-errors"]');

const cards = new Map<string, PanelChannelCard>();
const summaries = new Map<string, ChannelSummary>();
let models: ModelSummary[] = [];
let setup: ControlSetup = { ranges: FALLBACK_RANGES, choices: {} };
let token: string | null = null;
/** History points per channel, kept for cards created after the `history` event arrived. */
let history = new Map<string, StatsPoint[]>();

function showTokenState(state: 'locked' | 'checking' | 'ok' | 'refused', message: string): void {
  tokenStatus.dataset.state = state;
  setText(tokenStatus, message);
  document.body.dataset.operator = state;
  forgetButton.hidden = state !== 'ok';
}

async function useToken(candidate: string): Promise<void> {
  showTokenState('checking', 'Checking the token…');
  try {
    const info = await api.operator(candidate);
    token = candidate;
    saveToken(candidate);
    setup = { ranges: { ...FALLBACK_RANGES, ...info.controls }, choices: info.choices };
    tokenInput.value = '';
    showTokenState('ok', 'Unlocked: your changes go to the station.');
    for (const card of cards.values()) refreshCard(card.id);
  } catch (error) {
    token = null;
    forgetToken();
    const why = error instanceof ApiError && error.status === 401 ? `The station refused this token: ${error.message}` : describeError(error);
    showTokenState('refused', why);
  }
}

tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const candidate = tokenInput.value.trim();
  if (candidate === '') {
    showTokenState('refused', 'Type the operator token first (it is in the server config, server.operatorToken).');
    return;
  }
  void useToken(candidate);
});

forgetButton.addEventListener('click', () => {
  token = null;
  forgetToken();
  showTokenState('locked', 'Locked: enter the operator token to change channels.');
});

function refreshCard(id: string): void {
  const summary = summaries.get(id);
  if (summary) cards.get(id)?.update(summary, models, setup);
}

async function change(card: PanelChannelCard, changes: ChannelChanges, control: ControlName): Promise<void> {
  card.controls.setBusy(control, true);
  card.controls.markInvalid(undefined);
  card.showError(null);
  card.showNotice('Sending…');
  try {
    const updated = await api.patchChannel(card.id, changes, token);
    summaries.set(card.id, updated);
    card.showNotice(`Changed ${control}. Listeners hear it within a couple of seconds.`);
    setTimeout(() => card.showNotice(null), NOTICE_MS);
    if (control === 'model' || control === 'version') models = await api.models().catch(() => models);
  } catch (error) {
    card.showNotice(null);
    if (error instanceof ApiError) {
      card.showError(`Refused (${error.status}): ${error.message}`);
      card.controls.markInvalid(error.field ?? control);
      if (error.status === 401) showTokenState('refused', `Locked: ${error.message}`);
    } else {
      card.showError(`Not sent: ${describeError(error)}`);
    }
  } finally {
    card.controls.setBusy(control, false);
    // Puts a refused control back to what the server actually plays.
    refreshCard(card.id);
  }
}

/** Splits the station-wide `history` samples into one series per channel. */
function historyByChannel(event: HistoryEvent): Map<string, StatsPoint[]> {
  const byChannel = new Map<string, StatsPoint[]>();
  for (const sample of event.samples) {
    for (const channel of sample.channels) {
      const points = byChannel.get(channel.id) ?? [];
      points.push({ time: sample.time, bufferedSeconds: channel.bufferedSeconds, realTimeFactor: channel.realTimeFactor, listeners: channel.listeners });
      byChannel.set(channel.id, points);
    }
  }
  return byChannel;
}

/** True when a channel plays a version the model list does not know yet (a trainer published it). */
function modelsStale(channels: ChannelSummary[]): boolean {
  return channels.some((c) => c.version !== undefined && !models.some((m) => m.id === c.model && m.versions?.some((v) => v.version === c.version) && m.version !== undefined && m.version >= c.version!));
}

let refreshingModels = false;

function render(channels: ChannelSummary[]): void {
  if (modelsStale(channels) && !refreshingModels) {
    refreshingModels = true;
    void api
      .models()
      .then((fresh) => (models = fresh))
      .catch(() => undefined)
      .finally(() => (refreshingModels = false));
  }
  for (const summary of channels) {
    summaries.set(summary.id, summary);
    if (!cards.has(summary.id)) {
      const card = new PanelChannelCard(summary, (c, changes, control) => void change(c, changes, control));
      cards.set(summary.id, card);
      grid.append(card.element);
      card.seedHistory(history.get(summary.id) ?? []);
    }
    refreshCard(summary.id);
  }
  for (const [id, card] of cards) {
    if (channels.some((c) => c.id === id)) continue;
    card.dispose();
    cards.delete(id);
    summaries.delete(id);
  }
  grid.setAttribute('aria-busy', 'false');
}

function onState(event: StateEvent): void {
  render(event.channels);
  for (const channel of event.channels) {
    cards.get(channel.id)?.appendHistory({
      time: event.time,
      bufferedSeconds: channel.bufferedSeconds,
      realTimeFactor: channel.realTimeFactor,
      listeners: channel.listeners,
    });
    cards.get(channel.id)?.showProblems(event.errors.filter((p) => p.channel === channel.id));
  }
  const stationWide = event.errors.filter((p) => p.channel === undefined || !cards.has(p.channel)).slice(-5).reverse();
  stationProblems.replaceChildren(...stationWide.map(problemItem));
  stationProblems.closest('section')!.hidden = stationWide.length === 0;
}

async function main(): Promise<void> {
  const stored = savedToken();
  if (stored) void useToken(stored);
  else showTokenState('locked', 'Locked: enter the operator token to change channels.');
  try {
    [models] = await Promise.all([api.models(), api.channels().then(render)]);
  } catch (error) {
    connection.dataset.state = 'error';
    setText(connection, `Could not load the station: ${describeError(error)}`);
  }
  for (const id of cards.keys()) refreshCard(id);
  subscribeEvents({
    history: (event) => {
      history = historyByChannel(event);
      for (const card of cards.values()) card.seedHistory(history.get(card.id) ?? []);
    },
    state: onState,
    connection: (connected) => {
      connection.dataset.state = connected ? 'ok' : 'error';
      setText(connection, connected ? '' : 'Lost contact with the station; reconnecting…');
    },
  });
}

void main();
