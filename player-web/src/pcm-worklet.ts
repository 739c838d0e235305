/**
 * The low-latency player's AudioWorkletProcessor (loaded from /assets/pcm-worklet.js): it takes
 * PCM frames from its port into a JitterBuffer and plays them one render quantum at a time,
 * reporting its health back through the port a few times a second.
 */
import { JitterBuffer } from './jitter-buffer.js';
import { PCM_PROCESSOR_NAME, type BufferHealth, type PcmFrameMessage, type PcmProcessorOptions } from './pcm-worklet-messages.js';

class PcmPlayerProcessor extends AudioWorkletProcessor {
  readonly #buffer: JitterBuffer;
  readonly #reportEveryFrames: number;
  #framesReceived = 0;
  #framesSinceReport = 0;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    const settings = options.processorOptions as PcmProcessorOptions;
    const framesIn = (ms: number) => Math.round((ms / 1000) * sampleRate);
    this.#buffer = new JitterBuffer({
      channels: settings.channels,
      targetFrames: framesIn(settings.targetMs),
      maxFrames: framesIn(settings.maxMs),
    });
    this.#reportEveryFrames = framesIn(settings.reportEveryMs);
    this.port.onmessage = (event: MessageEvent<PcmFrameMessage>) => {
      if (event.data.type !== 'pcm') return;
      this.#buffer.push(event.data.samples);
      this.#framesReceived++;
    };
  }

  override process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const output = outputs[0];
    const frames = output[0]?.length ?? 128;
    this.#buffer.pull(output, frames);
    this.#framesSinceReport += frames;
    if (this.#framesSinceReport >= this.#reportEveryFrames) {
      this.#framesSinceReport = 0;
      this.#report();
    }
    return true; // the node lives until the player closes its AudioContext
  }

  #report(): void {
    const msPer = 1000 / sampleRate;
    const health: BufferHealth = {
      type: 'health',
      bufferedMs: this.#buffer.bufferedFrames * msPer,
      framesReceived: this.#framesReceived,
      underruns: this.#buffer.underruns,
      droppedMs: this.#buffer.droppedFrames * msPer,
      state: this.#buffer.state,
    };
    this.port.postMessage(health);
  }
}

registerProcessor(PCM_PROCESSOR_NAME, PcmPlayerProcessor);
