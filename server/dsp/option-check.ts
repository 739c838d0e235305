/**
 * One guard for DSP options: every mixer stage checks its options the same way, and the error
 * names the stage, the option and the value it got, so a bad config line is found at once.
 */
import { WavecastError } from '../core/errors.js';

/**
 * Throws `WAVECAST_ERR_CONFIG` unless `valid` holds.
 *
 * @param valid - whether the option is acceptable
 * @param owner - who takes the option, e.g. `ChannelMixer`
 * @param name - the option's name as the caller writes it, e.g. `crossfade`
 * @param value - the value it got (shown in the message)
 * @param rule - what a good value looks like, e.g. `must be a positive whole number of hertz`
 * @example checkOption(rate > 0, 'Resampler', 'inputRate', rate, 'must be positive');
 */
export function checkOption(valid: boolean, owner: string, name: string, value: unknown, rule: string): void {
  if (!valid) {
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${owner} option "${name}" ${rule} (got ${String(value)})`);
  }
}
