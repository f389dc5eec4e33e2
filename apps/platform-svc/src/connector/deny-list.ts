import { BlockList, isIP } from 'node:net';

/**
 * Where the control plane must not connect on a caller's behalf (OWASP API7, SSRF): CIDRs, by
 * default the link-local ranges that hold cloud metadata services. Configurable
 * (`CONNECT_DENY_LIST`, comma-separated); empty denies nothing.
 */
export class DenyList {
  private readonly list = new BlockList();
  readonly ranges: string[];

  constructor(spec: string) {
    this.ranges = spec.split(',').map((s) => s.trim()).filter(Boolean);
    for (const range of this.ranges) {
      const [address, bits] = range.split('/');
      const family = isIP(address);
      const prefix = Number(bits ?? (family === 6 ? 128 : 32));
      if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
        throw new Error(`CONNECT_DENY_LIST: ${JSON.stringify(range)} is not a CIDR (e.g. 169.254.0.0/16)`);
      }
      this.list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
  }

  /** Whether an IP address lies in a denied range (IPv4-mapped IPv6 addresses count as IPv4). */
  denies(address: string): boolean {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const ip = mapped ? mapped[1] : address;
    const family = isIP(ip);
    return family !== 0 && this.list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  }
}
