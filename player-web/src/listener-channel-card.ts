/**
 * One channel on the listener page: its name and what it plays, the title heard now, a play /
 * stop button, a volume slider, buffer health in low-latency mode, and the snippet that embeds
 * the stream in a website. It renders; listener.ts decides what plays.
 */
import type { ChannelSummary } from '../../server/web/wire.js';
import { copyText } from './copy-text.js';
import { el, find, setText } from './dom.js';
import { describeSound, formatMilliseconds } from './format.js';
import type { BufferHealth } from './pcm-worklet-messages.js';

export type PlaybackState = 'stopped' | 'connecting' | 'buffering' | 'playing' | 'failed';

export interface CardActions {
  /** The play / stop button was tapped. */
  toggle(card: ListenerChannelCard): void;
  volume(card: ListenerChannelCard, volume: number): void;
}

const STATUS_TEXT: Record<PlaybackState, string> = {
  stopped: '',
  connecting: 'Connecting…',
  buffering: 'Buffering…',
  playing: 'Playing',
  failed: '',
};

export class ListenerChannelCard {
  readonly id: string;
  readonly element: HTMLElement;
  /** The <audio> element ordinary playback uses; tests read its state. */
  readonly audio: HTMLAudioElement;
  summary: ChannelSummary;
  readonly #button: HTMLButtonElement;
  readonly #volume: HTMLInputElement;

  constructor(summary: ChannelSummary, volume: number, actions: CardActions) {
    this.id = summary.id;
    this.summary = summary;
    const streamUrl = new URL(summary.stream, location.origin).href;
    const embedHtml = `<audio controls src="${streamUrl}"></audio>`;
    this.#button = el('button', { type: 'button', class: 'play-button', 'data-action': 'play', 'aria-pressed': 'false' });
    this.#volume = el('input', {
      type: 'range',
      min: 0,
      max: 1,
      step: 0.01,
      value: volume,
      'data-control': 'volume',
      'aria-label': `Volume of ${summary.id}`,
    });
    this.audio = el('audio', { preload: 'none', 'data-field': 'audio' });
    this.element = el(
      'article',
      { class: 'card channel-card', 'data-channel': summary.id, 'data-state': 'stopped' },
      el(
        'header',
        { class: 'channel-head' },
        el('h2', { class: 'channel-name' }, summary.id),
        el('p', { class: 'channel-sound', 'data-field': 'sound' }),
      ),
      el(
        'p',
        { class: 'now-playing' },
        el('span', { class: 'label' }, 'Now playing'),
        el('span', { class: 'title', 'data-field': 'title', 'aria-live': 'polite' }),
      ),
      el(
        'div',
        { class: 'channel-controls' },
        this.#button,
        el('label', { class: 'volume' }, el('span', { class: 'label' }, 'Volume'), this.#volume),
      ),
      el('p', { class: 'status', 'data-field': 'status', role: 'status' }),
      el(
        'dl',
        { class: 'health', 'data-field': 'health', hidden: true },
        el('div', {}, el('dt', {}, 'Buffered'), el('dd', { 'data-field': 'buffer-ms' }, '0 ms')),
        el('div', {}, el('dt', {}, 'Frames'), el('dd', { 'data-field': 'frames-received' }, '0')),
        el('div', {}, el('dt', {}, 'Underruns'), el('dd', { 'data-field': 'underruns' }, '0')),
      ),
      el(
        'details',
        { class: 'embed' },
        el('summary', {}, 'Play it on your website'),
        snippet('Embed code', embedHtml, 'copy-embed'),
        snippet('Stream URL', streamUrl, 'copy-url'),
      ),
      this.audio,
    );
    this.#button.addEventListener('click', () => actions.toggle(this));
    this.#volume.addEventListener('input', () => actions.volume(this, Number(this.#volume.value)));
    this.update(summary);
    this.setPlayback('stopped');
  }

  get volume(): number {
    return Number(this.#volume.value);
  }

  /** Shows the server's latest word on the channel (title, what it plays). */
  update(summary: ChannelSummary): void {
    this.summary = summary;
    setText(find(this.element, '[data-field="title"]'), summary.title || '–');
    setText(find(this.element, '[data-field="sound"]'), describeSound(summary));
  }

  setPlayback(state: PlaybackState, message = ''): void {
    this.element.dataset.state = state;
    const active = state !== 'stopped' && state !== 'failed';
    this.#button.setAttribute('aria-pressed', String(active));
    this.#button.replaceChildren(el('span', { class: 'icon', 'aria-hidden': 'true' }), active ? 'Stop' : 'Play');
    this.#button.setAttribute('aria-label', `${active ? 'Stop' : 'Play'} ${this.id}`);
    setText(find(this.element, '[data-field="status"]'), message || STATUS_TEXT[state]);
    if (!active) this.showHealth(null);
  }

  /** Low-latency buffer health, or null to hide it (ordinary playback). */
  showHealth(health: BufferHealth | null): void {
    const box = find(this.element, '[data-field="health"]');
    box.hidden = health === null;
    if (!health) return;
    setText(find(box, '[data-field="buffer-ms"]'), formatMilliseconds(health.bufferedMs));
    setText(find(box, '[data-field="frames-received"]'), String(health.framesReceived));
    setText(find(box, '[data-field="underruns"]'), String(health.underruns));
    box.dataset.bufferState = health.state;
  }
}

function snippet(label: string, text: string, action: string): HTMLElement {
  const button = el('button', { type: 'button', class: 'copy-button', 'data-action': action }, 'Copy');
  button.addEventListener('click', async () => {
    const copied = await copyText(text);
    button.textContent = copied ? 'Copied' : 'Select and copy';
    setTimeout(() => (button.textContent = 'Copy'), 2000);
  });
  return el(
    'div',
    { class: 'snippet' },
    el('span', { class: 'label' }, label),
    el('code', { 'data-field': action === 'copy-url' ? 'stream-url' : 'embed-html' }, text),
    button,
  );
}
