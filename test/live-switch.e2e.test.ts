/**
 * End to end: an operator changes what a channel plays while listeners listen. Measures the time
 * from the PATCH to the first audio of the new model on a WebSocket listener, and checks the
 * stream never gaps (contiguous frames, no silence, no underrun) and that bad or unauthorised
 * changes change nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { ApiErrorBody, ChannelSummary } from '../server/web/wire.js';
import type { RunningServer } from '../server/web/listen.js';
import { longestSilence } from './support/decode-mp3.js';
import { fetchChannels, startTestServer, WAVEFORM_EXAMPLE, waitFor } from './support/test-server.js';

/** The bound: a change is heard within 1.5 s. */
const HEARD_WITHIN_SECONDS = 1.5;

let server: RunningServer;

before(async () => {
  server = await startTestServer({ operatorToken: 'switch-test-token', configFile: WAVEFORM_EXAMPLE });
});

after(async () => {
  await server?.close();
});

interface Frame {
  seq: number;
  /** performance.now() at arrival. */
  at: number;
  /** Left channel. */
  left: Float32Array;
}

/** A WebSocket f32le listener that records every frame and every title change with its arrival time. */
async function listen(channel: string) {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/${channel}?format=f32le&burst=0`);
  const frames: Frame[] = [];
  const titles: { title: string; at: number; beforeFrame: number }[] = [];
  let header: { channels: number; sampleRate: number; title: string } | undefined;
  ws.on('message', (data, isBinary) => {
    const at = performance.now();
    if (!isBinary) {
      const message = JSON.parse(String(data));
      if (message.type === 'header') header = message;
      if (message.type === 'title') titles.push({ title: message.title, at, beforeFrame: frames.length });
      return;
    }
    const bytes = data as Buffer;
    const seq = bytes.readUInt32LE(0);
    const pcm = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 4, bytes.byteOffset + bytes.length));
    const channels = header!.channels;
    const left = new Float32Array(pcm.length / channels);
    for (let i = 0; i < left.length; i++) left[i] = pcm[i * channels];
    frames.push({ seq, at, left });
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return { ws, frames, titles, header: () => header };
}

async function patch(channel: string, body: unknown, token: string | null = server.operatorToken) {
  const response = await fetch(`${server.url}/api/channels/${channel}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  // A channel on success, an error body otherwise: the fields a test reads exist on one or the other.
  return { status: response.status, body: (await response.json()) as ChannelSummary & ApiErrorBody };
}

async function summary(channel: string): Promise<ChannelSummary> {
  return (await fetchChannels(server)).find((c) => c.id === channel)!;
}

/**
 * PATCHes `body` to `lobby` while listening and returns how long until the new model's first
 * frame arrived, plus the frames around the switch.
 */
async function timedSwitch(body: Record<string, unknown>, expectTitle: RegExp) {
  const listener = await listen('lobby');
  await waitFor('the first frames', () => listener.frames.length >= 20, 10);
  const underrunsBefore = server.station.channel('lobby').channel.playout.counters.underruns;
  const sent = performance.now();
  const reply = await patch('lobby', body);
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  const change = await waitFor('the new title on the feed', () => listener.titles.find((t) => expectTitle.test(t.title)), 10);
  const first = await waitFor('the first frame of the new model', () => listener.frames[change.beforeFrame], 5);
  // Two more seconds of the new sound, for the continuity checks.
  await waitFor('2 s after the switch', () => listener.frames.length >= change.beforeFrame + 40, 10);
  listener.ws.close();
  const seqs = listener.frames.map((f) => f.seq);
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `frame ${seqs[i - 1] + 1} missing`);
  assert.equal(server.station.channel('lobby').channel.playout.counters.underruns, underrunsBefore, 'the switch made the channel run dry');
  const around = listener.frames.slice(change.beforeFrame - 6, change.beforeFrame + 40);
  const audio = new Float32Array(around.reduce((n, f) => n + f.left.length, 0));
  let at = 0;
  for (const f of around) {
    audio.set(f.left, at);
    at += f.left.length;
  }
  return { heardAfter: (first.at - sent) / 1000, audio, sampleRate: listener.header()!.sampleRate, reply: reply.body as ChannelSummary };
}

test('switching lobby from the symbolic model to WaveGAN is heard within 1.5 s, without a gap', async () => {
  const { heardAfter, audio, sampleRate, reply } = await timedSwitch({ model: 'wavegan-untrained' }, /wavegan-untrained/);
  console.log(`# symbolic → waveform heard after ${heardAfter.toFixed(3)} s`);
  assert.ok(heardAfter < HEARD_WITHIN_SECONDS, `heard after ${heardAfter.toFixed(3)} s`);
  assert.equal(reply.model, 'wavegan-untrained');
  assert.equal(reply.family, 'waveform');
  // WaveGAN's noise never rests: any silence here is a hole the switch left.
  assert.ok(longestSilence(audio, sampleRate) < 0.02, `silence of ${longestSilence(audio, sampleRate)} s at the switch`);
  const now = await summary('lobby');
  assert.equal(now.model, 'wavegan-untrained');
  assert.match(now.title, /wavegan-untrained/);
});

test('switching back to the symbolic model with another style and instrument set is heard within 1.5 s', async () => {
  const { heardAfter, reply } = await timedSwitch(
    { model: 'symbolic-songs', style: 'house', instrument: 'band', tempo: 120 },
    /house on band, 120 bpm - symbolic-songs/,
  );
  console.log(`# waveform → symbolic (house, band) heard after ${heardAfter.toFixed(3)} s`);
  assert.ok(heardAfter < HEARD_WITHIN_SECONDS, `heard after ${heardAfter.toFixed(3)} s`);
  assert.deepEqual([reply.model, reply.style, reply.instrument, reply.tempo], ['symbolic-songs', 'house', 'band', 120]);
  assert.equal((await summary('lobby')).title, 'lobby: house on band, 120 bpm - symbolic-songs');
});

test('General MIDI programs and a drum kit swapped on the preset are heard within 1.5 s, in the title and /api/channels', async () => {
  const { heardAfter, reply } = await timedSwitch({ programs: { chords: 11, bass: 33 }, drumKit: 25 }, /band \(bass: Electric Bass \(finger\), chords: Vibraphone, drums: TR-808\)/);
  console.log(`# program swap heard after ${heardAfter.toFixed(3)} s`);
  assert.ok(heardAfter < HEARD_WITHIN_SECONDS, `heard after ${heardAfter.toFixed(3)} s`);
  // The lead keeps the preset's alto sax.
  assert.deepEqual([reply.programs, reply.drumKit], [{ bass: 33, chords: 11, lead: 65 }, 25]);
  const now = await summary('lobby');
  assert.deepEqual([now.programs, now.drumKit, now.instrument], [{ bass: 33, chords: 11, lead: 65 }, 25, 'band']);
  assert.match(now.title, /lobby: house on band \(bass: Electric Bass \(finger\), chords: Vibraphone, drums: TR-808\), 120 bpm/);
});

test('bad programs and drum kits get 400 naming the field and change nothing', async () => {
  const before = await summary('lobby');
  const cases: [unknown, string, RegExp][] = [
    [{ programs: { chords: -1 } }, 'programs.chords', /0 to 127/],
    [{ programs: { chords: 128 } }, 'programs.chords', /0 to 127/],
    [{ programs: { chords: 4.5 } }, 'programs.chords', /whole number/],
    [{ programs: { vocals: 3 } }, 'programs.vocals', /vocals/],
    [{ programs: 'piano' }, 'programs', /programs/],
    [{ programs: { chords: 'vibes' } }, 'programs.chords', /number/],
    [{ drumKit: 7 }, 'drumKit', /drumKit must be one of 0 \(Standard\).*40 \(Brush\)/],
  ];
  for (const [body, field, message] of cases) {
    const reply = await patch('lobby', body);
    assert.equal(reply.status, 400, JSON.stringify(body));
    assert.equal(reply.body.error.field, field, JSON.stringify(body));
    assert.match(reply.body.error.message, message);
  }
  const after = await summary('lobby');
  assert.deepEqual([after.programs, after.drumKit, after.title], [before.programs, before.drumKit, before.title]);
});

test('the ICY title of the MP3 stream follows the change', async () => {
  const response = await fetch(`${server.url}/stream/lobby`, { headers: { 'Icy-MetaData': '1' } });
  const metaint = Number(response.headers.get('icy-metaint'));
  const reader = response.body!.getReader();
  await patch('lobby', { instrument: 'electronic' });
  // Read metadata blocks until the new title shows (at most 6 s of stream).
  let buffered = Buffer.alloc(0);
  let found = '';
  const deadline = performance.now() + 6000;
  while (!found && performance.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered = Buffer.concat([buffered, Buffer.from(value)]);
    while (buffered.length > metaint) {
      const length = buffered[metaint] * 16;
      if (buffered.length < metaint + 1 + length) break;
      const meta = buffered.subarray(metaint + 1, metaint + 1 + length).toString();
      if (/electronic/.test(meta)) found = meta;
      buffered = buffered.subarray(metaint + 1 + length);
    }
  }
  await reader.cancel();
  assert.match(found, /StreamTitle='lobby: house on electronic, 120 bpm - symbolic-songs';/);
});

test('without the operator token a change is refused with 401 and nothing changes', async () => {
  const before = await summary('texture');
  const missing = await patch('texture', { variation: 0.9 }, null);
  assert.equal(missing.status, 401);
  assert.equal(missing.body.error.code, 'WAVECAST_ERR_UNAUTHORIZED');
  assert.match(missing.body.error.message, /no Authorization header/);
  const wrong = await patch('texture', { variation: 0.9 }, 'not-the-token');
  assert.equal(wrong.status, 401);
  assert.match(wrong.body.error.message, /not the operator token/);
  assert.equal((await fetch(`${server.url}/api/operator`)).status, 401);
  assert.deepEqual(await summary('texture').then((s) => [s.variation, s.model, s.title]), [before.variation, before.model, before.title]);
});

test('bad changes get 400 naming the field; the channel plays on unchanged', async () => {
  const before = await summary('texture');
  const underruns = server.station.channel('texture').channel.playout.counters.underruns;
  const cases: [unknown, string, RegExp][] = [
    [{ tempo: 999 }, 'tempo', /tempo/],
    [{ instrument: 'band' }, 'instrument', /instrument applies to symbolic models; model "wavegan-untrained" is a waveform model/],
    [{ model: 'no-such-model' }, 'model', /model "no-such-model" is not a valid checkpoint .*found: .*symbolic-songs/],
    [{ volume: 2 }, 'volume', /volume/],
    [{ colour: 'red' }, 'colour', /colour/],
  ];
  for (const [body, field, message] of cases) {
    const reply = await patch('texture', body);
    assert.equal(reply.status, 400, JSON.stringify(body));
    assert.equal(reply.body.error.field, field);
    assert.match(reply.body.error.message, message);
  }
  const style = await patch('lobby', { model: 'symbolic-songs', style: 'polka' });
  assert.equal(style.status, 400);
  assert.equal(style.body.error.field, 'style');
  assert.equal((await patch('nowhere', { volume: 0.5 })).status, 404);
  const after = await summary('texture');
  assert.deepEqual([after.model, after.variation, after.volume, after.title], [before.model, before.variation, before.volume, before.title]);
  assert.equal(server.station.channel('texture').channel.playout.counters.underruns, underruns);
  assert.ok(after.bufferedSeconds > 1, `texture buffer ${after.bufferedSeconds} s`);
});

test('variation and volume apply without replacing the queued audio', async () => {
  const reply = await patch('texture', { variation: 0.6, volume: 0.5 });
  assert.equal(reply.status, 200);
  assert.deepEqual([reply.body.variation, reply.body.volume], [0.6, 0.5]);
  assert.ok(reply.body.bufferedSeconds > 1.5, `buffer cut to ${reply.body.bufferedSeconds} s`);
});

test('the event stream sends the history, then the state every second and right after a change', async () => {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/api/events`, { signal: controller.signal });
  assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
  const events: { event: string; data: any; at: number }[] = [];
  const pump = (async () => {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(part, { stream: true });
        let end;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          events.push({ event, data: JSON.parse(data), at: performance.now() });
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  })();
  try {
    await waitFor('two state events', () => events.filter((e) => e.event === 'state').length >= 2, 5);
    assert.equal(events[0].event, 'history');
    assert.ok(events[0].data.samples.length > 0, 'history is empty');
    assert.deepEqual(Object.keys(events[0].data.samples.at(-1).channels[0]).sort(), ['bufferedSeconds', 'id', 'listeners', 'realTimeFactor']);
    const state = events.find((e) => e.event === 'state')!.data;
    assert.deepEqual(state.channels.map((c: ChannelSummary) => c.id).sort(), ['lobby', 'texture']);
    assert.ok(state.channels.every((c: ChannelSummary) => c.realTimeFactor === null || c.realTimeFactor > 1));
    // The refused changes above are among the last errors.
    assert.ok(state.errors.some((e: { code: string }) => e.code === 'WAVECAST_ERR_BAD_REQUEST'));
    const sent = performance.now();
    await patch('texture', { variation: 0.3 });
    const changed = await waitFor('a state with the change', () => events.find((e) => e.at > sent && e.data.channels?.some((c: ChannelSummary) => c.id === 'texture' && c.variation === 0.3)), 3);
    assert.ok(changed.at - sent < 900, `the change came ${Math.round(changed.at - sent)} ms later: not pushed at once`);
  } finally {
    controller.abort();
    await pump;
  }
});
