/**
 * Messages between a SynthPool (main thread) and its synth workers: each request carries an id
 * and names the synth it is for; the worker answers each with that id, ok (with PCM for a render)
 * or with an error. The PCM's buffer is transferred, not copied.
 */
import type { SerializedError } from '../../../core/serialized-error.js';
import type { NoteEvent, NoteSynthOptions } from './note-synth.js';

export type SynthCall =
  | { type: 'open'; synth: number; options: NoteSynthOptions }
  | { type: 'render'; synth: number; events: NoteEvent[]; frames: number }
  | { type: 'close'; synth: number };

export type SynthRequest = SynthCall & { id: number };

export type SynthResponse = { id: number; ok: true; pcm?: Float32Array } | { id: number; ok: false; error: SerializedError };
