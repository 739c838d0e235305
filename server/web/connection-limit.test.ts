import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../core/errors.js';
import { ConnectionLimit } from './connection-limit.js';

test('counts each address alone, refuses past the limit naming it, and frees a place on release (once)', () => {
  const limit = new ConnectionLimit(2);
  const first = limit.acquire('192.0.2.1');
  limit.acquire('192.0.2.1');
  limit.acquire('192.0.2.2');
  assert.throws(() => limit.acquire('192.0.2.1'), (error: Error) => hasCode(error, 'WAVECAST_ERR_TOO_MANY_CONNECTIONS') && /192\.0\.2\.1 has 2 streams and feeds open.*server\.maxConnectionsPerAddress = 2/.test(error.message));
  assert.equal(limit.counters.refused, 1);
  first();
  first();
  assert.equal(limit.openFrom('192.0.2.1'), 1, 'a release counts once');
  limit.acquire('192.0.2.1');
  assert.equal(limit.openFrom('192.0.2.1'), 2);
});
