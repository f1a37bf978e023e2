import { guardedLookup, refusedAddress, type Resolver } from '../../src/deliveries/network-guard';

describe('network guard', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '100.127.255.254',
    '169.254.169.254',
    '169.254.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '198.18.0.1',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    'fd00::1',
    'fc12::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
    '0:0:0:0:0:ffff:a9fe:a9fe',
    '64:ff9b::7f00:1',
    '64:ff9b::169.254.169.254',
    '2002:a9fe:a9fe::1',
    '2002:7f00:1::',
    '::127.0.0.1',
    '[::1]',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '100::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001:db8::1',
    '3fff:abc::1',
    '192.0.2.10',
    '198.51.100.7',
    '203.0.113.200',
  ])('refuses %s', (address) => {
    expect(refusedAddress(address)).toEqual(expect.any(String));
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '169.255.0.1',
    '2606:4700::1111',
    '2001:4860:4860::8888',
    '2620:fe::fe',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows %s', (address) => {
    expect(refusedAddress(address)).toBeNull();
  });

  it('refuses what is not an IP address', () => {
    expect(refusedAddress('localhost')).toEqual(expect.stringContaining('not an IP address'));
  });

  const resolver =
    (table: Record<string, string[]>): Resolver =>
    (host, cb) =>
      cb(
        null,
        (table[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
  const lookup = (host: string, all: boolean, table: Record<string, string[]>) =>
    new Promise<unknown>((resolve, reject) =>
      guardedLookup(resolver(table))(host, { all }, (err, address) => (err ? reject(err) : resolve(address))),
    );

  it('refuses a name when any of its addresses is refused (DNS rebinding to the metadata service or loopback)', async () => {
    await expect(lookup('rebind.example', true, { 'rebind.example': ['169.254.169.254'] })).rejects.toThrow(
      /refused to connect to rebind\.example/,
    );
    await expect(lookup('mixed.example', false, { 'mixed.example': ['8.8.8.8', '127.0.0.1'] })).rejects.toThrow(
      /127\.0\.0\.1/,
    );
    await expect(lookup('v6.example', true, { 'v6.example': ['::ffff:127.0.0.1'] })).rejects.toThrow(/refused/);
  });

  it('passes a public name through in the form net.connect asked for', async () => {
    const table = { 'public.example': ['93.184.216.34', '2606:4700::1111'] };
    expect(await lookup('public.example', true, table)).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700::1111', family: 6 },
    ]);
    expect(await lookup('public.example', false, table)).toBe('93.184.216.34');
  });
});
