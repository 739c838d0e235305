/** How numbers read on the pages: short, with their unit, and a dash when unknown. */

export const UNKNOWN = '–';

/** `2.4 s` */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return UNKNOWN;
  return `${seconds.toFixed(1)} s`;
}

/** `150 ms` */
export function formatMilliseconds(milliseconds: number | null | undefined): string {
  if (milliseconds === null || milliseconds === undefined || !Number.isFinite(milliseconds)) return UNKNOWN;
  return `${Math.round(milliseconds)} ms`;
}

/** Real-time factor: `12.3×` faster than real time (below 1 the channel cannot keep up). */
export function formatRealTimeFactor(factor: number | null | undefined): string {
  if (factor === null || factor === undefined || !Number.isFinite(factor)) return UNKNOWN;
  return `${factor >= 10 ? factor.toFixed(0) : factor.toFixed(1)}×`;
}

/** A slider value as the operator thinks of it: `88 bpm`, `25 %`. */
export function formatControlValue(control: string, value: number): string {
  if (control === 'tempo') return `${Math.round(value)} bpm`;
  return `${Math.round(value * 100)} %`;
}

/** `14:03:27`, local 24-hour time: short enough for several chart ticks on a phone. */
export function formatClock(epochMs: number): string {
  const time = new Date(epochMs);
  return [time.getHours(), time.getMinutes(), time.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** `piano · cafe · 88 bpm · A section in F major`: what a channel plays, in a line. */
export function describeSound(channel: { instrument: string; style?: string; tempo?: number; section?: string | null; key?: string | null; trained: boolean }): string {
  const parts = [channel.instrument];
  if (channel.style) parts.push(channel.style);
  if (channel.tempo !== undefined) parts.push(`${Math.round(channel.tempo)} bpm`);
  if (channel.section && channel.key) parts.push(`${channel.section} section in ${channel.key}`);
  // A model that never saw training data plays noise: a listener should know before pressing play.
  if (!channel.trained) parts.push('untrained model');
  return parts.join(' · ');
}
