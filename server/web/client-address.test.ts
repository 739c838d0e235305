/**
 * Whose address the listener logs and the per-address limit see: the socket peer, or a trusted proxy's X-Forwarded-For.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressRanges } from '../core/address-ranges.js';
import { clientAddress as resolve } from './client-address.js';

const local = addressRanges(['loopback']);
const clientAddress = (peer: string | undefined, forwardedFor: string | undefined) => resolve(peer, forwardedFor, local);

test('served directly, the listener is the socket peer, whatever X-Forwarded-For claims', () => {
  assert.equal(clientAddress('192.0.2.9', undefined), '192.0.2.9');
  assert.equal(clientAddress('192.0.2.9', '203.0.113.7'), '192.0.2.9');
  assert.equal(clientAddress('::ffff:192.0.2.9', '203.0.113.7'), '192.0.2.9');
  assert.equal(clientAddress('2001:db8::9', '203.0.113.7'), '2001:db8::9');
  assert.equal(clientAddress(undefined, '203.0.113.7'), undefined);
});

test('behind a proxy on this host, the listener is the last X-Forwarded-For entry (the one the proxy added)', () => {
  assert.equal(clientAddress('127.0.0.1', '203.0.113.7'), '203.0.113.7');
  assert.equal(clientAddress('::ffff:127.0.0.1', '203.0.113.7'), '203.0.113.7');
  assert.equal(clientAddress('::1', '2001:db8::7'), '2001:db8::7');
  // The client sent its own (forged) entries; nginx appended what it saw.
  assert.equal(clientAddress('127.0.0.1', '10.0.0.1, 198.51.100.1,203.0.113.7'), '203.0.113.7');
});

test('a loopback peer without a usable X-Forwarded-For is itself the listener', () => {
  assert.equal(clientAddress('127.0.0.1', undefined), '127.0.0.1');
  assert.equal(clientAddress('127.0.0.1', ''), '127.0.0.1');
  assert.equal(clientAddress('127.0.0.1', 'unknown'), '127.0.0.1');
  assert.equal(clientAddress('127.0.0.1', '203.0.113.7:5123'), '127.0.0.1');
});

test('a proxy on another host is believed once server.trustProxy names it; a chain of trusted proxies is walked back', () => {
  const proxies = addressRanges(['loopback', '10.0.0.0/8']);
  assert.equal(clientAddress('10.1.2.3', '203.0.113.7'), '10.1.2.3', 'by default only loopback is trusted');
  assert.equal(resolve('10.1.2.3', '203.0.113.7', proxies), '203.0.113.7');
  assert.equal(resolve('::ffff:10.1.2.3', '198.51.100.1, 203.0.113.7', proxies), '203.0.113.7', 'forged entries before it are not read');
  // A CDN edge (10.9.9.9, trusted) in front of nginx (127.0.0.1): the address the edge saw.
  assert.equal(resolve('127.0.0.1', '198.51.100.1, 203.0.113.7, 10.9.9.9', proxies), '203.0.113.7');
  // Every entry trusted: the first one is as far as the header goes.
  assert.equal(resolve('127.0.0.1', '10.0.0.1, 10.0.0.2', proxies), '10.0.0.1');
  assert.equal(resolve('127.0.0.1', 'unknown, 10.0.0.2', proxies), '10.0.0.2');
  assert.equal(resolve('127.0.0.1', '203.0.113.7', addressRanges([])), '127.0.0.1', 'trustProxy [] believes no header');
});
