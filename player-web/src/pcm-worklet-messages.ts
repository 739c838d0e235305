/**
 * What the low-latency player and its AudioWorklet say to each other over the node's port.
 * Shared by both sides so neither can drift.
 */

/** The name pcm-worklet.ts registers and the player instantiates. */
export const PCM_PROCESSOR_NAME = 'wavecast-pcm-player';

/** `processorOptions` of the AudioWorkletNode. */
export interface PcmProcessorOptions {
  /** Interleaved channels in each frame posted. */
  channels: number;
  /** Audio to collect before playing, at start and after an underrun. */
  targetMs: number;
  /** Audio kept at most; older audio is dropped beyond it. */
  maxMs: number;
  /** How often the worklet reports its health. */
  reportEveryMs: number;
}

/** Main thread → worklet: one network frame of interleaved samples (its buffer transferred). */
export interface PcmFrameMessage {
  type: 'pcm';
  samples: Float32Array;
}

/** Worklet → main thread, a few times a second. */
export interface BufferHealth {
  type: 'health';
  /** Audio waiting in the ring. */
  bufferedMs: number;
  /** Frames (network messages) the worklet has received since it started. */
  framesReceived: number;
  underruns: number;
  /** Audio dropped because the ring passed its maximum. */
  droppedMs: number;
  state: 'filling' | 'playing';
}
