/**
 * Sets of client addresses written as a config writes them: `loopback` (127.0.0.0/8 and ::1), an
 * address (`192.0.2.10`), or a CIDR range (`10.0.0.0/8`, `2001:db8::/32`). Used for the reverse
 * proxies whose X-Forwarded-For the server believes (server.trustProxy).
 */
import { BlockList, isIP } from 'node:net';

const LOOPBACK = ['127.0.0.0/8', '::1/128'];

function parse(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address, prefixText, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return undefined;
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d+$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Why `entry` is not `loopback`, an address or a CIDR range; undefined when it is one. */
export function addressRangeProblem(entry: string): string | undefined {
  if (entry === 'loopback' || parse(entry)) return undefined;
  return `"${entry}" is not "loopback", an IP address or a CIDR range such as 10.0.0.0/8`;
}

/**
 * A test for membership of `entries`.
 * @throws RangeError naming an entry that is not one (the config schema refuses those first)
 */
export function addressRanges(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries.flatMap((e) => (e === 'loopback' ? LOOPBACK : [e]))) {
    const range = parse(entry);
    if (!range) throw new RangeError(addressRangeProblem(entry));
    list.addSubnet(range.address, range.prefix, range.family);
  }
  return (address) => {
    const version = isIP(address);
    return version !== 0 && list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  };
}
