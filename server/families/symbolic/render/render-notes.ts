/**
 * Offline renderer: notes on the step grid → interleaved float PCM, through a Web Audio graph
 * rendered by node-web-audio-api's OfflineAudioContext. Building the graph runs on the JS thread
 * (in slices of ≤ 4 ms between event-loop turns); the rendering itself runs off it.
 *
 *     note ─► voice (per track) ─► [panner per position] ─► track gain ─┐
 *     note ─► voice ─► …                                  track gain ─┼─► master gain ─► destination
 *     note ─► voice ─► …                                  track gain ─┘
 *
 * Timing is exact: a note's attack lands on step × 60 / bpm / 4 seconds, sample-accurate, and its
 * release starts at (step + steps) × that. Tails ring past the last note-off (the piano's damper
 * takes ~0.45 s, a crash 1.8 s), so a caller rendering bar by bar passes a `length` that covers
 * them and overlap-adds consecutive renders. Notes starting before 0 or at/after `length` are
 * skipped; a note still sounding at `length` is cut there.
 */
import { OfflineAudioContext } from 'node-web-audio-api';
import { WavecastError } from '../../../core/errors.js';
import { checkOption } from '../../../dsp/option-check.js';
import { TRACKS } from '../piano-roll.js';
import { stepSeconds } from '../roll-notes.js';
import type { Note } from '../roll-notes.js';
import type { GainFactor, Hz, Samples } from '../../../core/units.js';
import { INSTRUMENTS, isInstrumentSetName, needsPianoSamples, type InstrumentSetName } from './instrument-set.js';
import { noiseBuffer } from './noise-buffer.js';
import { loadPianoSamples } from './piano-samples.js';
import { velocityGain, type VoiceKit } from './voice.js';

/** Longest stretch of graph building between event-loop turns. */
const GRAPH_SLICE_MS = 4;

export interface RenderOptions {
  /** Tempo in quarter notes per minute; a step is a 16th note. */
  bpm: number;
  sampleRate: Hz;
  /** 1: mono; 2: interleaved stereo (left, right). */
  channels: 1 | 2;
  instrumentSet: InstrumentSetName;
  /** Frames to render (the output has `length × channels` values). */
  length: Samples;
  /** Master level on top of the set's track levels. */
  gain?: GainFactor;
}

/**
 * Renders `notes` to interleaved float PCM of exactly `options.length` frames. The first call at
 * a sample rate with a piano in the set also decodes the piano samples (0.7–1 s on 2 cores, mostly
 * off the JS thread); call `loadPianoSamples(sampleRate)` at startup to pay that early.
 *
 * @param [options.gain=1] - master level
 * @throws WavecastError `WAVECAST_ERR_CONFIG` on a bad option; `WAVECAST_ERR_ENGINE` when the samples or the renderer fail
 * @example
 * const bar = notesOfBar(rollToNotes(roll), 0);
 * const pcm = await renderNotes(bar, { bpm: 100, sampleRate: 44100, channels: 2, instrumentSet: 'band', length: 44100 * 4 });
 */
export async function renderNotes(notes: readonly Note[], options: RenderOptions): Promise<Float32Array> {
  const { bpm, sampleRate, channels, instrumentSet, length } = options;
  const master = options.gain ?? 1;
  checkOption(Number.isFinite(bpm) && bpm > 0, 'renderNotes', 'bpm', bpm, 'must be a positive number');
  checkOption(Number.isInteger(sampleRate) && sampleRate >= 8000 && sampleRate <= 192000, 'renderNotes', 'sampleRate', sampleRate, 'must be a whole number of hertz in 8000–192000');
  checkOption(channels === 1 || channels === 2, 'renderNotes', 'channels', channels, 'must be 1 or 2');
  checkOption(isInstrumentSetName(instrumentSet), 'renderNotes', 'instrumentSet', instrumentSet, `must be one of ${Object.keys(INSTRUMENTS).join(', ')}`);
  checkOption(Number.isInteger(length) && length >= 0, 'renderNotes', 'length', length, 'must be a whole number of frames ≥ 0');
  checkOption(Number.isFinite(master) && master >= 0, 'renderNotes', 'gain', master, 'must be a finite number ≥ 0');

  const set = INSTRUMENTS[instrumentSet];
  const step = stepSeconds(bpm);
  const duration = length / sampleRate;
  const audible = notes.filter((note) => set[note.track] !== null && note.step >= 0 && note.step * step < duration);
  if (audible.length === 0 || master === 0) return new Float32Array(length * channels);

  const piano = needsPianoSamples(set) ? await loadPianoSamples(sampleRate) : null;
  const context = new OfflineAudioContext({ numberOfChannels: channels, length, sampleRate });
  let sliceStarted = performance.now();
  const masterGain = context.createGain();
  masterGain.gain.value = master;
  masterGain.connect(context.destination);

  for (const track of TRACKS) {
    const instrument = set[track.name];
    const trackNotes = audible.filter((note) => note.track === track.name);
    if (!instrument || trackNotes.length === 0) continue;
    const trackGain = context.createGain();
    trackGain.gain.value = instrument.gain;
    trackGain.connect(masterGain);
    const kit = voiceKit(context, trackGain, channels, piano, sampleRate);
    for (const note of trackNotes) {
      const when = note.step * step;
      const off = (note.step + Math.max(1, note.steps)) * step;
      instrument.voice.play(kit, { pitch: note.pitch, when, off, gain: velocityGain(note.velocity) });
      // Creating nodes runs on the JS thread (~0.05–0.2 ms each); give the event loop a turn
      // between slices so a dense bar never holds it for long.
      if (performance.now() - sliceStarted > GRAPH_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = performance.now();
      }
    }
  }

  let rendered: AudioBuffer;
  try {
    rendered = await context.startRendering();
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_ENGINE', `rendering ${audible.length} notes (${instrumentSet}) failed: ${(error as Error).message}`, { cause: error });
  }
  return interleave(rendered, channels, length);
}

function voiceKit(context: OfflineAudioContext, trackGain: GainNode, channels: 1 | 2, piano: VoiceKit['piano'], sampleRate: Hz): VoiceKit {
  const panners = new Map<number, AudioNode>();
  const shared = new Map<string, unknown>();
  return {
    context,
    noise: noiseBuffer(sampleRate),
    piano,
    output(pan: number | null): AudioNode {
      // Mono has nowhere to pan. In stereo even centred mono voices go through a (constant-power)
      // panner, so every mono voice sits 3 dB under its mono level on each side, wherever it is.
      if (channels === 1 || pan === null) return trackGain;
      let panner = panners.get(pan);
      if (!panner) {
        const node = context.createStereoPanner();
        node.pan.value = pan;
        node.connect(trackGain);
        panners.set(pan, (panner = node));
      }
      return panner;
    },
    shared<T>(key: string, create: () => T): T {
      if (!shared.has(key)) shared.set(key, create());
      return shared.get(key) as T;
    },
  };
}

/** Copies the rendered channels into one interleaved array (copyFromChannel: see piano-samples.ts). */
function interleave(rendered: AudioBuffer, channels: 1 | 2, length: Samples): Float32Array {
  const out = new Float32Array(length * channels);
  if (channels === 1) {
    rendered.copyFromChannel(out, 0);
    return out;
  }
  const left = new Float32Array(length);
  const right = new Float32Array(length);
  rendered.copyFromChannel(left, 0);
  rendered.copyFromChannel(right, 1);
  for (let i = 0; i < length; i++) {
    out[2 * i] = left[i];
    out[2 * i + 1] = right[i];
  }
  return out;
}
