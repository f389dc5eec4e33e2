import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Endpoint } from './endpoint';

/** The most of a remote's reply the control plane reads: enough for any API answer it expects. */
export const MAX_REPLY_BYTES = 64 * 1024;

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Why an HTTP call failed: the kind drives the recommendation; `message` is short and safe to show. */
export class CallFailure extends Error {
  constructor(readonly kind: 'timeout' | 'refused' | 'unreachable' | 'tls' | 'too-large' | 'network', message: string) {
    super(message);
  }
}

export interface HttpCall {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  verifyTls: boolean;
}

/**
 * One HTTP(S) request to an endpoint, connected to `address` (vetted against the deny list; no second
 * DNS lookup, so a rebinding name cannot redirect it), with the endpoint's host as Host and TLS server
 * name. Bounded in time (the whole exchange) and in size (the reply body).
 */
export function callHttp(endpoint: Endpoint, address: string, call: HttpCall): Promise<HttpAnswer> {
  const family = isIP(address);
  const lookup: LookupFunction = (_host, options, done) => {
    if ((options as { all?: boolean }).all) (done as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else done(null, address, family);
  };
  const send = endpoint.scheme === 'https' ? httpsRequest : httpRequest;
  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, answer?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(answer!);
    };
    const req = send({
      host: endpoint.host, port: endpoint.port, method: call.method, path: call.path, lookup,
      headers: { Accept: 'application/json', ...call.headers, ...(call.body !== undefined ? { 'Content-Length': Buffer.byteLength(call.body) } : {}) },
      rejectUnauthorized: call.verifyTls, servername: isIP(endpoint.host) ? undefined : endpoint.host, agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_REPLY_BYTES) {
          req.destroy();
          finish(new CallFailure('too-large', `the reply is larger than ${MAX_REPLY_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => finish(failureOf(error)));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish(new CallFailure('timeout', `no answer within ${call.timeoutMs} ms`));
    }, call.timeoutMs);
    req.on('error', (error) => finish(failureOf(error)));
    req.end(call.body);
  });
}

export function failureOf(error: Error & { code?: string }): CallFailure {
  if (error instanceof CallFailure) return error;
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return new CallFailure('refused', 'connection refused');
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new CallFailure('unreachable', `no route to host (${code})`);
  if (code === 'ETIMEDOUT') return new CallFailure('timeout', 'connection timed out');
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code) || /certificate|ssl|tls/i.test(error.message)) {
    return new CallFailure('tls', `TLS failed: ${code || 'handshake error'}`);
  }
  return new CallFailure('network', `${code || 'network error'}`);
}

/** A short, printable excerpt of a remote's text (never more than `max` characters, no control characters). */
export function excerpt(text: string, max = 120): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

export function jsonOf(answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.body);
  } catch {
    return undefined;
  }
}
