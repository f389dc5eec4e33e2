import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readJson, selfSignedCertificate, sendJson, seen, serveLocally, type LocalServer, type SeenRequest } from './local-server';

export interface FakeKeystoneOptions {
  username: string;
  password: string;
  tls?: boolean;
  /**
   * Whether the user has a default project (default true): then password auth without a scope
   * returns a project-scoped token, as Keystone does; otherwise an unscoped one.
   */
  defaultProject?: boolean;
  /** Answer 403 to GET /v3/auth/projects. */
  denyProjects?: boolean;
}

export interface FakeKeystone extends LocalServer {
  modes: { denyProjects: boolean };
  userId: string;
  projectId: string;
  /** Application credentials by id. */
  credentials: Map<string, { name: string; secret: string; projectId: string }>;
  /** Live tokens and the project each is scoped to (null: unscoped). */
  tokens: Map<string, string | null>;
  requests: SeenRequest[];
  ca?: string;
}

const keystoneError = (code: number, title: string, message: string) => ({ error: { code, message, title } });
const UNAUTHORIZED = keystoneError(401, 'Unauthorized', 'The request you have made requires authentication.');

/**
 * Keystone v3 for one user in the `default` domain with one project: GET /v3 (version document),
 * POST /v3/auth/tokens (password, application_credential and token methods; 201 with
 * X-Subject-Token; 401 JSON), DELETE /v3/auth/tokens, POST /v3/users/{id}/application_credentials
 * (needs a project-scoped token; 201 with the secret), GET /v3/auth/projects (200, or 403 in the
 * no-permission mode).
 */
export async function startFakeKeystone(options: FakeKeystoneOptions): Promise<FakeKeystone> {
  const modes = { denyProjects: options.denyProjects ?? false };
  const userId = randomBytes(16).toString('hex');
  const projectId = randomBytes(16).toString('hex');
  const credentials = new Map<string, { name: string; secret: string; projectId: string }>();
  const tokens = new Map<string, string | null>();
  const requests: SeenRequest[] = [];

  /** The project a valid auth request is scoped to (null: unscoped), or undefined when it is refused. */
  function authenticate(auth: any): string | null | undefined {
    const identity = auth?.identity;
    const method = identity?.methods?.[0];
    if (method === 'password') {
      const user = identity.password?.user;
      if (user?.name !== options.username || user?.password !== options.password || user?.domain?.id !== 'default') return undefined;
      return auth.scope?.project?.id === projectId || (auth.scope === undefined && (options.defaultProject ?? true)) ? projectId : null;
    }
    if (method === 'application_credential') {
      const credential = credentials.get(identity.application_credential?.id);
      return credential && credential.secret === identity.application_credential?.secret ? credential.projectId : undefined;
    }
    if (method === 'token') {
      if (!tokens.has(identity.token?.id)) return undefined;
      return auth.scope?.project?.id === projectId ? projectId : null;
    }
    return undefined;
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    requests.push(seen(req));
    const route = `${req.method} ${req.url}`;
    if (route === 'GET /v3') {
      return sendJson(res, 200, {
        version: {
          id: 'v3.14', status: 'stable', updated: '2020-04-07T00:00:00Z',
          links: [{ rel: 'self', href: `${fake.url}/v3/` }],
          'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
        },
      });
    }
    if (route === 'POST /v3/auth/tokens') {
      const body = await readJson(req);
      const scope = authenticate(body?.auth);
      if (scope === undefined) return sendJson(res, 401, UNAUTHORIZED);
      const token = `gAAAAA${randomBytes(24).toString('base64url')}`;
      tokens.set(token, scope);
      return sendJson(res, 201, {
        token: {
          methods: body.auth.identity.methods, user: { id: userId, name: options.username, domain: { id: 'default', name: 'Default' } },
          ...(scope ? { project: { id: projectId, name: 'demo', domain: { id: 'default', name: 'Default' } } } : {}),
          expires_at: new Date(Date.now() + 3_600_000).toISOString(), issued_at: new Date().toISOString(),
        },
      }, { 'X-Subject-Token': token });
    }
    const token = String(req.headers['x-auth-token'] ?? '');
    if (!tokens.has(token)) return sendJson(res, 401, UNAUTHORIZED);
    if (route === 'DELETE /v3/auth/tokens') {
      tokens.delete(String(req.headers['x-subject-token'] ?? ''));
      return void res.writeHead(204).end();
    }
    if (route === `POST /v3/users/${userId}/application_credentials`) {
      const scoped = tokens.get(token);
      if (!scoped) return sendJson(res, 403, keystoneError(403, 'Forbidden', 'Application credentials need a project-scoped token.'));
      const name = (await readJson(req))?.application_credential?.name;
      if (typeof name !== 'string') return sendJson(res, 400, keystoneError(400, 'Bad Request', "'name' is a required property"));
      const id = randomBytes(16).toString('hex');
      const secret = randomBytes(32).toString('base64url');
      credentials.set(id, { name, secret, projectId: scoped });
      return sendJson(res, 201, { application_credential: { id, name, secret, project_id: scoped, user_id: userId, roles: [{ id: 'r1', name: 'reader' }], unrestricted: false } });
    }
    if (route === 'GET /v3/auth/projects') {
      if (modes.denyProjects) return sendJson(res, 403, keystoneError(403, 'Forbidden', 'You are not authorized to perform the requested action: identity:get_auth_projects.'));
      return sendJson(res, 200, { projects: [{ id: projectId, name: 'demo', domain_id: 'default', enabled: true }], links: { self: `${fake.url}/v3/auth/projects` } });
    }
    sendJson(res, 404, keystoneError(404, 'Not Found', 'The resource could not be found.'));
  };

  const certificate = options.tls ? selfSignedCertificate() : undefined;
  const server = certificate ? createHttpsServer(certificate, handle) : createHttpServer(handle);
  const local = await serveLocally(server, certificate ? 'https' : 'http');
  const fake: FakeKeystone = { ...local, modes, userId, projectId, credentials, tokens, requests, ca: certificate?.cert };
  return fake;
}
