import { isIP } from 'node:net';
import type { PlatformProductType } from '@cp/contracts';

/** Where a connection test or a negotiation goes. `host` has no brackets (an IPv6 literal is bare). */
export interface Endpoint {
  scheme: 'http' | 'https';
  host: string;
  port: number;
}

/**
 * `host:port`, `[v6]:port` or an http(s) URL (its path is ignored: each product's API has its own).
 * A bare `host:port` means http for zstack and https for vmware and openstack (control-plane-api.md).
 * Returns the field error text instead when the endpoint is not one.
 */
export function parseEndpoint(productType: PlatformProductType, text: string): Endpoint | string {
  const bad = 'field[endpoint] must be host:port, [ipv6]:port or an http(s) URL';
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(trimmed) ? trimmed : `${productType === 'zstack' ? 'http' : 'https'}://${trimmed}`);
  } catch {
    return bad;
  }
  if (url.username || url.password) return 'field[endpoint] must not carry a user or password';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) return bad;
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  // URL drops a port equal to the scheme's default: read it from the text.
  const given = /^(?:https?:\/\/)?(?:\[[^\]]+\]|[^/:]+):(\d{1,5})(?:[/?#]|$)/i.exec(trimmed);
  if (!given && !/^https?:\/\//i.test(trimmed)) return 'field[endpoint] needs a port (host:port)';
  const port = given ? Number(given[1]) : scheme === 'https' ? 443 : 80;
  if (port < 1 || port > 65535) return 'field[endpoint] has a port outside 1..65535';
  return { scheme, host, port };
}

export function endpointOf(target: { hostIp: string; hostPort: number; useTls: boolean }): Endpoint {
  return { scheme: target.useTls ? 'https' : 'http', host: target.hostIp, port: target.hostPort };
}

export const hostForUrl = (host: string) => (isIP(host) === 6 ? `[${host}]` : host);
export const baseUrl = (e: Endpoint) => `${e.scheme}://${hostForUrl(e.host)}:${e.port}`;
