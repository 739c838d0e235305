/**
 * `npm start` as a service runs it: stopped with Ctrl-C (SIGINT to the whole foreground process
 * group, lame included) or SIGTERM it shuts down cleanly — no error logged, every MP3 listener's
 * stream ends properly, every WebSocket client gets a 1001 close — and started again it keeps
 * the operator's changes and its generated token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import type { ChannelSummary } from '../server/web/wire.js';
import { waitFor } from './support/test-server.js';

interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts server/main.ts in a process group of its own (as a terminal or systemd would), on a free port. */
async function startMain(configDir: string, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: PROJECT_ROOT,
    detached: true,
    env: { ...process.env, CONFIG: path.join(configDir, 'config.json'), PORT: '0', HOST: '127.0.0.1', NODE_TEST_CONTEXT: '', LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
  guard.unref();
  void exited.then(() => clearTimeout(guard));
  await waitFor('the server listening', () => /"msg":"listening"/.test(out) || child.exitCode !== null, 60, 50);
  assert.equal(child.exitCode, null, `the server stopped: ${err}`);
  const url = /"url":"(http:\/\/[^"]+)"/.exec(out)![1];
  return { child, url, stdout: () => out, stderr: () => err, exited };
}

/** Log lines at warn (40) or above. */
const problems = (stdout: string) => stdout.split('\n').filter((line) => /"level":(40|50|60)/.test(line));

test('Ctrl-C and SIGTERM stop the server cleanly: no error logged, streams end properly, WebSocket 1001', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wavecast-shutdown-'));
  try {
    await writeFile(path.join(dir, 'config.json'), JSON.stringify({ channels: [{ id: 'texture', model: 'wavegan-untrained', sampleRate: 22050, channels: 1, mp3Bitrate: 64 }] }));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const server = await startMain(dir);
      const response = await fetch(`${server.url}/stream/texture`);
      const reader = response.body!.getReader();
      let bytes = 0;
      const body = (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return 'ended';
          bytes += value.length;
        }
      })().catch((error: Error) => `failed: ${error.message}`);
      const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/texture?format=s16le`);
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      await new Promise((resolve) => ws.once('message', resolve));
      await waitFor('some MP3', () => bytes > 4000, 10);
      // SIGINT to the whole group, as a terminal's Ctrl-C does; SIGTERM to the server, as systemd does.
      process.kill(signal === 'SIGINT' ? -server.child.pid! : server.child.pid!, signal);
      assert.equal(await server.exited, 0, server.stderr());
      assert.equal(await body, 'ended', `${signal}: the MP3 stream ends with its last chunk, not cut`);
      assert.equal(await closed, 1001, `${signal}: WebSocket clients are told the server is going away`);
      assert.deepEqual(problems(server.stdout()), [], `${signal}: nothing logged at warn or error`);
      assert.match(server.stdout(), /"msg":"stopped"/);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a restart keeps every operator change and the generated token', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wavecast-restart-'));
  try {
    await writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({ channels: [{ id: 'lobby', model: 'symbolic-songs', style: 'cafe', instrument: 'cafe-piano', tempo: 88, sampleRate: 22050, channels: 1, mp3Bitrate: 64 }] }),
    );
    const first = await startMain(dir);
    const tokenFile = path.join(dir, 'operator-token');
    const token = (await readFile(tokenFile, 'utf8')).trim();
    assert.match(first.stderr(), new RegExp(`Operator token \\(the panel asks for it once\\): ${token}\\n  saved in ${tokenFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(mode 600\\)`));
    assert.equal((await stat(tokenFile)).mode & 0o777, 0o600, 'only the server’s user may read the token');
    const change = { style: 'house', instrument: 'electronic', tempo: 124, density: 0.6, variation: 0.4, volume: 0.7, programs: { lead: 81 } };
    const patched = await fetch(`${first.url}/api/channels/lobby`, { method: 'PATCH', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(change) });
    assert.equal(patched.status, 200, await patched.clone().text());
    const before = (await patched.json()) as ChannelSummary;
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    const saved = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8'));
    assert.equal(saved.channels.lobby.style, 'house');

    const second = await startMain(dir);
    try {
      assert.doesNotMatch(second.stderr(), /the panel asks for it once/, 'the saved token is used, not a new one');
      assert.match(second.stderr(), /Operator token: in .*operator-token/);
      const lobby = ((await (await fetch(`${second.url}/api/channels`)).json()) as ChannelSummary[])[0];
      for (const field of ['style', 'instrument', 'tempo', 'density', 'variation', 'volume', 'programs', 'model', 'follow'] as const) {
        assert.deepEqual(lobby[field], before[field], `${field} survives the restart`);
      }
      const again = await fetch(`${second.url}/api/channels/lobby`, { method: 'PATCH', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ volume: 0.8 }) });
      assert.equal(again.status, 200, 'the same token still operates');
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
