/**
 * The waveform family's voice: each generated clip is crossfaded onto the last, resampled to the
 * channel's rate and limited (dsp/channel-mixer.ts). A waveform model's sound is the model, so
 * it has no settings of its own.
 */
import { ChannelMixer } from '../../dsp/channel-mixer.js';
import type { Voice, VoiceOptions, VoiceSummary } from '../family.js';
import type { ModelInfo } from '../model.js';
import { asWaveformManifest } from './waveform-manifest.js';

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
      crossfade: options.crossfade,
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
