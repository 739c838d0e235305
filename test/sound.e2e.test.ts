/**
 * What the venue hears, measured the way a mastering engineer would: one server plays the default
 * channels and a channel per instrument preset; their MP3 streams are captured, decoded and put
 * through the BS.1770 meter (server/dsp/loudness-meter.ts, which agrees with ffmpeg's ebur128 to
 * 0.01 LU). Every one must sit at −16 ± 1.5 LUFS with its true peak at or under −1 dBTP. The
 * sampled piano's PCM feed is checked for ticks on the bar lines, and a change of preset or style
 * must not move the loudness by more than 1 LU.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { DEFAULT_CONFIG_PATH, loadConfigFile } from '../server/config/load-config.js';
import { measureLoudness } from '../server/dsp/loudness-meter.js';
import { barSeconds } from '../server/families/symbolic/roll-notes.js';
import { INSTRUMENT_PRESET_NAMES } from '../server/families/symbolic/sound/instrument-presets.js';
import type { RunningServer } from '../server/web/listen.js';
import { PRESET_STYLE } from '../scripts/preset-audition.js';
import { decodeMp3 } from './support/decode-mp3.js';
import { detectOnsets } from './support/onsets.js';
import { captureStream, fetchChannels, startTestServer, waitFor } from './support/test-server.js';

const CAPTURE_SECONDS = 24;
const TEMPO = { cafe: 88, house: 122, ambient: 68 } as const;
let server: RunningServer;
const presetChannel = (preset: string) => `p-${preset}`;

before(async () => {
  const defaults = loadConfigFile(DEFAULT_CONFIG_PATH).channels;
  const presets = INSTRUMENT_PRESET_NAMES.map((preset, i) => ({
    id: presetChannel(preset),
    model: 'symbolic-songs',
    style: PRESET_STYLE[preset],
    instrument: preset,
    tempo: TEMPO[PRESET_STYLE[preset]],
    seed: 100 + i,
  }));
  server = await startTestServer({ channels: [...defaults.map((c, i) => ({ ...c, seed: 10 + i })), ...presets] });
});

after(async () => {
  await server?.close();
});

/** Interleaved stereo of a decoded capture, with its loudness and true peak. */
async function measured(url: string, seconds: number) {
  const { bytes } = await captureStream(url, seconds, {});
  const decoded = await decodeMp3(bytes);
  assert.equal(decoded.errors, 0);
  assert.equal(decoded.channels, 2);
  return { seconds: decoded.seconds, ...measureLoudness(decoded.interleaved, decoded.sampleRate, 2) };
}

test('every default channel and every instrument preset plays at −16 ± 1.5 LUFS, true peak ≤ −1 dBTP', async (t) => {
  const ids = server.station.config.channels.map((c) => c.id);
  // The pianos' PCM feed is recorded at the same time, for the bar-line test below.
  pianoFeed = recordFeed(presetChannel('piano'), CAPTURE_SECONDS);
  const results = await Promise.all(ids.map(async (id) => ({ id, ...(await measured(`${server.url}/stream/${id}`, CAPTURE_SECONDS)) })));
  t.diagnostic(results.map((r) => `${r.id}: ${r.integrated.toFixed(1)} LUFS, true peak ${r.truePeak.toFixed(1)} dBTP over ${r.seconds.toFixed(1)} s`).join('; '));
  for (const r of results) {
    assert.ok(r.seconds >= CAPTURE_SECONDS - 1, `${r.id}: ${r.seconds} s decoded`);
    assert.ok(Math.abs(r.integrated - -16) <= 1.5, `${r.id}: ${r.integrated.toFixed(2)} LUFS`);
    assert.ok(r.truePeak <= -1, `${r.id}: true peak ${r.truePeak.toFixed(2)} dBTP`);
  }
  // The API and /metrics show the same meter.
  for (const c of await fetchChannels(server)) {
    assert.ok(c.loudness.integrated !== null && Math.abs(c.loudness.integrated - -16) <= 1.5, `${c.id} reports ${c.loudness.integrated} LUFS`);
    assert.ok(c.loudness.shortTerm !== null, `${c.id} reports a short-term loudness`);
  }
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /wavecast_loudness_integrated_lufs\{channel="lobby"\} -1[4-7]\.\d+/);
  assert.match(metrics, /wavecast_loudness_short_term_lufs\{channel="lounge"\} -\d+/);
});

let pianoFeed: Promise<{ left: Float32Array; firstFrame: number; sampleRate: number }>;

/** The left channel of a channel's f32le feed for `seconds`, and the stream frame it starts at. */
function recordFeed(id: string, seconds: number): Promise<{ left: Float32Array; firstFrame: number; sampleRate: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/${id}?format=f32le&burst=0`);
    const parts: Float32Array[] = [];
    let header: { frameSamples: number; sampleRate: number } | undefined;
    let firstSeq = -1;
    let lastSeq = -1;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        const message = JSON.parse(String(data));
        if (message.type === 'header') header = message;
        return;
      }
      const bytes = data as Buffer;
      const seq = bytes.readUInt32LE(0);
      if (firstSeq < 0) firstSeq = seq;
      else if (seq !== lastSeq + 1) reject(new Error(`frame ${lastSeq + 1} missing`));
      lastSeq = seq;
      const pcm = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 4, bytes.byteOffset + bytes.length));
      parts.push(pcm.filter((_, i) => i % 2 === 0));
    });
    ws.on('error', reject);
    setTimeout(() => {
      ws.close();
      const left = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const part of parts) {
        left.set(part, at);
        at += part.length;
      }
      resolve({ left, firstFrame: firstSeq * header!.frameSamples, sampleRate: header!.sampleRate });
    }, seconds * 1000);
  });
}

/** Energy above 7 kHz (a 4th-order Butterworth high-pass) in the 10 ms after each time, in dB. */
function trebleAfter(signal: Float32Array, sampleRate: number, times: number[]): number[] {
  const high = new Float32Array(signal);
  const w = Math.tan((Math.PI * 7000) / sampleRate);
  for (const q of [0.5412, 1.3066]) {
    const norm = 1 / (1 + w / q + w * w);
    const b0 = norm;
    const a1 = 2 * (w * w - 1) * norm;
    const a2 = (1 - w / q + w * w) * norm;
    let x1 = 0;
    let x2 = 0;
    let y1 = 0;
    let y2 = 0;
    for (let i = 0; i < high.length; i++) {
      const x = high[i];
      const y = b0 * (x - 2 * x1 + x2) - a1 * y1 - a2 * y2;
      x2 = x1;
      x1 = x;
      y2 = y1;
      y1 = y;
      high[i] = y;
    }
  }
  const span = Math.round(0.01 * sampleRate);
  return times.map((t) => {
    const start = Math.round(t * sampleRate);
    let sum = 1e-12;
    for (let i = start; i < Math.min(high.length, start + span); i++) sum += high[i] ** 2;
    return 10 * Math.log10(sum / span);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median treble after onsets on bar lines minus after the other onsets, dB. */
function barLineExcess(left: Float32Array, sampleRate: number, firstFrame: number, bpm: number) {
  const bar = barSeconds(bpm) * sampleRate;
  const onsets = detectOnsets(left, sampleRate);
  const onBarLine = (t: number) => {
    const frame = firstFrame + t * sampleRate;
    const nearest = Math.round(Math.round(frame / bar) * bar);
    return Math.abs(frame - nearest) <= 0.015 * sampleRate;
  };
  const bars = onsets.filter(onBarLine);
  const others = onsets.filter((t) => !onBarLine(t));
  return { excess: median(trebleAfter(left, sampleRate, bars)) - median(trebleAfter(left, sampleRate, others)), bars: bars.length, others: others.length };
}

test('no tick on the bar lines: treble after bar-line onsets is within 6 dB of that after the others (sampled piano)', async (t) => {
  const { left, firstFrame, sampleRate } = await pianoFeed;
  const bpm = TEMPO.cafe;
  const { excess, bars, others } = barLineExcess(left, sampleRate, firstFrame, bpm);
  t.diagnostic(`${bars} onsets on bar lines, ${others} others; treble excess on bar lines ${excess.toFixed(1)} dB`);
  assert.ok(bars >= 3 && others >= 10, `${bars} bar-line onsets, ${others} others`);
  assert.ok(excess <= 6, `bar-line onsets carry ${excess.toFixed(1)} dB more treble`);
  // The measure catches a tick like the old renderer's (a skipped pre-roll: a broadband click on
  // every bar line): the same audio with a 1 ms click at each fails it.
  const ticked = left.slice();
  const bar = barSeconds(bpm) * sampleRate;
  for (let line = Math.ceil(firstFrame / bar) * bar; line - firstFrame < ticked.length - 50; line += bar) {
    const at = Math.round(line - firstFrame);
    for (let i = 0; i < 44; i++) ticked[at + i] += 0.25 * (i % 2 === 0 ? 1 : -1);
  }
  const planted = barLineExcess(ticked, sampleRate, firstFrame, bpm);
  t.diagnostic(`with a planted tick: ${planted.bars} bar-line onsets, excess ${planted.excess.toFixed(1)} dB`);
  assert.ok(planted.excess > 6, `a planted tick on every bar line is caught (${planted.excess.toFixed(1)} dB)`);
});

test('changing preset or style moves the loudness by at most 1 LU', async (t) => {
  const id = presetChannel('cafe-piano');
  const token = server.operatorToken;
  const change = async (body: Record<string, unknown>) => {
    const response = await fetch(`${server.url}/api/channels/${id}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200);
  };
  const steps: Array<[string, Record<string, unknown>]> = [
    ['rhodes-trio', { instrument: 'rhodes-trio' }],
    ['house on band', { style: 'house', instrument: 'band', tempo: 122 }],
  ];
  let previous = await measured(`${server.url}/stream/${id}`, 12);
  for (const [what, body] of steps) {
    await change(body);
    await waitFor('the switch to be heard', () => (server.station.channel(id).channel.title.includes(String(body.instrument)) ? true : undefined), 5);
    const next = await measured(`${server.url}/stream/${id}`, 12);
    const moved = next.integrated - previous.integrated;
    t.diagnostic(`→ ${what}: ${previous.integrated.toFixed(2)} → ${next.integrated.toFixed(2)} LUFS (${moved >= 0 ? '+' : ''}${moved.toFixed(2)} LU)`);
    assert.ok(Math.abs(moved) <= 1, `${what} moved the loudness ${moved.toFixed(2)} LU`);
    previous = next;
  }
});
