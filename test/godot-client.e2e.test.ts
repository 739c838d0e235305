/**
 * End to end: the Godot 3 example client (examples/godot) plays the WebSocket f32le feed headless
 * (`godot3-server`), through a TCP proxy that cuts its connection once mid-run, while the operator
 * changes the tempo (so the title). From the client's `--report` lines: its Label shows the header's
 * title, then the new one, it reconnects, skips the audio the reconnect burst repeats, receives
 * contiguous sequence numbers and real-time audio, and the dummy audio driver pulls that audio out
 * of the AudioStreamGenerator at about real time without running dry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import type { ChannelSummary } from '../server/web/wire.js';
import { fetchChannels, startTestServer, waitFor } from './support/test-server.js';

const GODOT = process.env.GODOT ?? 'godot3-server';
const godotMissing = spawnSync(GODOT, ['--version']).error ? `${GODOT} not installed (apt-get install godot3-server)` : false;
const RUN_SECONDS = 8;
/** After the client connects: when the operator changes the tempo (and so the title), and when the network drops. */
const RETITLE_AFTER_SECONDS = 0.5;
const CUT_AFTER_SECONDS = 4.5;

/** One `wavecast: … key=value … title="…"` line of the client's --report. */
interface Report {
  done: boolean;
  t: number;
  rate: number;
  packets: number;
  frames: number;
  pushed: number;
  skips: number;
  underruns: number;
  seqFirst: number;
  seqLast: number;
  gaps: number;
  duplicates: number;
  reconnects: number;
  title: string;
}

function parseReport(line: string): Report | undefined {
  const match = /^wavecast: (done )?(.*) title=(".*")$/.exec(line);
  if (!match) return undefined;
  const fields = Object.fromEntries(match[2].split(' ').map((pair) => pair.split('=')));
  const number = (key: string) => Number(fields[key]);
  return {
    done: match[1] !== undefined,
    t: number('t'),
    rate: number('rate'),
    packets: number('packets'),
    frames: number('frames'),
    pushed: number('pushed'),
    skips: number('skips'),
    underruns: number('underruns'),
    seqFirst: number('seq_first'),
    seqLast: number('seq_last'),
    gaps: number('gaps'),
    duplicates: number('duplicates'),
    reconnects: number('reconnects'),
    title: JSON.parse(match[3]) as string,
  };
}

/** A TCP proxy to `port` whose `cut()` drops every open connection, as a lost network would. */
async function cuttableProxy(port: number) {
  const open = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      // A cut resets the other side too; that error is the point, not a failure.
      socket.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as net.AddressInfo).port,
    connections: () => open.size,
    cut: () => open.forEach((socket) => socket.destroy()),
    close: () => new Promise<void>((resolve) => { open.forEach((socket) => socket.destroy()); proxy.close(() => resolve()); }),
  };
}

const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function lobby(server: { url: string }): Promise<ChannelSummary> {
  return (await fetchChannels(server)).find((channel) => channel.id === 'lobby')!;
}

test('the Godot example client plays the feed in real time, shows the title and reconnects without a gap', { skip: godotMissing, timeout: 60_000 }, async () => {
  const server = await startTestServer();
  const proxy = await cuttableProxy(server.port);
  // Let the channel build the history a connect burst comes from (2 s by default): a client's
  // queue then holds that much, which is what carries it through a reconnect.
  await sleep(2.5);
  // Godot writes its logs under the user data folder: keep them out of $HOME.
  const dataHome = mkdtempSync(path.join(os.tmpdir(), 'wavecast-godot-'));
  let godot: ChildProcess | undefined;
  try {
    const child = spawn(GODOT, ['--path', path.join(PROJECT_ROOT, 'examples/godot'), '--', `ws://127.0.0.1:${proxy.port}`, 'lobby', '--seconds', String(RUN_SECONDS), '--report'], {
      env: { ...process.env, XDG_DATA_HOME: dataHome, LANG: 'en' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    godot = child;
    let output = '';
    child.stdout.on('data', (data) => (output += data));
    child.stderr.on('data', (data) => (output += data));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

    const titleBefore = (await lobby(server)).title;
    await waitFor('the client to connect', () => proxy.connections() > 0, 10);
    await sleep(RETITLE_AFTER_SECONDS);
    const retitled = await fetch(`${server.url}/api/channels/lobby`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.operatorToken}` },
      body: JSON.stringify({ tempo: 92 }),
    });
    assert.equal(retitled.status, 200);
    await sleep(CUT_AFTER_SECONDS - RETITLE_AFTER_SECONDS);
    proxy.cut();
    const code = await exited;
    checkReport(output, code, titleBefore, await lobby(server));
  } finally {
    if (godot?.exitCode === null) godot.kill('SIGKILL');
    await proxy.close();
    await server.close();
    rmSync(dataHome, { recursive: true, force: true });
  }
});

/** Asserts on the client's output; prints it all when something fails. */
function checkReport(output: string, code: number | null, titleBefore: string, lobby: ChannelSummary): void {
  try {
    const reports = output.split('\n').map(parseReport).filter((report) => report !== undefined);
    const final = reports.find((report) => report.done);
    assert.equal(code, 0, 'godot exited cleanly');
    assert.ok(final, 'a final report line');

    assert.equal(final.rate, lobby.sampleRate);
    assert.notEqual(lobby.title, titleBefore, 'the tempo change retitled the channel');
    assert.equal(reports[0].title, titleBefore, "the Label shows the header's title");
    assert.ok(
      reports.some((report) => report.reconnects === 0 && report.title === lobby.title),
      'a title message changed the Label on the first connection',
    );
    assert.equal(final.title, lobby.title);

    assert.ok(final.reconnects >= 1, 'the cut connection was reopened');
    assert.match(output, /wavecast: disconnected \(.*\), reconnecting/);
    assert.ok(final.duplicates > 0, 'the reconnect burst repeated audio, which the client skipped');
    assert.equal(final.gaps, 0, 'no sequence number missing, across the reconnect too');
    assert.equal(final.seqLast - final.seqFirst + 1, final.packets, 'every frame between first and last received once');

    // The 2 s burst arrives in the first second; from then on audio must arrive at real time.
    const afterBurst = reports.find((report) => !report.done && report.t >= 1)!;
    const window = final.t - afterBurst.t;
    const receivedPerSecond = (final.frames - afterBurst.frames) / window;
    const pushedPerSecond = (final.pushed - afterBurst.pushed) / window;
    console.log(`godot client: ${receivedPerSecond.toFixed(0)} frames/s received, ${pushedPerSecond.toFixed(0)} pulled by the audio driver, over ${window.toFixed(2)} s; seq ${final.seqFirst}..${final.seqLast}, ${final.duplicates} duplicates skipped, ${final.reconnects} reconnect(s)`);
    assert.ok(receivedPerSecond >= 0.9 * final.rate, `received ${receivedPerSecond.toFixed(0)} frames/s, below 0.9 × ${final.rate}`);
    // Headless Godot's dummy driver mixes one buffer, then sleeps one buffer's length, so it pulls a
    // little under real time (0.91–0.98 measured) and less on a busy machine.
    assert.ok(pushedPerSecond >= 0.75 * final.rate, `the audio driver pulled ${pushedPerSecond.toFixed(0)} frames/s, below 0.75 × ${final.rate}`);
    assert.equal(final.skips, 0, 'the generator never ran dry');
    assert.equal(final.underruns, 0, 'the jitter buffer never ran dry');
  } catch (error) {
    console.log(output);
    throw error;
  }
}
