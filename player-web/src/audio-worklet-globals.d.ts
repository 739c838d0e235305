/**
 * The few AudioWorkletGlobalScope names pcm-worklet.ts uses; lib.dom describes the main thread
 * only. Shapes follow the Web Audio spec.
 */
declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: AudioWorkletNodeOptions);
  /** Called once per render quantum (128 frames); return true to stay alive. */
  abstract process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
}

declare function registerProcessor(
  name: string,
  processorCtor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessor,
): void;

/** The AudioContext's sample rate, as seen from inside the worklet. */
declare const sampleRate: number;
