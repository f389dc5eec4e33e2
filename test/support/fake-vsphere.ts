import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { selfSignedCertificate, sendJson, seen, serveLocally, type LocalServer, type SeenRequest } from './local-server';

export interface FakeVSphereOptions {
  username: string;
  password: string;
  /** Serve https with a self-signed certificate for localhost / 127.0.0.1 (its PEM is `ca`). */
  tls?: boolean;
  /** Answer 403 to the datacenter list: a user without read permission. */
  denyDatacenters?: boolean;
  version?: string;
}

export interface FakeVSphere extends LocalServer {
  /** Modes that tests may flip between requests. */
  modes: { denyDatacenters: boolean };
  /** Open session ids. */
  sessions: Set<string>;
  requests: SeenRequest[];
  /** The certificate to trust when `tls` is on. */
  ca?: string;
}

const vapiError = (type: string, message: string) => ({
  error_type: type, messages: [{ args: [], default_message: message, id: `com.vmware.vapi.${type.toLowerCase()}` }],
});

/**
 * vCenter's Automation API (/api), as far as connection tests and negotiation use it: GET /api
 * (401 JSON without a session), POST /api/session (HTTP Basic → 201 and the session id as a JSON
 * string; 401 UNAUTHENTICATED), DELETE /api/session, GET /api/vcenter/datacenter (200 array with a
 * session; 401 without; 403 in the no-permission mode) and GET /api/appliance/system/version.
 */
export async function startFakeVSphere(options: FakeVSphereOptions): Promise<FakeVSphere> {
  const modes = { denyDatacenters: options.denyDatacenters ?? false };
  const sessions = new Set<string>();
  const requests: SeenRequest[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(seen(req));
    const route = `${req.method} ${req.url}`;
    const session = String(req.headers['vmware-api-session-id'] ?? '');
    const unauthenticated = () => sendJson(res, 401, vapiError('UNAUTHENTICATED', 'Authentication required.'));
    if (route === 'GET /api') return unauthenticated();
    if (route === 'POST /api/session') {
      const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
      const given = scheme === 'Basic' ? Buffer.from(encoded ?? '', 'base64').toString('utf8') : '';
      if (given !== `${options.username}:${options.password}`) return unauthenticated();
      const id = randomBytes(16).toString('hex');
      sessions.add(id);
      return sendJson(res, 201, id);
    }
    if (!sessions.has(session)) return unauthenticated();
    if (route === 'DELETE /api/session') {
      sessions.delete(session);
      return void res.writeHead(204).end();
    }
    if (route === 'GET /api/vcenter/datacenter') {
      if (modes.denyDatacenters) return sendJson(res, 403, vapiError('UNAUTHORIZED', 'Permission denied.'));
      return sendJson(res, 200, [{ datacenter: 'datacenter-3', name: 'DC1' }]);
    }
    if (route === 'GET /api/appliance/system/version') {
      return sendJson(res, 200, { version: options.version ?? '8.0.2.00100', build: '22617221', product: 'VMware vCenter Server', type: 'vCenter Server with an embedded Platform Services Controller' });
    }
    sendJson(res, 404, vapiError('NOT_FOUND', 'Not found.'));
  };

  const certificate = options.tls ? selfSignedCertificate() : undefined;
  const server = certificate ? createHttpsServer(certificate, handle) : createHttpServer(handle);
  const local = await serveLocally(server, certificate ? 'https' : 'http');
  return { ...local, modes, sessions, requests, ca: certificate?.cert };
}
