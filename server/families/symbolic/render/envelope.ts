/**
 * Amplitude envelopes scheduled on a Web Audio `AudioParam`, built only from ramps so no voice
 * ever jumps in gain (a jump is a click):
 *
 *     peak ┤   /\
 *          │  /  ‾‾‾‾‾‾‾‾‾‾‾‾‾\            attack: linear 0 → peak
 *  sustain ┤ /                 \           decay: exponential peak → sustain
 *          │/                   ‾\_        release: exponential to −60 dB after note-off,
 *        0 ┼──────────────────────┴─→ t            then a 5 ms linear ramp to exactly 0
 *          when                off   end
 *
 * A note-off during the attack or decay releases from the value the envelope has reached there
 * (computed here, since the ramps are known), so short notes never jump either.
 */
import type { Seconds } from '../../../core/units.js';

/** Where an exponential ramp ends relative to its start: −60 dB, inaudible under any mix. */
export const SILENT_RATIO = 1e-3;
/** The last linear ramp from −60 dB to exactly 0. */
export const TAIL: Seconds = 0.005;

/** Times and levels of an ADSR envelope. */
export interface EnvelopeShape {
  /** Linear rise from 0 to the peak; 0 starts at the peak (for sources with their own attack). */
  readonly attack: Seconds;
  /** Exponential fall from the peak to the sustain level. */
  readonly decay: Seconds;
  /** Held level as a fraction of the peak; 0 makes a one-shot that decays to silence and ends. */
  readonly sustain: number;
  /** After note-off: exponential fall to −60 dB of the level at note-off. */
  readonly release: Seconds;
}

/**
 * Schedules an envelope on `param` (a gain) and returns when it reaches 0, the time to stop the
 * voice's sources.
 *
 * @param peak - the level at the end of the attack (velocity × voice level)
 * @param when - the onset
 * @param off - the note-off; ignored by one-shots (`sustain` 0), which may pass `Infinity`
 * @example const end = scheduleEnvelope(gain.gain, { attack: 0.005, decay: 0.3, sustain: 0.6, release: 0.08 }, 0.7, when, off);
 */
export function scheduleEnvelope(param: AudioParam, shape: EnvelopeShape, peak: number, when: Seconds, off: Seconds): Seconds {
  const { attack, decay, sustain, release } = shape;
  const oneShot = sustain <= 0;
  const held = oneShot ? peak * SILENT_RATIO : peak * Math.min(1, sustain);
  const attackEnd = when + attack;
  const decayEnd = attackEnd + decay;
  if (!(peak > 0)) {
    param.value = 0;
    return when;
  }
  param.value = attack > 0 ? 0 : peak;

  if (attack > 0) {
    param.setValueAtTime(0, when);
    if (!oneShot && off < attackEnd) {
      return scheduleRelease(param, linearRampTo(param, peak * ((off - when) / attack), off), off, release);
    }
    param.linearRampToValueAtTime(peak, attackEnd);
  } else {
    param.setValueAtTime(peak, when);
  }

  if (!oneShot && off < decayEnd) {
    // The exponential ramp's own curve, stopped at the note-off: v = peak · (held / peak)^fraction.
    const reached = peak * Math.pow(held / peak, (off - attackEnd) / decay);
    param.exponentialRampToValueAtTime(reached, off);
    return scheduleRelease(param, reached, off, release);
  }
  if (decay > 0) param.exponentialRampToValueAtTime(held, decayEnd);
  if (oneShot) {
    param.linearRampToValueAtTime(0, decayEnd + TAIL);
    return decayEnd + TAIL;
  }
  param.setValueAtTime(held, off);
  return scheduleRelease(param, held, off, release);
}

/**
 * Schedules a release on `param` from `level` (the value it holds at `off`) and returns when it
 * reaches 0: an exponential fall to −60 dB of `level` over `release`, then a 5 ms linear ramp to 0.
 */
export function scheduleRelease(param: AudioParam, level: number, off: Seconds, release: Seconds): Seconds {
  const quiet = level * SILENT_RATIO;
  // An exponential ramp cannot start from (or cross) 0; a level that small only needs the tail.
  if (level > 1e-6 && release > 0) {
    param.setValueAtTime(level, off);
    param.exponentialRampToValueAtTime(quiet, off + release);
    param.linearRampToValueAtTime(0, off + release + TAIL);
    return off + release + TAIL;
  }
  param.setValueAtTime(level, off);
  param.linearRampToValueAtTime(0, off + TAIL);
  return off + TAIL;
}

function linearRampTo(param: AudioParam, value: number, at: Seconds): number {
  param.linearRampToValueAtTime(value, at);
  return value;
}
