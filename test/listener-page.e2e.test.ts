/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser and use its DOM types)
/**
 * The listener page (`/`) in headless Chromium against a real server: the café owner taps play
 * and the <audio> element really plays the MP3 stream; low-latency mode really plays the
 * WebSocket feed through the AudioWorklet (whose own reports fill the page's buffer health);
 * titles are the server's; only one channel plays at a time.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningServer } from '../server/web/listen.js';
import { chromiumMissing, launchChromium, pollUntil, screenshot, watchPageErrors } from './support/browser.js';
import { fetchChannels, startTestServer, WAVEFORM_EXAMPLE } from './support/test-server.js';

const HAVE_CURRENT_DATA = 2;

describe('listener page', { skip: chromiumMissing, timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  const channels = () => fetchChannels(server);
  const channel = async (id: string) => (await channels()).find((c) => c.id === id)!;
  const card = (id: string) => page.locator(`[data-channel="${id}"]`);
  const field = (id: string, name: string) => card(id).locator(`[data-field="${name}"]`);
  const audioState = (id: string) =>
    card(id)
      .locator('audio')
      .evaluate((element) => {
        const audio = element as HTMLAudioElement;
        const { currentTime, readyState, paused, error, src } = audio;
        return { currentTime, readyState, paused, src, error: error ? { code: error.code, message: error.message } : null };
      });
  const numberIn = async (id: string, name: string) => Number.parseFloat(await field(id, name).innerText());

  before(async () => {
    [server, browser] = await Promise.all([startTestServer({ operatorToken: 'test-token', configFile: WAVEFORM_EXAMPLE }), launchChromium()]);
    context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    page = await context.newPage();
    pageErrors = watchPageErrors(page);
    await page.goto(`${server.url}/`);
    await card('lobby').waitFor({ timeout: 10_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('shows every channel with the title the server gives', async () => {
    const listed = await channels();
    assert.deepEqual(await page.locator('[data-channel]').evaluateAll((cards) => cards.map((c) => c.dataset.channel)), listed.map((c) => c.id));
    // Read the API and the page together until they agree: the title may change in between.
    await pollUntil(
      'the page to show /api/channels\' title for lobby',
      async () => ({ api: (await channel('lobby')).title, page: await field('lobby', 'title').innerText() }),
      (titles) => titles.api.length > 0 && titles.page === titles.api,
      { timeoutMs: 5000 },
    );
    const embed = await field('lobby', 'embed-html').textContent();
    assert.equal(embed, `<audio controls src="${server.url}/stream/lobby"></audio>`);
    assert.equal(await field('lobby', 'stream-url').textContent(), `${server.url}/stream/lobby`);
  });

  test('play: the <audio> element plays /stream/lobby and its clock runs', async () => {
    await card('lobby').locator('[data-action="play"]').click();
    const started = await pollUntil(
      'the <audio> element to have data and be playing',
      () => audioState('lobby'),
      (s) => s.error !== null || (s.readyState >= HAVE_CURRENT_DATA && !s.paused && s.currentTime > 0),
      { timeoutMs: 15_000 },
    );
    assert.equal(started.error, null, `the <audio> element failed: ${JSON.stringify(started.error)}`);
    assert.equal(new URL(started.src).pathname, '/stream/lobby');
    const wallStart = Date.now();
    const playing = await pollUntil(
      'currentTime to advance by 2.5 s',
      () => audioState('lobby'),
      (s) => s.error !== null || s.currentTime - started.currentTime >= 2.5,
      { timeoutMs: 8000 },
    );
    const wallSeconds = (Date.now() - wallStart) / 1000;
    assert.equal(playing.error, null);
    assert.ok(playing.readyState >= HAVE_CURRENT_DATA, `readyState ${playing.readyState}`);
    // Real time, not a burst being skipped through: the media clock moves at about wall speed.
    assert.ok(playing.currentTime - started.currentTime <= wallSeconds + 0.5, `media advanced ${playing.currentTime - started.currentTime} s in ${wallSeconds} s`);
    assert.equal(await card('lobby').getAttribute('data-state'), 'playing');
    assert.equal(await card('lobby').locator('[data-action="play"]').getAttribute('aria-pressed'), 'true');
    await pollUntil('the server to count the listener', () => channel('lobby'), (c) => c.listeners >= 1, { timeoutMs: 5000 });
    await card('lobby').locator('details.embed summary').click();
    // The untrained model says so before anyone presses play; the trained one does not.
    assert.match(await field('texture', 'sound').innerText(), /untrained model/);
    assert.doesNotMatch(await field('lobby', 'sound').innerText(), /untrained/);
    // What the lobby plays, and where it is in its song: "cafe-piano · cafe · 88 bpm · A section in C major".
    await pollUntil('the lobby\'s section and key', () => field('lobby', 'sound').innerText(), (text) => /^cafe-piano · cafe · 88 bpm · [AB] section in [A-G][♭]? (major|minor)$/.test(text), { timeoutMs: 5000 });
    await screenshot(page, 'listener-1024x768');
  });

  test('low-latency mode: the worklet receives frames and keeps a buffer', async () => {
    // Switching mode while lobby plays restarts it through the WebSocket and the AudioWorklet.
    await page.locator('label.switch').click();
    assert.equal(await page.locator('[data-control="low-latency"]').isChecked(), true);
    await pollUntil('the <audio> element to stop', () => audioState('lobby'), (s) => s.paused && s.src === '', { timeoutMs: 5000 });
    const first = await pollUntil(
      'the worklet to report received frames',
      async () => ({ frames: await numberIn('lobby', 'frames-received'), status: await field('lobby', 'status').innerText() }),
      (s) => s.frames > 0 || s.status.startsWith('Stopped'),
      { timeoutMs: 10_000 },
    );
    assert.ok(first.frames > 0, `low-latency playback stopped: ${first.status}`);
    // Frames are 50 ms: two seconds later the worklet must have been handed about 40 more.
    const later = await pollUntil('frames-received to grow by 30', () => numberIn('lobby', 'frames-received'), (n) => n >= first.frames + 30, {
      timeoutMs: 6000,
    });
    assert.ok(later > first.frames);
    const bufferMs = await pollUntil('a non-empty jitter buffer', () => numberIn('lobby', 'buffer-ms'), (ms) => ms > 0, { timeoutMs: 3000 });
    // The ring drops audio past 1 s, so the buffer can never report more.
    assert.ok(bufferMs > 0 && bufferMs <= 1000, `buffer-ms ${bufferMs}`);
    assert.match(await field('lobby', 'underruns').innerText(), /^\d+$/);
    assert.equal(await card('lobby').getAttribute('data-state'), 'playing');
    await screenshot(page, 'listener-low-latency-1024x768');
  });

  test('one channel at a time: playing texture stops lobby; stop stops', async () => {
    await card('texture').locator('[data-action="play"]').click();
    await pollUntil('lobby to stop', () => card('lobby').getAttribute('data-state'), (s) => s === 'stopped', { timeoutMs: 3000 });
    const frames = await pollUntil('texture to receive frames', () => numberIn('texture', 'frames-received'), (n) => n > 0, { timeoutMs: 10_000 });
    assert.ok(frames > 0);
    assert.equal(await field('lobby', 'health').isHidden(), true);
    await card('texture').locator('[data-action="play"]').click();
    assert.equal(await card('texture').getAttribute('data-state'), 'stopped');
    assert.equal(await page.locator('[data-channel][data-state="playing"]').count(), 0);
    // Stopping closes the connections: the server no longer counts anyone.
    await pollUntil('every listener to be gone', channels, (list) => list.every((c) => c.listeners === 0), { timeoutMs: 5000 });
    assert.deepEqual(pageErrors, []);
  });
});
