/**
 * Headless Chromium for the browser tests (playwright-core drives the system's chromium; no
 * browser download). Tests skip with a clear reason where chromium is not installed; CI installs it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../server/core/project-root.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** A `skip` reason for node:test, or false when chromium is there. */
export const chromiumMissing: string | false = existsSync(CHROMIUM_PATH) ? false : 'chromium not installed (apt-get install chromium)';

export const SCREENSHOT_DIR = path.join(PROJECT_ROOT, 'test-output', 'screenshots');

/**
 * Launches headless chromium. Audio needs no sound card: without one, Chromium renders to its
 * fake audio output, whose clock runs in real time, so <audio> and AudioContext both advance.
 * The autoplay flag only spares the tests a click before sound; the pages still start audio from
 * a tap, as a tablet requires.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
    timeout: 30_000,
  });
}

/**
 * Collects what went wrong inside a page: uncaught exceptions and console errors. Tests assert
 * it stays empty, so a broken script fails the test that loaded it.
 */
export function watchPageErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  return problems;
}

/**
 * Reads `read()` until `done(value)` holds, every `intervalMs`, for at most `timeoutMs`; resolves
 * with the value that passed or rejects naming `what` and the last value seen.
 */
export async function pollUntil<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Saves a full-page screenshot under test-output/screenshots/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
