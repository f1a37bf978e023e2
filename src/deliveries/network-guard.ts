import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a delivery must never reach unless DELIVERY_ALLOW_PRIVATE_NETWORKS=true: this host,
 * the private networks behind it (the database among them), the cloud metadata service, and
 * addresses that are not a single public host. Node's BlockList parses the addresses and matches
 * an IPv4 rule against IPv4-mapped IPv6 addresses (::ffff:127.0.0.1, ::ffff:7f00:1) too.
 */
const REFUSED: BlockList = (() => {
  const list = new BlockList();
  const v4: [string, number][] = [
    ['0.0.0.0', 8], // "this network", unspecified
    ['10.0.0.0', 8], // private (RFC 1918)
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8], // loopback
    ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
    ['172.16.0.0', 12], // private
    ['192.0.0.0', 24], // IETF protocol assignments
    ['192.0.2.0', 24], // documentation (TEST-NET-1)
    ['192.168.0.0', 16], // private
    ['198.18.0.0', 15], // benchmarking
    ['198.51.100.0', 24], // documentation (TEST-NET-2)
    ['203.0.113.0', 24], // documentation (TEST-NET-3)
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, broadcast
  ];
  const v6: [string, number][] = [
    ['::', 128], // unspecified
    ['::1', 128], // loopback
    ['::', 96], // IPv4-compatible (deprecated)
    ['100::', 64], // discard-only
    ['2001::', 32], // Teredo: tunnels to an IPv4 address the guard cannot see
    ['2001:db8::', 32], // documentation
    ['3fff::', 20], // documentation (RFC 9637)
    ['64:ff9b:1::', 48], // local-use NAT64
    ['fc00::', 7], // unique-local
    ['fe80::', 10], // link-local
    ['fec0::', 10], // site-local (deprecated)
    ['ff00::', 8], // multicast
  ];
  for (const [net, prefix] of v4) {
    list.addSubnet(net, prefix, 'ipv4');
    // The same networks embedded in IPv6: NAT64 (64:ff9b::/96, RFC 6052) and 6to4 (2002::/16).
    const [a, b, c, d] = net.split('.').map(Number) as [number, number, number, number];
    const groups = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    list.addSubnet(`64:ff9b::${groups}`, 96 + prefix, 'ipv6');
    list.addSubnet(`2002:${groups}::`, 16 + prefix, 'ipv6');
  }
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, 'ipv6');
  return list;
})();

/**
 * IPv4-mapped IPv6 addresses (::ffff:0:0/96): a public host is reached by its IPv4 address, never
 * this way. A list of its own, asked of IPv6 addresses only: BlockList matches an IPv4 address
 * against an IPv6 rule through this very mapping, so in REFUSED it would refuse every IPv4 address.
 */
const MAPPED: BlockList = (() => {
  const list = new BlockList();
  list.addSubnet('::ffff:0:0', 96, 'ipv6');
  return list;
})();

/** Why an IP address may not be connected to, or null when it may. Not an IP address: refused. */
export function refusedAddress(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return `${address} is not an IP address`;
  if (REFUSED.check(bare, family === 4 ? 'ipv4' : 'ipv6') || (family === 6 && MAPPED.check(bare, 'ipv6')))
    return `${bare} is a loopback, private, link-local or reserved address`;
  return null;
}

/** A destination the guard refused; the delivery fails with its message (and the URL check answers 400). */
export class NetworkGuardError extends Error {
  override name = 'NetworkGuardError';
  readonly code = 'ERR_HOOKPORT_NETWORK_GUARD';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
/** dns.lookup's shape, as net.connect calls it. */
export type LookupFunction = (
  hostname: string,
  options: { all?: boolean; family?: number | string },
  callback: LookupCallback,
) => void;

/** Resolves every address of a name (dns.lookup by default; tests give their own). */
export type Resolver = (
  hostname: string,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export const systemResolver: Resolver = (hostname, callback) =>
  dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => callback(err, addresses ?? []));

/**
 * A `lookup` for net.connect that resolves the name and refuses it when ANY of its addresses is
 * refused (so a name cannot mix a public and a private answer and be connected to the latter):
 * the check is made on exactly the addresses the socket will connect to, after DNS, so DNS
 * rebinding gains nothing. Literal IP hosts skip lookup in net.connect; the connector checks them.
 */
export function guardedLookup(resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, (err, addresses) => {
      if (err) return callback(err, options.all ? [] : '');
      const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : Number(options.family ?? 0);
      const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
      if (usable.length === 0) {
        const none = Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
        return callback(none, options.all ? [] : '');
      }
      for (const a of usable) {
        const why = refusedAddress(a.address);
        if (why)
          return callback(new NetworkGuardError(`refused to connect to ${hostname}: ${why}`), options.all ? [] : '');
      }
      if (options.all) return callback(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}
