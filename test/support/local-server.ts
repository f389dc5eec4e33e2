import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { AddressInfo, Server as TcpServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small local server standing in for something the project cannot run; 127.0.0.1 only. */
export interface LocalServer {
  /** `http://127.0.0.1:<port>` (https for TLS doubles). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (a free port) and returns how to reach and stop it; close() also ends open connections. */
export async function serveLocally(server: HttpServer | TcpServer, scheme: 'http' | 'https' | 'tcp' = 'http'): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  // The raw TCP sockets (a TLS server's too), so that close() also ends hung and half-done connections.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${scheme === 'tcp' ? 'http' : scheme}://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers }).end(text);
}

/** The request's JSON body, or undefined when it is not JSON (bounded: a double reads small bodies only). */
export async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** What a double saw of a request: enough to check where and how the client connected. */
export interface SeenRequest {
  method: string;
  url: string;
  host: string | undefined;
  /** The TLS server name the client announced (SNI); undefined over plain HTTP or without SNI. */
  servername: string | undefined;
  headers: IncomingMessage['headers'];
}

export function seen(req: IncomingMessage): SeenRequest {
  const servername = (req.socket as { servername?: string | false }).servername;
  return { method: req.method ?? '', url: req.url ?? '', host: req.headers.host, servername: servername || undefined, headers: req.headers };
}

export interface Certificate {
  key: string;
  cert: string;
}

let certificate: Certificate | undefined;

/**
 * A self-signed certificate for `localhost` and `127.0.0.1`, made once per test process with the
 * openssl command line (Node cannot issue certificates). Its PEM doubles as the CA a client trusts.
 */
export function selfSignedCertificate(): Certificate {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'cp-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'pipe' });
    certificate = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    return certificate;
  } catch (error) {
    throw new Error(`the TLS test doubles need the openssl command line to make a certificate: ${(error as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
