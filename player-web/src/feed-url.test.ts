/**
 * The PCM feed's URL follows the page: wss:// behind a TLS proxy, ws:// on plain http, same host and port.
 * Run: node --import tsx --test player-web/src/feed-url.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pcmFeedUrl } from './feed-url.js';

test('a page served over https (behind the TLS proxy) opens wss:// on its own host', () => {
  assert.equal(pcmFeedUrl('/ws/lobby', { burstSeconds: 0.5 }, 'https://radio.example.com/'), 'wss://radio.example.com/ws/lobby?format=f32le&burst=0.5');
  assert.equal(
    pcmFeedUrl('/ws/lounge', { burstSeconds: 0, monitor: true }, 'https://radio.example.com:8443/panel?x=1#top'),
    'wss://radio.example.com:8443/ws/lounge?format=f32le&burst=0&monitor=1',
  );
});

test('a page served over plain http opens ws:// on its own host and port', () => {
  assert.equal(pcmFeedUrl('/ws/lobby', { burstSeconds: 2 }, 'http://192.168.1.20:8000/'), 'ws://192.168.1.20:8000/ws/lobby?format=f32le&burst=2');
  assert.equal(pcmFeedUrl('/ws/lobby', { burstSeconds: 2 }, 'http://[::1]:8000/panel'), 'ws://[::1]:8000/ws/lobby?format=f32le&burst=2');
});
