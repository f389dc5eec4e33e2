import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { serveLocally, type LocalServer } from './local-server';

/** Endpoints that misbehave, for the connection test and negotiation to fail on cleanly. 127.0.0.1 only. */

/** Accepts TCP connections and never says a word (a TLS handshake or an HTTP request waits forever). */
export function startHangingServer(): Promise<LocalServer> {
  return serveLocally(createTcpServer(() => undefined), 'tcp');
}

/**
 * Answers every request with a web page, as a misconfigured port or a proxy's landing page would.
 * `echoHeaders` puts the request's headers in the page, as some debug pages do: credentials the
 * client sent must still never be quoted back.
 */
export function startHtmlServer(options: { echoHeaders?: boolean } = {}): Promise<LocalServer> {
  return serveLocally(createHttpServer((req, res) => {
    const echoed = options.echoHeaders ? `<pre>${JSON.stringify(req.headers)}</pre>` : '';
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      .end(`<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1>${echoed}</body></html>`);
  }));
}

/** Streams an endless JSON-looking body, without a Content-Length, as fast as the client reads. */
export function startFloodServer(): Promise<LocalServer> {
  return serveLocally(createHttpServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"padding":"');
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) { /* until the socket pushes back */ }
    };
    res.on('drain', pump);
    pump();
  }));
}

/** A port on 127.0.0.1 that nothing listens on: connecting is refused at once. */
export async function closedPort(): Promise<number> {
  const server = await serveLocally(createTcpServer(), 'tcp');
  await server.close();
  return server.port;
}
