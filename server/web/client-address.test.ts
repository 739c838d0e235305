/**
 * Whose address the listener logs show: the socket peer, or a local proxy's X-Forwarded-For.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientAddress } from './client-address.js';

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
