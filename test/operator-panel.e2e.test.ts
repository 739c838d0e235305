/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser and use its DOM types)
/**
 * The operator panel (`/panel`) in headless Chromium against a real server: without the token a
 * change is refused with the server's 401 message and nothing changes; a wrong token is refused
 * clearly; with the token an instrument switch, a model switch and a slider reach the server and
 * show on the page (title included, once heard). Also: the live view and chart draw, the monitor
 * feed is not counted as a listener, and the page fits a phone.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../server/web/listen.js';
import { chromiumMissing, launchChromium, pollUntil, screenshot, watchPageErrors } from './support/browser.js';
import type { ChannelSummary } from '../server/web/wire.js';
import { fetchChannels, startTestServer, WAVEFORM_EXAMPLE } from './support/test-server.js';

const TOKEN = 'test-token';

describe('operator panel', { skip: chromiumMissing, timeout: 150_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  const channels = () => fetchChannels(server);
  const channel = async (id: string) => (await channels()).find((c) => c.id === id)!;
  const card = (id: string) => page.locator(`[data-channel="${id}"]`);
  const control = (id: string, name: string) => card(id).locator(`[data-control="${name}"]`);
  const field = (id: string, name: string) => card(id).locator(`[data-field="${name}"]`);

  /** Polls until the server and the page both show `expected` for a channel, title included. */
  async function untilShown(id: string, what: string, expected: (c: ChannelSummary, pageTitle: string) => boolean, timeoutMs = 8000) {
    return pollUntil(
      what,
      async () => ({ api: await channel(id), pageTitle: await field(id, 'title').innerText() }),
      (s) => expected(s.api, s.pageTitle),
      { timeoutMs, intervalMs: 200 },
    );
  }

  before(async () => {
    [server, browser] = await Promise.all([startTestServer({ operatorToken: TOKEN, configFile: WAVEFORM_EXAMPLE }), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    pageErrors = watchPageErrors(page);
    await page.goto(`${server.url}/panel`);
    await card('texture').locator('[data-control="model"] option').first().waitFor({ state: 'attached', timeout: 10_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('without a token a model switch is refused with the server\'s 401 message and nothing changes', async () => {
    const before = await channels();
    assert.match(await page.locator('[data-field="token-status"]').innerText(), /Locked/);
    await control('texture', 'model').selectOption('symbolic-songs');
    const message = await pollUntil('the refusal on the card', () => field('texture', 'error').innerText(), (text) => text !== '', { timeoutMs: 5000 });
    assert.match(message, /^Refused \(401\): operator token required/);
    // The picker goes back to what the server plays.
    await pollUntil('the model picker to revert', () => control('texture', 'model').inputValue(), (v) => v === 'wavegan-untrained', { timeoutMs: 3000 });
    const after = await channels();
    assert.deepEqual(
      after.map((c) => [c.id, c.model, c.instrument, c.volume]),
      before.map((c) => [c.id, c.model, c.instrument, c.volume]),
    );
  });

  test('a wrong token is refused with a clear message and not kept', async () => {
    await page.locator('[data-field="token"]').fill('not-the-token');
    await page.locator('[data-action="save-token"]').click();
    const status = page.locator('[data-field="token-status"]');
    await pollUntil('the refusal', () => status.getAttribute('data-state'), (s) => s === 'refused', { timeoutMs: 5000 });
    assert.match(await status.innerText(), /refused this token/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('wavecast.operatorToken')), null);
  });

  test('with the token: lobby switches to band, texture to the symbolic model, and the page follows', async () => {
    await page.locator('[data-field="token"]').fill(TOKEN);
    await page.locator('[data-action="save-token"]').click();
    const status = page.locator('[data-field="token-status"]');
    await pollUntil('the token to be accepted', () => status.getAttribute('data-state'), (s) => s === 'ok', { timeoutMs: 5000 });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('wavecast.operatorToken')), TOKEN);
    // The sliders now use the server's ranges (GET /api/operator).
    const operator = (await (await fetch(`${server.url}/api/operator`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      controls: Record<string, { min: number; max: number }>;
    };
    assert.equal(Number(await control('lobby', 'tempo').getAttribute('max')), operator.controls.tempo.max);

    assert.equal((await channel('lobby')).instrument, 'cafe-piano');
    await control('lobby', 'instrument').selectOption('band');
    const lobby = await untilShown('lobby', 'lobby to play band, title included', (c, title) => c.instrument === 'band' && / band/.test(c.title) && title === c.title);
    assert.equal(await control('lobby', 'instrument').inputValue(), 'band');
    assert.match(lobby.pageTitle, /band/);
    assert.equal(await field('lobby', 'error').isHidden(), true);
    // The preset picker reads what each preset is.
    assert.match(await control('lobby', 'instrument').locator('option[value="vibes-lounge"]').innerText(), /vibraphone/);

    // Per-track programs and the drum kit, picked by their General MIDI names.
    assert.equal(await control('lobby', 'programs.chords').locator('option[value="11"]').innerText(), '11 Vibraphone');
    assert.equal(await control('lobby', 'programs.chords').inputValue(), '0', 'band plays the grand piano');
    await control('lobby', 'programs.chords').selectOption({ label: '11 Vibraphone' });
    await untilShown('lobby', 'lobby chords on the vibraphone, title included', (c, title) => c.programs?.chords === 11 && /chords: Vibraphone/.test(c.title) && title === c.title);
    await control('lobby', 'drumKit').selectOption({ label: '32 Jazz' });
    const swapped = await untilShown('lobby', 'lobby on the jazz kit', (c, title) => c.drumKit === 32 && /drums: Jazz/.test(c.title) && title === c.title);
    assert.equal(swapped.api.programs?.chords, 11, 'the program swap stays when the kit changes');
    assert.equal(swapped.api.instrument, 'band');

    await control('texture', 'model').selectOption('symbolic-songs');
    const texture = await untilShown(
      'texture', 'texture to play symbolic-songs, title included',
      (c, title) => c.model === 'symbolic-songs' && /symbolic-songs/.test(c.title) && title === c.title,
    );
    assert.equal(texture.api.family, 'symbolic');
    assert.equal(await control('texture', 'model').inputValue(), 'symbolic-songs');
    // A symbolic model has styles and instruments to choose from.
    await pollUntil('texture\'s instrument picker to open up', () => control('texture', 'instrument').isEnabled(), (enabled) => enabled, { timeoutMs: 3000 });
    assert.equal(await field('texture', 'family').innerText(), 'symbolic');
  });

  test('a slider sends its value once, on change', async () => {
    const patches: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH') patches.push(request.postData() ?? '');
    });
    await control('lobby', 'volume').fill('0.4');
    await pollUntil('lobby volume 0.4 on the server', () => channel('lobby'), (c) => Math.abs(c.volume - 0.4) < 1e-9, { timeoutMs: 5000 });
    assert.deepEqual(patches.map((body) => JSON.parse(body)), [{ volume: 0.4 }]);
    assert.equal(await field('lobby', 'volume-value').innerText(), '40 %');
  });

  test('a value the server rejects shows its message and marks the control', async () => {
    // The picker only offers valid instruments; add a bogus one as a stale page might have.
    await control('lobby', 'instrument').evaluate((element) => {
      const select = element as HTMLSelectElement;
      select.append(new Option('kazoo', 'kazoo'));
      select.value = 'kazoo';
      select.dispatchEvent(new Event('change'));
    });
    const message = await pollUntil('the 400 message', () => field('lobby', 'error').innerText(), (text) => text !== '', { timeoutMs: 5000 });
    assert.match(message, /^Refused \(400\): .*instrument/);
    assert.equal(await control('lobby', 'instrument').getAttribute('aria-invalid'), 'true');
    assert.equal((await channel('lobby')).instrument, 'band');
    assert.equal(await control('lobby', 'instrument').inputValue(), 'band');
    // A program picker the server refuses is marked by the field it names (programs.chords).
    await control('lobby', 'programs.chords').evaluate((element) => {
      const select = element as HTMLSelectElement;
      select.append(new Option('128', '128'));
      select.value = '128';
      select.dispatchEvent(new Event('change'));
    });
    const refused = await pollUntil('the program refusal', () => field('lobby', 'error').innerText(), (text) => /programs\.chords/.test(text), { timeoutMs: 5000 });
    assert.match(refused, /^Refused \(400\)/);
    assert.equal(await control('lobby', 'programs.chords').getAttribute('aria-invalid'), 'true');
    assert.equal((await channel('lobby')).programs?.chords, 11, 'nothing changed');
  });

  test('health, chart and live spectrogram are drawn; the monitor is not a listener', async () => {
    // Earlier tests scrolled to the pickers; a monitor pauses while its card is off screen.
    await field('lobby', 'spectrogram').scrollIntoViewIfNeeded();
    assert.match(await field('lobby', 'buffer').innerText(), /^\d+\.\d s$/);
    assert.match(await field('lobby', 'rtf').innerText(), /^\d+(\.\d)?×$/);
    assert.match(await field('lobby', 'listeners').innerText(), /^\d+$/);
    assert.equal(await card('lobby').locator('.uplot canvas').count(), 1);
    // Scrolling back reconnects the monitor; wait for its header before reading the canvas,
    // which still shows the columns painted before the card left the screen.
    await pollUntil('the monitor to reconnect', () => field('lobby', 'monitor').innerText(), (text) => text === 'live', { timeoutMs: 8000 });
    // The spectrogram paints columns as the monitor feed arrives: count distinct colours on its right edge.
    const colours = await pollUntil(
      'the spectrogram to show sound',
      () =>
        field('lobby', 'spectrogram').evaluate((element) => {
          const canvas = element as HTMLCanvasElement;
          const pixels = canvas.getContext('2d')!.getImageData(canvas.width - 4, 0, 1, canvas.height).data;
          const seen = new Set<number>();
          for (let i = 0; i < pixels.length; i += 4) seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
          return seen.size;
        }),
      (n) => n > 10,
      { timeoutMs: 8000 },
    );
    assert.ok(colours > 10);
    // Only the panel is connected, and its monitor feeds must not count as listeners.
    assert.deepEqual((await channels()).map((c) => c.listeners), [0, 0]);
    // The refused changes above are among the station's recent problems.
    await pollUntil('the refusal in recent problems', () => field('lobby', 'recent-errors').innerText(), (t) => /BAD_REQUEST/.test(t), { timeoutMs: 3000 });
  });

  test('screenshots: desktop and a 390×844 phone without sideways scrolling', async () => {
    await screenshot(page, 'panel-1280x900');
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await pollUntil(
      'the layout to fit the phone',
      () => page.evaluate(() => document.documentElement.scrollWidth),
      (width) => width <= 390,
      { timeoutMs: 3000 },
    );
    assert.ok(overflow <= 390);
    // Cards stack: texture's card sits below lobby's, both full width.
    const lobbyBox = (await card('lobby').boundingBox())!;
    const textureBox = (await card('texture').boundingBox())!;
    assert.ok(textureBox.y >= lobbyBox.y + lobbyBox.height, 'cards should stack on a phone');
    assert.ok(lobbyBox.width >= 350, `card width ${lobbyBox.width}`);
    assert.ok((await control('lobby', 'model').boundingBox())!.width >= 300, 'controls should be full width on a phone');
    await screenshot(page, 'panel-390x844');
    // The refusals above log their 400/401 responses to the console, as browsers do; nothing else may.
    assert.deepEqual(pageErrors.filter((e) => !/Failed to load resource: .*status of 40[01]/.test(e)), []);
  });
});
