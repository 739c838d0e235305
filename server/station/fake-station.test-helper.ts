/**
 * A station on fakes, for tests of the station and of the web edge: a catalogue that lists
 * manifests and a generator factory that makes noise and piano rolls. No model files, no worker
 * threads, no socket.
 */
import { LameJsEncoder } from '../broadcast/lamejs-encoder.js';
import { parseConfig } from '../config/load-config.js';
import { WavecastError } from '../core/errors.js';
import { mulberry32 } from '../core/seeded-random.js';
import { symbolicModel, symbolicOutput, waveformModel } from '../families/model-fixtures.test-helper.js';
import { modelKey, type ModelInfo, type ModelManifest } from '../families/model.js';
import { PHRASE_VALUES } from '../families/symbolic/piano-roll.js';
import type { Generator } from '../inference/generator.js';
import type { ModelCatalogue } from './model-catalogue.js';
import { Station } from './station.js';

export const FAKE_MODELS: ModelInfo[] = [waveformModel('tone-a'), waveformModel('tone-b', { instrument: 'organ' }), symbolicModel('sym', { styles: ['house', 'cafe'] })];

/**
 * Outputs a model of any family can play: a clip of white noise (fresh each time, so equal-power
 * crossfades keep its level steady), or a phrase of C-major chords.
 */
export class FakeGenerator implements Generator {
  readonly engine = 'fake';
  calls = 0;
  #clips = 0;
  disposed = false;
  /** While set, generate() rejects with it: an engine that throws, or a worker thread that died. */
  failWith: Error | undefined;
  constructor(readonly info: ModelInfo, readonly failLoad = false, readonly givesNaN = false) {}
  async initialize() {
    if (this.failLoad) throw new WavecastError('WAVECAST_ERR_ENGINE', 'weights are unreadable');
  }
  async dispose() {
    this.disposed = true;
  }
  async generate(inputs: readonly Float32Array[]) {
    this.calls++;
    if (this.failWith) throw this.failWith;
    return inputs.map(() => {
      if (this.givesNaN) return new Float32Array(this.info.outputSize).fill(Number.NaN);
      if (this.info.outputSize < PHRASE_VALUES) {
        const random = mulberry32(this.#clips++);
        return Float32Array.from({ length: this.info.outputSize }, () => 0.4 * (random() * 2 - 1));
      }
      // A C major triad (C4 E4 G4) struck every beat, a beat long.
      const notes = Array.from({ length: 16 }, (_, beat) => [60, 64, 67].map((pitch) => ({ track: 'chords' as const, pitch, step: beat * 4, steps: 3, velocity: 90 }))).flat();
      return symbolicOutput(this.info, notes);
    });
  }
}

/**
 * Starts a station on fakes: channels `a` and `b` play tone-a, `s` plays sym (cafe, electronic,
 * 120 bpm) unless `channels` says otherwise; the models in `broken` fail to load, those in
 * `givesNaN` load and output NaN (both by modelKey: `tone-a`, or `tone-a@3` for a version).
 */
export async function startFakeStation(options: { channels?: unknown[]; broken?: string[]; givesNaN?: string[]; server?: Record<string, unknown>; catalogue?: ModelCatalogue } = {}) {
  const config = parseConfig(
    {
      server: { bufferAhead: 1, switchLead: 0.1, mp3Encoder: 'lamejs', fillTimeout: 10, ...options.server },
      channels: options.channels ?? [
        { id: 'a', model: 'tone-a', seed: 1 },
        { id: 'b', model: 'tone-a', seed: 2 },
        { id: 's', model: 'sym', style: 'cafe', instrument: 'electronic', tempo: 120, seed: 3 },
      ],
    },
    'test config',
  );
  const catalogue: ModelCatalogue = options.catalogue ?? { location: 'the test catalogue', scan: async () => ({ models: FAKE_MODELS.map((m) => m.manifest), problems: [] }) };
  const made: FakeGenerator[] = [];
  const station = await Station.start({
    config,
    catalogue,
    createGenerator: (manifest: ModelManifest) => {
      const info = FAKE_MODELS.find((m) => m.id === manifest.id)!;
      const key = modelKey(manifest);
      const generator = new FakeGenerator({ ...info, manifest: { ...info.manifest, ...manifest } }, options.broken?.includes(key), options.givesNaN?.includes(key));
      made.push(generator);
      return generator;
    },
    mp3Encoders: (c) => [() => new LameJsEncoder({ sampleRate: c.sampleRate, channels: c.channels, bitrate: c.mp3Bitrate })],
  });
  return { station, made };
}

