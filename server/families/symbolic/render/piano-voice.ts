/**
 * The sampled piano voice: the nearest Salamander sample, retuned by playback rate, held until
 * note-off and then damped (exponential fall to −60 dB in `PIANO_RELEASE`).
 *
 *     sample (playbackRate) ──► gain (velocity; release at note-off) ──► track output
 *
 * The buffer starts with a short pre-roll before its attack (see `piano-samples.ts`); the source
 * starts that much early so the attack lands on the onset exactly. A note at time 0 cannot start
 * early, so it skips the pre-roll instead.
 */
import { WavecastError } from '../../../core/errors.js';
import type { Seconds } from '../../../core/units.js';
import { scheduleRelease } from './envelope.js';
import type { Voice, VoiceKit, VoiceNote } from './voice.js';

/** Time the damper takes to bring a released note to −60 dB. */
export const PIANO_RELEASE: Seconds = 0.45;

/** The Salamander grand, one velocity layer; velocity sets the level only. */
export const pianoVoice: Voice = {
  name: 'piano',
  sampled: true,
  play(kit: VoiceKit, note: VoiceNote): void {
    if (!kit.piano) throw new WavecastError('WAVECAST_ERR_ENGINE', 'the piano voice played without loaded piano samples');
    const { buffer, playbackRate, attack } = kit.piano.nearestSample(note.pitch);
    const context = kit.context;
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.playbackRate.value = playbackRate;
    const gain = context.createGain();
    gain.gain.value = note.gain;
    const end = scheduleRelease(gain.gain, note.gain, note.off, PIANO_RELEASE);
    // The pre-roll lasts attack / playbackRate in output time.
    const start = note.when - attack / playbackRate;
    if (start >= 0) source.start(start);
    else source.start(0, -start * playbackRate);
    source.stop(end);
    source.connect(gain).connect(kit.output(null));
  },
};
