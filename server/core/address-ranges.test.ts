import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressRangeProblem, addressRanges } from './address-ranges.js';

test('loopback, single addresses and CIDR ranges, IPv4 and IPv6', () => {
  const inside = addressRanges(['loopback', '192.0.2.10', '10.0.0.0/8', '2001:db8::/32']);
  for (const address of ['127.0.0.1', '127.9.9.9', '::1', '192.0.2.10', '10.200.0.1', '2001:db8::7']) assert.ok(inside(address), address);
  for (const address of ['192.0.2.11', '11.0.0.1', '2001:db9::1', '::2', 'unknown', '']) assert.ok(!inside(address), address);
  assert.ok(!addressRanges([])('127.0.0.1'), 'an empty list trusts no one, not even loopback');
});

test('an entry that is none of them is named', () => {
  for (const bad of ['localhost', '10.0.0.0/33', '10.0.0.0/', '10.0.0/8', '::1/129', '1.2.3.4/8/9', '10.0.0.0/x']) {
    assert.match(addressRangeProblem(bad) ?? '', new RegExp(`"${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" is not "loopback", an IP address or a CIDR range`));
    assert.throws(() => addressRanges([bad]), RangeError);
  }
  assert.equal(addressRangeProblem('loopback'), undefined);
  assert.equal(addressRangeProblem('fd00::/8'), undefined);
});
