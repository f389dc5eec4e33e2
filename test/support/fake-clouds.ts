import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';

/**
 * Small local servers standing in for products we cannot run here (the only test doubles allowed):
 * vSphere's Automation API, Keystone v3, and hostile endpoints. 127.0.0.1 only.
 */

export interface Running {
  port: number;
  close(): Promise<void>;
}

async function listen(server: Server | TcpServer, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function closer(server: Server | TcpServer, sockets: Set<Socket>): () => Promise<void> {
  return () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
}

function track(server: Server | TcpServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
};

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** vSphere Automation API: GET /api (401 JSON), POST /api/session (Basic → 201 "<id>"), DELETE /api/session, GET /api/vcenter/datacenter. */
export interface FakeVSphere extends Running {
  /** Answer 403 to the datacenter list (a user without permission). */
  denyDatacenters: boolean;
  sessions: Set<string>;
}

/** A certificate and key for `localhost`, self-signed, made for one test run (no CA trusts it). */
export function selfSignedCertificate(): { key: string; cert: string } {
  // The package ships no types: required, with the one call used here typed.
  const selfsigned = require('selfsigned') as { generate(attrs: unknown[], opts: unknown): { private: string; cert: string } };
  const pems = selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    days: 1, keySize: 2048, extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  });
  return { key: pems.private, cert: pems.cert };
}

/**
 * `port` 0 picks a free one; a given port brings a stopped vSphere back where it was. With `tls`,
 * it speaks https (as a real vCenter does) with that certificate.
 */
export async function startFakeVSphere(user: string, password: string, port = 0, tls?: { key: string; cert: string }): Promise<FakeVSphere> {
  const state = { denyDatacenters: false, sessions: new Set<string>() };
  const handler: RequestListener = (req, res) => {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === '/api') return json(res, 401, { error_type: 'UNAUTHENTICATED', messages: [] });
    if (req.method === 'POST' && url === '/api/session') {
      const [kind, encoded] = (req.headers.authorization ?? '').split(' ');
      const given = kind === 'Basic' ? Buffer.from(encoded ?? '', 'base64').toString('utf8') : '';
      if (given !== `${user}:${password}`) return json(res, 401, { error_type: 'UNAUTHENTICATED', messages: [{ default_message: 'Authentication required.' }] });
      const id = randomBytes(16).toString('hex');
      state.sessions.add(id);
      return json(res, 201, id);
    }
    const session = String(req.headers['vmware-api-session-id'] ?? '');
    if (req.method === 'DELETE' && url === '/api/session') {
      state.sessions.delete(session);
      return void res.writeHead(204).end();
    }
    if (req.method === 'GET' && url === '/api/vcenter/datacenter') {
      if (!state.sessions.has(session)) return json(res, 401, { error_type: 'UNAUTHENTICATED' });
      if (fake.denyDatacenters) return json(res, 403, { error_type: 'UNAUTHORIZED' });
      return json(res, 200, [{ datacenter: 'datacenter-1', name: 'DC1' }]);
    }
    json(res, 404, { error_type: 'NOT_FOUND' });
  };
  const server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  const sockets = track(server);
  const fake: FakeVSphere = { port: await listen(server, port), close: closer(server, sockets), ...state };
  return fake;
}

/** Keystone v3: GET /v3, POST /v3/auth/tokens (password, application_credential), application credentials, GET /v3/auth/projects. */
export interface FakeKeystone extends Running {
  denyProjects: boolean;
  credentials: Map<string, { name: string; secret: string }>;
}

export async function startFakeKeystone(user: string, password: string): Promise<FakeKeystone> {
  const userId = randomBytes(16).toString('hex');
  const tokens = new Set<string>();
  const credentials = new Map<string, { name: string; secret: string }>();
  const unauthorized = { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } };
  const server = createServer(async (req, res) => {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === '/v3') {
      return json(res, 200, { version: { id: 'v3.14', status: 'stable', updated: '2020-04-07T00:00:00Z', links: [], 'media-types': [] } });
    }
    if (req.method === 'POST' && url === '/v3/auth/tokens') {
      const identity = ((await bodyOf(req)) as { auth?: { identity?: Record<string, any> } } | undefined)?.auth?.identity;
      let ok = false;
      if (identity?.methods?.[0] === 'password') {
        const u = identity.password?.user;
        ok = u?.name === user && u?.password === password;
      } else if (identity?.methods?.[0] === 'application_credential') {
        const c = identity.application_credential;
        ok = credentials.get(c?.id)?.secret === c?.secret;
      }
      if (!ok) return json(res, 401, unauthorized);
      const token = randomBytes(16).toString('hex');
      tokens.add(token);
      return json(res, 201, { token: { user: { id: userId, name: user, domain: { id: 'default' } }, methods: [identity!.methods[0]] } }, { 'X-Subject-Token': token });
    }
    const token = String(req.headers['x-auth-token'] ?? '');
    if (!tokens.has(token)) return json(res, 401, unauthorized);
    if (req.method === 'POST' && url === `/v3/users/${userId}/application_credentials`) {
      const name = ((await bodyOf(req)) as { application_credential?: { name?: string } } | undefined)?.application_credential?.name ?? 'cred';
      const id = randomBytes(16).toString('hex');
      const secret = randomBytes(24).toString('base64url');
      credentials.set(id, { name, secret });
      return json(res, 201, { application_credential: { id, name, secret, user_id: userId } });
    }
    if (req.method === 'GET' && url === '/v3/auth/projects') {
      if (fake.denyProjects) return json(res, 403, { error: { code: 403, message: 'forbidden', title: 'Forbidden' } });
      return json(res, 200, { projects: [{ id: 'p1', name: 'demo' }], links: {} });
    }
    json(res, 404, { error: { code: 404, message: 'not found', title: 'Not Found' } });
  });
  const sockets = track(server);
  const port = await listen(server);
  const fake: FakeKeystone = { port, close: closer(server, sockets), denyProjects: false, credentials };
  return fake;
}

/** Accepts TCP and never answers. */
export async function startHangingServer(): Promise<Running> {
  const server = createTcpServer(() => undefined);
  const sockets = track(server);
  return { port: await listen(server), close: closer(server, sockets) };
}

/** Answers every request with an HTML page (a web server, not an API); `echo` puts the request's headers in it. */
export async function startHtmlServer(echo = false): Promise<Running> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' })
      .end(`<html><body><h1>Welcome to nginx!</h1>${echo ? JSON.stringify(req.headers) : ''}</body></html>`);
  });
  const sockets = track(server);
  return { port: await listen(server), close: closer(server, sockets) };
}

/** Streams an endless JSON-looking body. */
export async function startFloodServer(): Promise<Running> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (res.write(chunk)) { /* until the socket pushes back */ }
    };
    res.on('drain', pump);
    pump();
  });
  const sockets = track(server);
  return { port: await listen(server), close: closer(server, sockets) };
}

/** A port nothing listens on (connection refused). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
