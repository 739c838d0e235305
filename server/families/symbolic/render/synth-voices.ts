/**
 * Subtractive synth voices for the pitched tracks.
 *
 *     bass: sawtooth ─► gain ─► low-pass (cutoff falls from bright to 2.5 × f0) ─┬─► gain (ADSR) ─► track output
 *           sine (f0) ──────────────────────────────────────────────────────────┘
 *
 *     pad:  3 sawtooths (−8, 0, +8 cents) ─► low-pass (opens over the attack) ─► gain (slow ADSR) ─► output panned by pitch
 */
import type { Hz } from '../../../core/units.js';
import { scheduleEnvelope, type EnvelopeShape } from './envelope.js';
import type { Voice, VoiceKit, VoiceNote } from './voice.js';

const BASS_ENVELOPE: EnvelopeShape = { attack: 0.004, decay: 0.35, sustain: 0.55, release: 0.09 };
const PAD_ENVELOPE: EnvelopeShape = { attack: 0.18, decay: 0.6, sustain: 0.7, release: 0.6 };
const PAD_DETUNE_CENTS = [-8, 0, 8] as const;

/** Frequency of a MIDI pitch (A4 = 69 = 440 Hz). */
export function pitchHz(pitch: number): Hz {
  return 440 * Math.pow(2, (pitch - 69) / 12);
}

/** A round synth bass: saw plus sine, through a plucky low-pass. */
export const synthBassVoice: Voice = {
  name: 'synth bass',
  sampled: false,
  play(kit: VoiceKit, note: VoiceNote): void {
    const context = kit.context;
    const f0 = pitchHz(note.pitch);
    const saw = context.createOscillator();
    saw.type = 'sawtooth';
    saw.frequency.value = f0;
    const sawLevel = context.createGain();
    sawLevel.gain.value = 0.45;
    const filter = context.createBiquadFilter();
    filter.type = 'lowpass';
    filter.Q.value = 2;
    // Brighter when played harder; the pluck settles within a quarter second.
    const bright = Math.min(8000, f0 * (4 + 10 * note.gain));
    filter.frequency.setValueAtTime(bright, note.when);
    filter.frequency.exponentialRampToValueAtTime(f0 * 2.5, note.when + 0.25);
    const sine = context.createOscillator();
    sine.frequency.value = f0;
    const envelope = context.createGain();
    const end = scheduleEnvelope(envelope.gain, BASS_ENVELOPE, note.gain, note.when, note.off);
    saw.connect(sawLevel).connect(filter).connect(envelope);
    sine.connect(envelope);
    envelope.connect(kit.output(0));
    for (const oscillator of [saw, sine]) {
      oscillator.start(note.when);
      oscillator.stop(end);
    }
  },
};

/** A warm pad: detuned saws, a slow attack and a long release, spread by pitch (low left, high right). */
export const padVoice: Voice = {
  name: 'pad',
  sampled: false,
  play(kit: VoiceKit, note: VoiceNote): void {
    const context = kit.context;
    const f0 = pitchHz(note.pitch);
    const filter = context.createBiquadFilter();
    filter.type = 'lowpass';
    filter.Q.value = 0.8;
    const open = Math.min(6000, 900 + f0 * 2);
    filter.frequency.setValueAtTime(open / 3, note.when);
    filter.frequency.linearRampToValueAtTime(open, note.when + PAD_ENVELOPE.attack);
    const envelope = context.createGain();
    // Three saws in (rough) unison sum to about twice one saw's level.
    const end = scheduleEnvelope(envelope.gain, PAD_ENVELOPE, note.gain * 0.5, note.when, note.off);
    filter.connect(envelope).connect(kit.output(padPan(note.pitch)));
    for (const cents of PAD_DETUNE_CENTS) {
      const saw = context.createOscillator();
      saw.type = 'sawtooth';
      saw.frequency.value = f0;
      saw.detune.value = cents;
      saw.connect(filter);
      saw.start(note.when);
      saw.stop(end);
    }
  },
};

/** Pad position by pitch: ±0.4 across the chords' four octaves (MIDI 48–95), whole semitones. */
function padPan(pitch: number): number {
  return Math.max(-0.4, Math.min(0.4, ((pitch - 72) / 24) * 0.4));
}
