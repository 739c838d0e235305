/**
 * wavecast behind nginx with TLS, as docs/deploy/ sets it up: the test runs THAT nginx.conf
 * (only its ports, certificate paths and upstream port changed) with Debian's nginx as a child
 * process, on a self-signed certificate made here, in front of a real wavecast on 127.0.0.1.
 * Over https and wss it checks what a listener, a game engine and the panel get: the MP3 stream
 * with its ICY titles, arriving as it is made (not buffered); the WebSocket PCM feed (with a
 * browser's same-origin Origin); the event stream's events as they happen; the http → https
 * redirect; and that wavecast's listener records name the address nginx saw (X-Forwarded-For),
 * not nginx's, and not what the client wrote in its own X-Forwarded-For.
 *
 * Skipped, saying so, where nginx or openssl is not installed.
 */
import { after, before, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { ListenerSession, type ListenerSessionOptions } from '../server/broadcast/listener-session.js';
import { parseMp3FrameHeader } from '../server/broadcast/mp3-frame-splitter.js';
import { DEFAULT_CONFIG_PATH, loadConfigFile } from '../server/config/load-config.js';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import type { RunningServer } from '../server/web/listen.js';
import { startTestServer } from './support/test-server.js';

const DOCUMENTED_CONFIG = path.join(PROJECT_ROOT, 'docs/deploy/nginx.conf');
const CHANNEL = 'lobby';
/** The address the test's requests come from: not nginx's 127.0.0.1, so the logs can tell them apart. */
const CLIENT_ADDRESS = '127.0.0.3';
/** What a client may write in its own X-Forwarded-For: wavecast must not believe it. */
const FORGED_ADDRESS = '198.51.100.66';

/** The program's path, looking where Debian puts it even when /usr/sbin is not on PATH; undefined if absent. */
function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  return dirs.map((dir) => path.join(dir, name)).find((file) => path.isAbsolute(file) && existsSync(file));
}

const nginxPath = findProgram('nginx');
const opensslPath = findProgram('openssl');
const skip = !nginxPath ? 'nginx is not installed (Debian: apt-get install nginx)' : !opensslPath ? 'openssl is not installed' : false;

/** True where this machine can open connections from 127.0.0.3 (Linux routes all of 127/8 to lo). */
async function canBindClientAddress(): Promise<boolean> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const ok = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: CLIENT_ADDRESS }, () => resolve(true));
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
  server.close();
  return ok;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Replaces what `pattern` matches, which must be there exactly `times`: if the doc changes, this says so. */
function substitute(text: string, pattern: RegExp, replacement: string, times = 1): string {
  const found = text.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;
  assert.equal(found, times, `docs/deploy/nginx.conf: expected ${times} line(s) matching ${pattern}, found ${found}`);
  return text.replace(new RegExp(pattern.source, 'gm'), replacement);
}

/** The documented site with this run's ports and certificate: nothing else changed. */
function siteConfig(ports: { http: number; https: number; upstream: number }, cert: string, key: string): string {
  let site = readFileSync(DOCUMENTED_CONFIG, 'utf8');
  // Loopback only (and IPv4 only: the machine may have no ::1), on free ports.
  site = substitute(site, /^(\s*)listen 80;$/, `$1listen 127.0.0.1:${ports.http};`);
  site = substitute(site, /^(\s*)listen 443 ssl;$/, `$1listen 127.0.0.1:${ports.https} ssl;`);
  site = substitute(site, /^\s*listen \[::\]:(80|443 ssl);\n/, '', 2);
  site = substitute(site, /^(\s*ssl_certificate\s+)\S+;$/, `$1${cert};`);
  site = substitute(site, /^(\s*ssl_certificate_key\s+)\S+;$/, `$1${key};`);
  site = substitute(site, /^(\s*server\s+)127\.0\.0\.1:8000;$/, `$1127.0.0.1:${ports.upstream};`);
  return site;
}

/** nginx's main file: the site inside `http {}`, every path nginx writes inside `dir`, so it runs without root. */
function mainConfig(dir: string): string {
  return [
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events { worker_connections 256; }',
    'http {',
    `  access_log ${dir}/access.log;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${dir}/${kind}-temp;`),
    `  include ${dir}/wavecast-site.conf;`,
    '}',
    '',
  ].join('\n');
}

let dir: string;
let server: RunningServer;
let nginx: ChildProcess | undefined;
let nginxOutput = '';
let ports: { http: number; https: number; upstream: number };
let ca: Buffer;
let fromClientAddress: boolean;
let opened: ReturnType<typeof mock.method<typeof ListenerSession, 'open'>>;

/** GET over https through nginx, from CLIENT_ADDRESS where possible; resolves at the response headers. */
function get(pathname: string, headers: Record<string, string> = {}): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      {
        host: '127.0.0.1',
        port: ports.https,
        path: pathname,
        ca,
        agent: false,
        headers: { 'x-forwarded-for': FORGED_ADDRESS, ...headers },
        ...(fromClientAddress ? { localAddress: CLIENT_ADDRESS } : {}),
      },
      resolve,
    );
    request.on('error', reject);
  });
}

async function readAll(response: http.IncomingMessage): Promise<string> {
  let text = '';
  for await (const part of response) text += String(part);
  return text;
}

/** What nginx said: its console, then its error log (where it writes once the config is read). */
function nginxSaid(): string {
  const errorLog = path.join(dir, 'error.log');
  return `${nginxOutput}${existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : ''}`;
}

async function waitForNginx(): Promise<void> {
  const deadline = performance.now() + 15_000;
  for (;;) {
    if (nginx?.exitCode !== null) throw new Error(`nginx exited (${nginx?.exitCode}):\n${nginxSaid()}`);
    try {
      const response = await get('/healthz');
      await readAll(response);
      if (response.statusCode === 200) return;
    } catch {
      // Not listening yet: try again.
    }
    if (performance.now() > deadline) throw new Error(`nginx did not answer /healthz within 15 s:\n${nginxSaid()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(tmpdir(), 'wavecast-nginx-'));
  // Run as root (CI), nginx's workers are `nobody`: they must reach the temp folders nginx makes here.
  chmodSync(dir, 0o755);
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  // Self-signed, for the address the test connects to; the clients trust it as their only CA.
  const request = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2'];
  const subject = ['-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'];
  const made = spawnSync(opensslPath!, [...request, ...subject, '-keyout', key, '-out', cert], { encoding: 'utf8' });
  assert.equal(made.status, 0, `openssl could not make a certificate: ${made.stderr}`);
  ca = readFileSync(cert);
  fromClientAddress = await canBindClientAddress();

  // One channel is enough, and the machine may be busy.
  const lobby = loadConfigFile(DEFAULT_CONFIG_PATH).channels.filter((channel) => channel.id === CHANNEL);
  // nginx connects from 127.0.0.1; the test's client is on loopback too (127.0.0.3), so only
  // nginx's address is listed as a proxy (under the default, every loopback address is one).
  server = await startTestServer({ channels: lobby, server: { trustProxy: ['127.0.0.1'] } }, 120);
  ports = { http: await freePort(), https: await freePort(), upstream: server.port };
  writeFileSync(path.join(dir, 'wavecast-site.conf'), siteConfig(ports, cert, key));
  writeFileSync(path.join(dir, 'nginx.conf'), mainConfig(dir));
  nginx = spawn(nginxPath!, ['-p', dir, '-c', 'nginx.conf', '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx.stdout!.on('data', (data) => (nginxOutput += String(data)));
  nginx.stderr!.on('data', (data) => (nginxOutput += String(data)));
  await waitForNginx();
  opened = mock.method(ListenerSession, 'open');
});

after(async () => {
  mock.restoreAll();
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx!.once('exit', resolve));
    nginx.kill('SIGTERM'); // fast shutdown: open streams are cut, not waited for
    const killer = setTimeout(() => nginx!.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  }
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The client addresses wavecast recorded for the listeners of one kind that joined since the test began. */
function recordedClients(kind: ListenerSessionOptions['kind']): (string | undefined)[] {
  return opened.mock.calls.map((call) => call.arguments[0]).filter((options) => options.kind === kind).map((options) => options.client);
}

test('plain http is redirected to https', { skip }, async () => {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
    http.get({ host: '127.0.0.1', port: ports.http, path: `/stream/${CHANNEL}` }, resolve).on('error', reject),
  );
  response.resume();
  assert.equal(response.statusCode, 301);
  assert.equal(response.headers.location, `https://127.0.0.1/stream/${CHANNEL}`);
});

test('the API comes through https, and its stream and ws URLs are paths (the page makes them https and wss)', { skip }, async () => {
  const response = await get('/api/channels');
  const channels = JSON.parse(await readAll(response)) as { id: string; stream: string; ws: string }[];
  assert.equal(response.statusCode, 200);
  const lobby = channels.find((channel) => channel.id === CHANNEL);
  assert.deepEqual({ stream: lobby?.stream, ws: lobby?.ws }, { stream: `/stream/${CHANNEL}`, ws: `/ws/${CHANNEL}` });
});

test('the MP3 stream over https carries icy-metaint and StreamTitle blocks, and arrives as it is made', { skip }, async () => {
  const response = await get(`/stream/${CHANNEL}`, { 'icy-metadata': '1' });
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['content-type'], 'audio/mpeg');
  assert.equal(response.headers['icy-name'], `wavecast ${CHANNEL}`);
  const metaint = Number(response.headers['icy-metaint']);
  assert.equal(metaint, 16000, 'nginx passes icy-metaint on');
  const bytesPerSecond = (Number(response.headers['icy-br']) * 1000) / 8;

  // Split the body into audio and metadata blocks (length byte × 16) as a player does, timing the audio.
  const audio: Buffer[] = [];
  const arrivals: { at: number; bytes: number }[] = [];
  const titles: string[] = [];
  let untilMetadata = metaint;
  let metadata: Buffer | undefined;
  let metadataLength = 0;
  const started = performance.now();
  const captureMs = 4000;
  for await (const part of response as AsyncIterable<Buffer>) {
    const at = (performance.now() - started) / 1000;
    let offset = 0;
    let audioBytes = 0;
    while (offset < part.length) {
      if (metadata) {
        const take = Math.min(metadataLength - metadata.length, part.length - offset);
        metadata = Buffer.concat([metadata, part.subarray(offset, offset + take)]);
        offset += take;
        if (metadata.length === metadataLength) {
          titles.push(...[...metadata.toString('utf8').matchAll(/StreamTitle='(.*?)';/g)].map((match) => match[1]));
          metadata = undefined;
          untilMetadata = metaint;
        }
      } else if (untilMetadata === 0) {
        metadataLength = part[offset++] * 16;
        if (metadataLength > 0) metadata = Buffer.alloc(0);
        else untilMetadata = metaint;
      } else {
        const take = Math.min(untilMetadata, part.length - offset);
        audio.push(part.subarray(offset, offset + take));
        audioBytes += take;
        untilMetadata -= take;
        offset += take;
      }
    }
    arrivals.push({ at, bytes: audioBytes });
    if (at * 1000 >= captureMs) break;
  }
  response.destroy();

  assert.ok(parseMp3FrameHeader(Buffer.concat(audio), 0), 'the audio starts on an MP3 frame header');
  assert.ok(titles.length > 0, 'at least one StreamTitle block');
  assert.ok(titles[0].startsWith(`${CHANNEL}: `), `title "${titles[0]}" names the channel`);
  // The burst (2 s) comes at once; after it, audio must keep coming at the pace it is made. A
  // buffering proxy would hold it back and pass it on in lumps.
  const after = arrivals.filter(({ at }) => at > 0.5 && at <= 3.5);
  const liveSeconds = after.reduce((sum, { bytes }) => sum + bytes, 0) / bytesPerSecond;
  assert.ok(liveSeconds >= 2, `${liveSeconds.toFixed(2)} s of audio arrived in the 3 s after the burst`);
  const longestWait = Math.max(...after.slice(1).map(({ at }, i) => at - after[i].at));
  assert.ok(longestWait < 0.75, `audio came with a ${longestWait.toFixed(2)} s pause`);
});

test('the WebSocket feed over wss gives the header and PCM frames to a page of the same origin', { skip }, async () => {
  const ws = new WebSocket(`wss://127.0.0.1:${ports.https}/ws/${CHANNEL}?format=f32le`, {
    ca,
    origin: `https://127.0.0.1:${ports.https}`,
    headers: { 'x-forwarded-for': FORGED_ADDRESS },
    ...(fromClientAddress ? { localAddress: CLIENT_ADDRESS } : {}),
  });
  const { header, frames } = await new Promise<{ header: Record<string, unknown>; frames: Buffer[] }>((resolve, reject) => {
    let header: Record<string, unknown> | undefined;
    const frames: Buffer[] = [];
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        const message = JSON.parse(String(data)) as Record<string, unknown>;
        if (message.type === 'header') {
          header = message;
          setTimeout(() => ws.close(), 1500);
        }
      } else frames.push(data as Buffer);
    });
    ws.on('close', (code, reason) => (header ? resolve({ header, frames }) : reject(new Error(`closed ${code} ${reason} before a header`))));
    ws.on('error', reject);
  });
  assert.equal(header.channel, CHANNEL);
  assert.equal(header.format, 'f32le');
  const frameBytes = 4 + (header.frameSamples as number) * (header.channels as number) * 4;
  // The 2 s burst alone is 40 frames of 50 ms.
  assert.ok(frames.length >= 40, `${frames.length} frames`);
  assert.ok(frames.every((frame) => frame.length === frameBytes), `every frame is ${frameBytes} bytes`);
  const sequences = frames.map((frame) => frame.readUInt32LE(0));
  for (let i = 1; i < sequences.length; i++) assert.equal(sequences[i], sequences[i - 1] + 1, `sequence ${i}`);
});

test('the event stream over https gives events as they happen: history and state at once, then a state each second', { skip }, async () => {
  const started = performance.now();
  const response = await get('/api/events');
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /^text\/event-stream/);
  const events: { name: string; at: number; data: string }[] = [];
  let text = '';
  for await (const part of response) {
    text += String(part);
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const name = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = [...block.matchAll(/^data: ?(.*)$/gm)].map((match) => match[1]).join('\n');
      events.push({ name, at: (performance.now() - started) / 1000, data });
    }
    if (events.filter(({ name }) => name === 'state').length >= 3 || performance.now() - started > 4500) break;
  }
  response.destroy();
  const states = events.filter(({ name }) => name === 'state');
  assert.equal(events[0]?.name, 'history');
  const times = states.map(({ at }) => at.toFixed(2)).join(', ');
  assert.ok(states.length >= 3, `state events at ${times} s`);
  assert.ok(states[0].at < 2, `the first state came after ${states[0].at.toFixed(2)} s`);
  // The server's once-a-second ticks (the second and third states; the first is sent on connect)
  // arrive a second apart: a buffering proxy would pass them on together, or not yet.
  assert.ok(states[2].at - states[1].at > 0.5, `state events at ${times} s: the ticks came together`);
  assert.ok(states[2].at < 3.5, `state events at ${times} s`);
  const state = JSON.parse(states[0].data) as { channels: { id: string }[] };
  assert.ok(state.channels.some(({ id }) => id === CHANNEL));
});

test('wavecast records the address nginx saw (X-Forwarded-For), not nginx, not the client’s own header', { skip }, (t) => {
  if (!fromClientAddress) {
    t.skip(`cannot connect from ${CLIENT_ADDRESS} here, so nginx's and the client's addresses would be the same`);
    return;
  }
  assert.deepEqual(recordedClients('mp3'), [CLIENT_ADDRESS]);
  assert.deepEqual(recordedClients('ws'), [CLIENT_ADDRESS]);
});
