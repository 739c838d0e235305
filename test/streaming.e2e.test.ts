/**
 * End to end over real sockets on 127.0.0.1: the shipped default config and models, the MP3
 * stream a café's player opens, its ICY titles, and the WebSocket PCM feed a game engine reads.
 * The transport checks run on the waveform channel `texture`, whose signal never rests, so any
 * silence is a gap; the piano lobby's musical checks are in symbolic-stream.e2e.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Parser } from 'icecast-parser';
import WebSocket from 'ws';
import type { RunningServer } from '../server/web/listen.js';
import { parseMp3FrameHeader } from '../server/broadcast/mp3-frame-splitter.js';
import { decodeMp3, longestSilence } from './support/decode-mp3.js';
import { captureStream, startTestServer, WAVEFORM_EXAMPLE } from './support/test-server.js';

const CAPTURE_SECONDS = 10;
/** The default config's waveform channel. */
const CHANNEL = 'texture';
let server: RunningServer;

interface WsCapture {
  header: Record<string, unknown>;
  /** Seconds of audio received, per wall second, after the header. */
  audioSeconds: number;
  wallSeconds: number;
  sequences: number[];
  frameBytesOk: boolean;
}

function captureWs(url: string, seconds: number): Promise<WsCapture> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let header: Record<string, unknown> | undefined;
    let started = 0;
    let frames = 0;
    const sequences: number[] = [];
    let frameBytesOk = true;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        const message = JSON.parse(String(data));
        if (message.type === 'header') {
          header = message;
          started = performance.now();
          setTimeout(() => ws.close(), seconds * 1000);
        }
        return;
      }
      const bytes = data as Buffer;
      sequences.push(bytes.readUInt32LE(0));
      const h = header!;
      const expected = 4 + (h.frameSamples as number) * (h.channels as number) * (h.format === 'f32le' ? 4 : 2);
      if (bytes.length !== expected) frameBytesOk = false;
      frames++;
    });
    ws.on('close', () => {
      if (!header) return reject(new Error('no header received'));
      const wallSeconds = (performance.now() - started) / 1000;
      const audioSeconds = (frames * (header.frameSamples as number)) / (header.sampleRate as number);
      resolve({ header, audioSeconds, wallSeconds, sequences, frameBytesOk });
    });
    ws.on('error', reject);
  });
}

let mp3: Awaited<ReturnType<typeof captureStream>>;
let wsCapture: WsCapture;

before(async () => {
  server = await startTestServer({ configFile: WAVEFORM_EXAMPLE });
  const wsUrl = server.url.replace('http', 'ws');
  // Capture the MP3 stream and the WebSocket feed over the same 10 s.
  [mp3, wsCapture] = await Promise.all([
    captureStream(`${server.url}/stream/${CHANNEL}`, CAPTURE_SECONDS),
    captureWs(`${wsUrl}/ws/${CHANNEL}?burst=0`, CAPTURE_SECONDS),
  ]);
});

after(async () => {
  await server?.close();
});

test('a 10 s capture of /stream/texture decodes as MP3 to ≈10 s (+ the burst) with no gap', async () => {
  assert.equal(mp3.status, 200);
  assert.equal(mp3.headers.get('content-type'), 'audio/mpeg');
  assert.ok(parseMp3FrameHeader(mp3.bytes, 0), 'the stream starts on an MP3 frame header');
  const decoded = await decodeMp3(mp3.bytes);
  const burst = server.station.config.server.burst;
  assert.equal(decoded.sampleRate, 44100);
  assert.equal(decoded.errors, 0, 'every MP3 frame decodes');
  // Live audio for the capture plus the burst on connect; never less than the capture, but for
  // the encoder's delay and the last writes still being gathered (server.mp3WriteSeconds to
  // listeners, server.lameWriteSeconds into lame).
  const gathering = server.station.config.server.mp3WriteSeconds + server.station.config.server.lameWriteSeconds;
  assert.ok(decoded.seconds >= CAPTURE_SECONDS - 0.3 - gathering, `decoded ${decoded.seconds.toFixed(2)} s`);
  assert.ok(decoded.seconds <= CAPTURE_SECONDS + burst + 0.5, `decoded ${decoded.seconds.toFixed(2)} s`);
  const silence = longestSilence(decoded.samples, decoded.sampleRate);
  assert.ok(silence < 0.05, `longest silence ${silence.toFixed(3)} s`);
  assert.ok(decoded.samples.every((x) => Math.abs(x) <= 1), 'within full scale');
});

test('a WebSocket client gets the header, then audio at ≥ 0.98 s per wall second with contiguous sequence numbers', () => {
  const { header, audioSeconds, wallSeconds, sequences, frameBytesOk } = wsCapture;
  assert.equal(header.type, 'header');
  assert.equal(header.sampleRate, 44100);
  assert.equal(header.channels, 2);
  assert.equal(header.format, 's16le');
  assert.equal(typeof header.frameSamples, 'number');
  assert.ok(frameBytesOk, 'every binary frame is 4 + frameSamples × channels × 2 bytes');
  const rate = audioSeconds / wallSeconds;
  assert.ok(rate >= 0.98, `received ${audioSeconds.toFixed(2)} s in ${wallSeconds.toFixed(2)} s (${rate.toFixed(3)}×)`);
  assert.ok(rate <= 1.05, `no more than real time with burst=0: ${rate.toFixed(3)}×`);
  for (let i = 1; i < sequences.length; i++) assert.equal(sequences[i], sequences[i - 1] + 1, `sequence ${i}`);
});

test('ICY metadata: icecast-parser reads a StreamTitle naming the model and instrument', async () => {
  const title = await new Promise<string>((resolve, reject) => {
    const parser = new Parser({ url: `${server.url}/stream/${CHANNEL}`, autoUpdate: false });
    parser.on('metadata', (metadata) => resolve(metadata.get('StreamTitle') ?? ''));
    parser.on('error', reject);
    parser.on('empty', () => reject(new Error('no icy-metaint in the response')));
  });
  const { channel } = server.station.channel(CHANNEL);
  assert.equal(title, channel.title);
  assert.ok(title.includes(channel.model.id) && title.includes(channel.model.instrument), title);
});

test('a stream without Icy-MetaData has no metadata blocks (pure MP3)', async () => {
  const plain = await captureStream(`${server.url}/stream/${CHANNEL}`, 1);
  assert.equal(plain.headers.get('icy-metaint'), null);
  assert.ok(!plain.bytes.includes(Buffer.from("StreamTitle='")), 'no StreamTitle inside plain MP3');
  const withIcy = await captureStream(`${server.url}/stream/${CHANNEL}`, 1.5, { 'Icy-MetaData': '1' });
  assert.equal(withIcy.headers.get('icy-metaint'), '16000');
  // The first metadata block sits exactly after 16000 audio bytes.
  const length = withIcy.bytes[16000];
  assert.ok(length > 0, 'first block carries the title');
  assert.match(withIcy.bytes.subarray(16001, 16001 + length * 16).toString('utf8'), /^StreamTitle='texture: /);
});

test('unknown channels are refused clearly and the stream keeps playing', async () => {
  const response = await fetch(`${server.url}/stream/nope`);
  assert.equal(response.status, 404);
  const body = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'WAVECAST_ERR_UNKNOWN_CHANNEL');
  assert.match(body.error.message, /unknown channel "nope"; channels: lobby, texture/);

  const wsUrl = server.url.replace('http', 'ws');
  const closeOf = (url: string) =>
    new Promise<{ code: number; reason: string }>((resolve) => {
      const ws = new WebSocket(url);
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
      ws.on('error', () => {});
    });
  const unknown = await closeOf(`${wsUrl}/ws/nope`);
  assert.equal(unknown.code, 4404);
  assert.match(unknown.reason, /unknown channel "nope"/);
  const badFormat = await closeOf(`${wsUrl}/ws/${CHANNEL}?format=mp3`);
  assert.equal(badFormat.code, 4400);
  assert.match(badFormat.reason, /format must be one of s16le, f32le, got "mp3"/);

  const after = await captureStream(`${server.url}/stream/${CHANNEL}`, 1);
  assert.ok(after.bytes.length > 16000, 'still streaming');
  for (const { id, channel } of server.station.channels.values()) assert.equal(channel.playout.counters.underruns, 0, `${id} never ran dry`);
});

test('a HEAD probe gets the stream headers without becoming a listener', async () => {
  const { output } = server.station.channel(CHANNEL);
  // Earlier tests' listeners may still be leaving: start from none.
  for (let waited = 0; output.listeners.mp3 > 0 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  assert.equal(output.listeners.mp3, 0);
  const response = await fetch(`${server.url}/stream/${CHANNEL}`, { method: 'HEAD' });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'audio/mpeg');
  assert.equal(response.headers.get('icy-br'), '128');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(output.listeners.mp3, 0, 'no listener joined');
});

test('/api/channels, /api/models and /healthz describe what is playing', async () => {
  const channels = (await (await fetch(`${server.url}/api/channels`)).json()) as Array<Record<string, unknown>>;
  const lobby = channels.find((c) => c.id === 'lobby')!;
  assert.equal(lobby.model, 'symbolic-songs');
  assert.equal(lobby.family, 'symbolic');
  assert.equal(lobby.instrument, 'cafe-piano');
  assert.equal(lobby.style, 'cafe');
  assert.equal(lobby.midi, '/api/channels/lobby/midi');
  assert.equal(lobby.sampleRate, 44100);
  assert.equal(typeof lobby.listeners, 'number');
  const texture = channels.find((c) => c.id === 'texture')!;
  assert.equal(texture.model, 'wavegan-untrained');
  assert.equal(texture.family, 'waveform');
  assert.equal(texture.midi, undefined);
  for (const channel of [lobby, texture]) {
    assert.ok((channel.bufferedSeconds as number) > 0.5, `${channel.id} buffered ${channel.bufferedSeconds}`);
    assert.ok((channel.realTimeFactor as number) > 1, `${channel.id} rtf ${channel.realTimeFactor}`);
  }
  const models = (await (await fetch(`${server.url}/api/models`)).json()) as Array<Record<string, unknown>>;
  const waveform = models.find((m) => m.id === 'wavegan-untrained')!;
  assert.equal(waveform.family, 'waveform');
  assert.equal(waveform.trained, false);
  assert.equal(waveform.loaded, true);
  assert.match(String(waveform.engine), /^onnx-/);
  const symbolic = models.find((m) => m.id === 'symbolic-songs')!;
  assert.equal(symbolic.family, 'symbolic');
  assert.equal(symbolic.trained, true);
  assert.deepEqual(symbolic.styles, ['house', 'cafe', 'ambient']);
  assert.match(String(symbolic.engine), /^tfjs-/, 'symbolic models run on tfjs whatever the engine setting');
  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.status, 200);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /wavecast_buffered_seconds\{channel="lobby"\} \d/);
});
