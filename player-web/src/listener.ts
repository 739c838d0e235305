/**
 * The listener page (`/`): every channel with its current title, one playing at a time, either
 * through an ordinary <audio> element or, in low-latency mode, the WebSocket feed through an
 * AudioWorklet. Titles come from the server's `state` events, never guessed locally.
 */
import { api, describeError } from './api-client.js';
import type { ChannelSummary } from '../../server/web/wire.js';
import { find, setText } from './dom.js';
import { subscribeEvents } from './event-stream.js';
import { ListenerChannelCard } from './listener-channel-card.js';
import { LowLatencyPlayer } from './low-latency-player.js';
import { StreamPlayer } from './stream-player.js';

const LOW_LATENCY_KEY = 'wavecast.lowLatency';
const VOLUME_KEY = 'wavecast.volume.';
const DEFAULT_VOLUME = 0.8;

interface Playing {
  card: ListenerChannelCard;
  player: StreamPlayer | LowLatencyPlayer;
}

const list = find(document, '#channels');
const lowLatencyToggle = find<HTMLInputElement>(document, '[data-control="low-latency"]');
const connection = find(document, '[data-field="connection"]');
const cards = new Map<string, ListenerChannelCard>();
let playing: Playing | null = null;

lowLatencyToggle.checked = localStorage.getItem(LOW_LATENCY_KEY) === '1';
lowLatencyToggle.addEventListener('change', () => {
  localStorage.setItem(LOW_LATENCY_KEY, lowLatencyToggle.checked ? '1' : '0');
  // Switch what is playing to the new mode rather than making the listener tap twice.
  if (playing) start(playing.card);
});

function savedVolume(id: string): number {
  const saved = Number(localStorage.getItem(VOLUME_KEY + id));
  return localStorage.getItem(VOLUME_KEY + id) !== null && saved >= 0 && saved <= 1 ? saved : DEFAULT_VOLUME;
}

function stop(): void {
  if (!playing) return;
  playing.player.stop();
  playing.card.setPlayback('stopped');
  playing = null;
}

function start(card: ListenerChannelCard): void {
  stop();
  const failed = (message: string) => {
    if (playing?.card === card) playing = null;
    card.setPlayback('failed', `Stopped: ${message}`);
  };
  card.setPlayback('connecting');
  if (lowLatencyToggle.checked) {
    const player = new LowLatencyPlayer({
      wsPath: card.summary.ws,
      sampleRate: card.summary.sampleRate,
      volume: card.volume,
      onHealth: (health) => {
        if (playing?.player !== player) return;
        card.setPlayback(health.state === 'playing' ? 'playing' : 'buffering');
        card.showHealth(health);
      },
      onError: failed,
    });
    playing = { card, player };
    void player.start();
  } else {
    const player = new StreamPlayer(card.audio, {
      streamPath: card.summary.stream,
      volume: card.volume,
      onState: (state) => card.setPlayback(state),
      onError: failed,
    });
    playing = { card, player };
  }
}

function render(channels: ChannelSummary[]): void {
  for (const summary of channels) {
    const card = cards.get(summary.id);
    if (card) {
      card.update(summary);
      continue;
    }
    const created = new ListenerChannelCard(summary, savedVolume(summary.id), {
      toggle: (tapped) => (playing?.card === tapped ? stop() : start(tapped)),
      volume: (changed, volume) => {
        localStorage.setItem(VOLUME_KEY + changed.id, String(volume));
        if (playing?.card === changed) playing.player.setVolume(volume);
      },
    });
    cards.set(summary.id, created);
    list.append(created.element);
  }
  for (const [id, card] of cards) {
    if (channels.some((c) => c.id === id)) continue;
    if (playing?.card === card) stop();
    card.element.remove();
    cards.delete(id);
  }
  list.setAttribute('aria-busy', 'false');
}

async function main(): Promise<void> {
  try {
    render(await api.channels());
  } catch (error) {
    setText(connection, `Could not load the channels: ${describeError(error)}`);
    connection.dataset.state = 'error';
  }
  subscribeEvents({
    state: (event) => render(event.channels),
    connection: (connected) => {
      connection.dataset.state = connected ? 'ok' : 'error';
      setText(connection, connected ? '' : 'Lost contact with the station; reconnecting…');
    },
  });
}

void main();
