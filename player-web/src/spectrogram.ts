/**
 * A scrolling spectrogram on a canvas: newest audio on the right, frequency on a log scale
 * (bass at the bottom), loudness as colour. Audio arrives from the network at any time; columns
 * are drawn on requestAnimationFrame, so a hidden tab costs nothing.
 */
import { MagnitudeSpectrum } from './fft.js';

export interface SpectrogramOptions {
  /** @default 1024 */
  fftSize?: number;
  /** Samples between columns; with 1024 at 44.1 kHz the picture moves 43 px a second. @default 1024 */
  hopSamples?: number;
  /** Loudness mapped to the darkest and brightest colours. @default -90, -10 */
  floorDb?: number;
  ceilingDb?: number;
  /** Lowest frequency shown. @default 40 */
  minHz?: number;
}

/** Calm colours from quiet to loud: ink, teal, sand, paper. */
const COLOUR_STOPS: [number, number, number][] = [
  [23, 32, 42],
  [32, 84, 96],
  [42, 157, 143],
  [233, 196, 106],
  [253, 246, 227],
];

function colourTable(): Uint8ClampedArray {
  const table = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const position = (i / 255) * (COLOUR_STOPS.length - 1);
    const low = Math.min(Math.floor(position), COLOUR_STOPS.length - 2);
    const t = position - low;
    for (let c = 0; c < 3; c++) table[i * 3 + c] = COLOUR_STOPS[low][c] * (1 - t) + COLOUR_STOPS[low + 1][c] * t;
  }
  return table;
}

export class Spectrogram {
  readonly canvas: HTMLCanvasElement;
  readonly #spectrum: MagnitudeSpectrum;
  readonly #hop: number;
  readonly #floorDb: number;
  readonly #ceilingDb: number;
  readonly #minHz: number;
  readonly #colours = colourTable();
  readonly #magnitudes: Float32Array;
  /** Mono samples not yet drawn; the oldest are dropped if drawing falls behind. */
  #pending: Float32Array;
  #pendingLength = 0;
  #sampleRate = 44100;
  #channels = 2;
  /** Per canvas row (top first): the FFT bins it shows. */
  #rowBins: { from: number; to: number }[] = [];
  #column?: ImageData;
  #frame = 0;
  readonly #resize: ResizeObserver;

  constructor(canvas: HTMLCanvasElement, options: SpectrogramOptions = {}) {
    this.canvas = canvas;
    this.#spectrum = new MagnitudeSpectrum(options.fftSize ?? 1024);
    this.#hop = options.hopSamples ?? 1024;
    this.#floorDb = options.floorDb ?? -90;
    this.#ceilingDb = options.ceilingDb ?? -10;
    this.#minHz = options.minHz ?? 40;
    this.#magnitudes = new Float32Array(this.#spectrum.size / 2);
    this.#pending = new Float32Array(this.#spectrum.size * 8);
    this.#resize = new ResizeObserver(() => this.#fitCanvas());
    this.#resize.observe(canvas);
  }

  /** The feed's format, from its header. */
  setFormat(sampleRate: number, channels: number): void {
    this.#sampleRate = sampleRate;
    this.#channels = channels;
    this.#pendingLength = 0;
    // About two seconds of backlog at most; more would only be drawn as a smear.
    const capacity = Math.max(this.#spectrum.size * 2, Math.ceil(sampleRate * 2));
    if (this.#pending.length !== capacity) this.#pending = new Float32Array(capacity);
    this.#mapRows();
  }

  /** Adds interleaved samples (mixed to mono here). */
  push(interleaved: Float32Array): void {
    const channels = this.#channels;
    const frames = Math.floor(interleaved.length / channels);
    if (this.#pendingLength + frames > this.#pending.length) {
      const keep = Math.max(0, this.#pending.length - frames);
      this.#pending.copyWithin(0, this.#pendingLength - keep, this.#pendingLength);
      this.#pendingLength = keep;
    }
    let at = this.#pendingLength;
    for (let f = 0; f < frames && at < this.#pending.length; f++, at++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += interleaved[f * channels + c];
      this.#pending[at] = sum / channels;
    }
    this.#pendingLength = at;
  }

  start(): void {
    if (this.#frame) return;
    const draw = () => {
      this.#drawPending();
      this.#frame = requestAnimationFrame(draw);
    };
    this.#frame = requestAnimationFrame(draw);
  }

  stop(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#pendingLength = 0;
  }

  dispose(): void {
    this.stop();
    this.#resize.disconnect();
  }

  #fitCanvas(): void {
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    const width = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * ratio));
    if (width === this.canvas.width && height === this.canvas.height) return;
    this.canvas.width = width;
    this.canvas.height = height;
    const context = this.canvas.getContext('2d');
    if (context) {
      context.fillStyle = `rgb(${COLOUR_STOPS[0].join(',')})`;
      context.fillRect(0, 0, width, height);
    }
    this.#mapRows();
  }

  /** Log-frequency rows: each row shows the loudest bin between its frequency and the next row's. */
  #mapRows(): void {
    const height = this.canvas.height;
    const binHz = this.#sampleRate / this.#spectrum.size;
    const maxHz = this.#sampleRate / 2;
    const bins = this.#spectrum.size / 2;
    const hzAt = (row: number) => this.#minHz * (maxHz / this.#minHz) ** ((height - row) / height);
    this.#rowBins = [];
    for (let row = 0; row < height; row++) {
      const from = Math.min(bins - 1, Math.floor(hzAt(row + 1) / binHz));
      const to = Math.min(bins, Math.max(from + 1, Math.ceil(hzAt(row) / binHz)));
      this.#rowBins.push({ from, to });
    }
    this.#column = undefined;
  }

  #drawPending(): void {
    const size = this.#spectrum.size;
    const context = this.canvas.getContext('2d');
    if (!context || this.#pendingLength < size) return;
    const { width, height } = this.canvas;
    if (!this.#column || this.#column.height !== height) this.#column = context.createImageData(1, height);
    const columns = Math.floor((this.#pendingLength - size) / this.#hop) + 1;
    const drawn = Math.min(columns, width);
    context.drawImage(this.canvas, -drawn, 0);
    const skipped = columns - drawn;
    for (let i = 0; i < drawn; i++) {
      this.#spectrum.magnitudes(this.#pending, (skipped + i) * this.#hop, this.#magnitudes);
      this.#paintColumn(this.#column);
      context.putImageData(this.#column, width - drawn + i, 0);
    }
    const consumed = columns * this.#hop;
    this.#pending.copyWithin(0, consumed, this.#pendingLength);
    this.#pendingLength -= consumed;
  }

  #paintColumn(column: ImageData): void {
    const pixels = column.data;
    const range = this.#ceilingDb - this.#floorDb;
    for (let row = 0; row < this.#rowBins.length; row++) {
      const { from, to } = this.#rowBins[row];
      let peak = 0;
      for (let bin = from; bin < to; bin++) peak = Math.max(peak, this.#magnitudes[bin]);
      const db = 20 * Math.log10(peak + 1e-9);
      const level = Math.round(Math.min(1, Math.max(0, (db - this.#floorDb) / range)) * 255);
      pixels[row * 4] = this.#colours[level * 3];
      pixels[row * 4 + 1] = this.#colours[level * 3 + 1];
      pixels[row * 4 + 2] = this.#colours[level * 3 + 2];
      pixels[row * 4 + 3] = 255;
    }
  }
}
