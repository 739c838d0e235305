/**
 * The waveform family's voice: each generated clip is crossfaded onto the last, resampled to the
 * channel's rate and limited (dsp/channel-mixer.ts), which resamples from the model's own rate
 * (manifest.sampleRate) to the channel's. A waveform model's sound is the model, so it has no
 * settings of its own.
 */
import { ChannelMixer } from '../../dsp/channel-mixer.js';
import type { Voice, VoiceOptions, VoiceSummary } from '../family.js';
import type { ModelInfo } from '../model.js';
import { asWaveformManifest } from './waveform-manifest.js';

/**
 * The longest crossfade, as a share of a clip. A short clip (4096 samples, 0.256 s at 16 kHz)
 * cannot take the channel's 0.25 s crossfade (the mixer needs two crossfades per clip); capped at
 * a quarter, each clip still adds three quarters of its length to the stream.
 */
export const MAX_CROSSFADE_SHARE = 0.25;

export class WaveformVoice implements Voice {
  readonly settings = {};
  readonly description: string;
  readonly #mixer: ChannelMixer;

  constructor(model: ModelInfo, options: VoiceOptions) {
    const manifest = asWaveformManifest(model.manifest);
    this.description = model.instrument;
    this.#mixer = new ChannelMixer({
      modelRate: manifest.sampleRate,
      outputRate: options.sampleRate,
      channels: options.channels,
      crossfade: Math.min(options.crossfade, (MAX_CROSSFADE_SHARE * manifest.clipSamples) / manifest.sampleRate),
    });
  }

  summary(): VoiceSummary {
    return { instrument: this.description, instruments: [this.description] };
  }

  input(z: Float32Array): Float32Array {
    return z;
  }

  play(clip: Float32Array): Iterable<Float32Array> {
    return [this.#mixer.push(clip)];
  }
}
