/**
 * Low-latency playback: the channel's WebSocket f32le feed played through an AudioWorklet
 * jitter buffer, a few hundred milliseconds behind live instead of the seconds an <audio>
 * element buffers.
 *
 *   WebSocket frames ─► port.postMessage (buffer transferred) ─► pcm-worklet (JitterBuffer)
 *                                                                  ─► GainNode (volume) ─► speakers
 */
import { openPcmSocket } from './pcm-socket.js';
import {
  PCM_PROCESSOR_NAME,
  type BufferHealth,
  type PcmFrameMessage,
  type PcmProcessorOptions,
} from './pcm-worklet-messages.js';

export const WORKLET_URL = '/assets/pcm-worklet.js';

export interface LowLatencyOptions {
  /** The channel's `ws` path, e.g. `/ws/lobby`. */
  wsPath: string;
  /** The rate /api/channels announced; the AudioContext is made at it inside the tap. */
  sampleRate: number;
  volume: number;
  /**
   * Audio to collect before playing. 150 ms rides out ordinary Wi-Fi jitter; less clicks on a
   * busy tablet.
   * @default 150
   */
  targetMs?: number;
  /** @default 1000 */
  maxMs?: number;
  /** Seconds of burst asked of the server, so the target fills at once. @default 0.3 */
  burstSeconds?: number;
  onHealth(health: BufferHealth): void;
  /** The feed closed or the audio could not start; playback has stopped. */
  onError(message: string): void;
  /** Frames the server never delivered (sequence gaps). */
  onLost?(frames: number): void;
}

export class LowLatencyPlayer {
  readonly #options: LowLatencyOptions;
  #context: AudioContext;
  #gain: GainNode;
  #node?: AudioWorkletNode;
  /** Frames that arrived while the worklet module was still loading. */
  #pending: Float32Array[] = [];
  #closeSocket?: () => void;
  #stopped = false;

  /**
   * Call from the tap's handler: the AudioContext is created and resumed there, which is what
   * lets audio start on iPad Safari as well as Chrome.
   */
  constructor(options: LowLatencyOptions) {
    this.#options = options;
    this.#context = new AudioContext({ sampleRate: options.sampleRate, latencyHint: 'interactive' });
    void this.#context.resume();
    this.#gain = new GainNode(this.#context, { gain: options.volume });
    this.#gain.connect(this.#context.destination);
  }

  /** Loads the worklet and opens the feed; resolves once both are under way. */
  async start(): Promise<void> {
    const moduleLoaded = this.#context.audioWorklet.addModule(WORKLET_URL);
    this.#closeSocket = openPcmSocket(
      this.#options.wsPath,
      { burstSeconds: this.#options.burstSeconds ?? 0.3 },
      {
        header: (header) => {
          if (header.sampleRate !== this.#context.sampleRate) {
            this.#fail(`the feed plays at ${header.sampleRate} Hz but the audio was set up for ${this.#context.sampleRate} Hz; reload the page`);
            return;
          }
          void moduleLoaded.then(() => this.#createNode(header.channels)).catch((error: Error) =>
            this.#fail(`the audio worklet did not load from ${WORKLET_URL}: ${error.message}`),
          );
        },
        frame: (samples) => this.#deliver(samples),
        lost: (count) => this.#options.onLost?.(count),
        close: (code, reason) => this.#fail(`the live feed closed (${code}${reason ? `: ${reason}` : ''})`),
      },
    );
    await moduleLoaded.catch(() => undefined); // reported through onError by the header handler
  }

  setVolume(volume: number): void {
    // A short ramp: setting the value outright clicks.
    this.#gain.gain.setTargetAtTime(volume, this.#context.currentTime, 0.02);
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#closeSocket?.();
    this.#node?.port.close();
    void this.#context.close();
  }

  #createNode(channels: number): void {
    if (this.#stopped || this.#node) return;
    const processorOptions: PcmProcessorOptions = {
      channels,
      targetMs: this.#options.targetMs ?? 150,
      maxMs: this.#options.maxMs ?? 1000,
      reportEveryMs: 250,
    };
    const node = new AudioWorkletNode(this.#context, PCM_PROCESSOR_NAME, {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [channels],
      processorOptions,
    });
    node.port.onmessage = (event: MessageEvent<BufferHealth>) => {
      if (event.data.type === 'health') this.#options.onHealth(event.data);
    };
    node.connect(this.#gain);
    this.#node = node;
    for (const samples of this.#pending) this.#post(samples);
    this.#pending = [];
  }

  #deliver(samples: Float32Array): void {
    if (this.#stopped) return;
    if (this.#node) {
      this.#post(samples);
      return;
    }
    this.#pending.push(samples);
    // The worklet should load in well under a second; never hold more than its ring would.
    if (this.#pending.length > 40) this.#pending.shift();
  }

  #post(samples: Float32Array): void {
    const message: PcmFrameMessage = { type: 'pcm', samples };
    this.#node!.port.postMessage(message, [samples.buffer]);
  }

  #fail(message: string): void {
    if (this.#stopped) return;
    this.stop();
    this.#options.onError(message);
  }
}
