import { createHash, randomBytes } from 'node:crypto';
import { accessKeyDate, accessKeySignature, type PlatformProductType } from '@cp/contracts';
import { CallFailure, excerpt, jsonOf, type HttpAnswer, type HttpCall } from './http-call';

/** A step's failure: its kind picks the recommendation; the message is short and holds no secret. */
export class StepFailure extends Error {
  constructor(readonly kind: FailureKind, message: string) {
    super(message);
  }
}

export type FailureKind =
  | 'dns' | 'refused' | 'timeout' | 'unreachable' | 'tls' | 'too-large' | 'network' | 'not-product' | 'auth' | 'permission';

/** Calls the endpoint (address pinned, bounded) with this step's timeout. */
export type Caller = (call: Omit<HttpCall, 'timeoutMs' | 'verifyTls'>) => Promise<HttpAnswer>;

/** What `authenticate` leaves for `permission_check` and cleanup: a token, a session, or the signing key. */
export interface Authenticated {
  headers: Record<string, string>;
  logout?: Omit<HttpCall, 'timeoutMs' | 'verifyTls'>;
}

/** The three API steps of one product: unauthenticated reachability, authentication, a read-only query. */
export interface ProductApi {
  reachable(call: Caller): Promise<void>;
  authenticate(call: Caller, accessKey: string, secret: string): Promise<Authenticated>;
  permission(call: Caller, auth: Authenticated, accessKey: string, secret: string): Promise<void>;
}

const notProduct = (product: string, answer: HttpAnswer) =>
  new StepFailure('not-product', `not a ${product} API: HTTP ${answer.status} ${excerpt(answer.body, 80)}`);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** ZStack: its REST API under /zstack/v1, requests signed with the access key (zstack-wire.md §9). */
const zstack: ProductApi = {
  async reachable(call) {
    // ValidateSession needs no credential and answers JSON on every ZStack (ours included).
    const answer = await call({ method: 'GET', path: `/zstack/v1/accounts/sessions/${'0'.repeat(32)}/valid` });
    const body = jsonOf(answer);
    if (!isObject(body) || !('valid' in body || 'error' in body)) throw notProduct('ZStack', answer);
  },
  async authenticate(call, accessKey, secret) {
    const signed = signedHeaders(accessKey, secret, 'GET', '/v1/accesskeys');
    const answer = await call({ method: 'GET', path: '/zstack/v1/accesskeys?limit=1', headers: signed });
    if (answer.status === 200) return { headers: {} };
    const error = (jsonOf(answer) as { error?: { code?: string; details?: string } } | undefined)?.error;
    if (answer.status === 403 && /skew/i.test(answer.body)) throw new StepFailure('auth', 'the clocks differ by more than 15 minutes (requestTimeTooSkewed)');
    if (error?.code === 'ID.1001' || answer.status === 401 || answer.status === 403) {
      throw new StepFailure('auth', `the access key was refused: ${excerpt(error?.details ?? answer.body, 80)}`);
    }
    throw notProduct('ZStack', answer);
  },
  async permission(call, _auth, accessKey, secret) {
    // What sync reads first: the accounts it may see.
    const answer = await call({ method: 'GET', path: '/zstack/v1/accounts?limit=1', headers: signedHeaders(accessKey, secret, 'GET', '/v1/accounts') });
    if (answer.status === 200) return;
    const error = (jsonOf(answer) as { error?: { code?: string; details?: string } } | undefined)?.error;
    throw new StepFailure('permission', `reading accounts was refused: ${error?.code ?? answer.status} ${excerpt(error?.details ?? '', 80)}`);
  },
};

function signedHeaders(accessKey: string, secret: string, method: string, path: string): Record<string, string> {
  const date = accessKeyDate();
  return { Date: date, Authorization: `ZStack ${accessKey}:${accessKeySignature(secret, method, date, path)}` };
}

/** VMware vSphere Automation API: `/api`, sessions by HTTP Basic, the session id in `vmware-api-session-id`. */
const vmware: ProductApi = {
  async reachable(call) {
    const answer = await call({ method: 'GET', path: '/api' });
    // vCenter answers JSON here (401 or 404 with an error_type, or a document): never an HTML page.
    const body = jsonOf(answer);
    if (body === undefined || !/json/i.test(String(answer.headers['content-type'] ?? ''))) throw notProduct('vSphere', answer);
  },
  async authenticate(call, user, password) {
    const basic = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
    const answer = await call({ method: 'POST', path: '/api/session', headers: { Authorization: `Basic ${basic}` } });
    const session = jsonOf(answer);
    if ((answer.status === 201 || answer.status === 200) && typeof session === 'string') {
      return { headers: { 'vmware-api-session-id': session }, logout: { method: 'DELETE', path: '/api/session', headers: { 'vmware-api-session-id': session } } };
    }
    if (answer.status === 401 || answer.status === 403) throw new StepFailure('auth', `the user or password was refused (HTTP ${answer.status})`);
    throw notProduct('vSphere', answer);
  },
  async permission(call, auth) {
    const answer = await call({ method: 'GET', path: '/api/vcenter/datacenter', headers: auth.headers });
    if (answer.status === 200 && Array.isArray(jsonOf(answer))) return;
    throw new StepFailure('permission', `listing datacenters was refused (HTTP ${answer.status})`);
  },
};

/** OpenStack Keystone v3: the version document, application-credential tokens in `X-Subject-Token`. */
const openstack: ProductApi = {
  async reachable(call) {
    const answer = await call({ method: 'GET', path: '/v3' });
    const body = jsonOf(answer) as { version?: { id?: unknown } } | undefined;
    if (answer.status !== 200 || typeof body?.version?.id !== 'string' || !body.version.id.startsWith('v3')) throw notProduct('Keystone v3', answer);
  },
  async authenticate(call, id, secret) {
    const body = JSON.stringify({ auth: { identity: { methods: ['application_credential'], application_credential: { id, secret } } } });
    const answer = await call({ method: 'POST', path: '/v3/auth/tokens', headers: { 'Content-Type': 'application/json' }, body });
    const token = answer.headers['x-subject-token'];
    if (answer.status === 201 && typeof token === 'string') return { headers: { 'X-Auth-Token': token } };
    if (answer.status === 401 || answer.status === 403 || answer.status === 404) {
      throw new StepFailure('auth', `the application credential was refused (HTTP ${answer.status})`);
    }
    throw notProduct('Keystone v3', answer);
  },
  async permission(call, auth) {
    const answer = await call({ method: 'GET', path: '/v3/auth/projects', headers: auth.headers });
    if (answer.status === 200 && isObject(jsonOf(answer))) return;
    throw new StepFailure('permission', `listing projects was refused (HTTP ${answer.status})`);
  },
};

export const PRODUCTS: Record<PlatformProductType, ProductApi> = { zstack, vmware, openstack };

/** What negotiation yields: the credential to keep (its secret encrypted by the caller) and the remote's version. */
export interface NegotiatedCredential {
  accessKeyName: string;
  accessKeyId?: string;
  secret: string;
  version: string | null;
}

const sha512 = (text: string) => createHash('sha512').update(text, 'utf8').digest('hex');

/**
 * Initial credential negotiation (control-plane-api.md): the control plane's own credential, made
 * with the admin login the operator gave. Network failures surface as CallFailure / StepFailure.
 */
export const NEGOTIATORS: Record<PlatformProductType, (call: Caller, username: string, password: string) => Promise<NegotiatedCredential>> = {
  async zstack(call, username, password) {
    const login = await call({ method: 'PUT', path: '/zstack/v1/accounts/login', body: JSON.stringify({ logInByAccount: { accountName: username, password: sha512(password) } }) });
    const session = (jsonOf(login) as { inventory?: { uuid?: string; accountUuid?: string } } | undefined)?.inventory;
    if (login.status !== 200 || !session?.uuid || !session.accountUuid) {
      if (login.status === 503) throw new StepFailure('auth', `the login was refused: ${excerpt(((jsonOf(login) as { error?: { details?: string } }) ?? {}).error?.details ?? '', 80)}`);
      throw notProduct('ZStack', login);
    }
    const oauth = { Authorization: `OAuth ${session.uuid}` };
    try {
      let answer = await call({
        method: 'POST', path: '/zstack/v1/accesskeys', headers: oauth,
        body: JSON.stringify({ params: { accountUuid: session.accountUuid, description: 'control plane federation' } }),
      });
      for (let polls = 0; answer.status === 202 && polls < 50; polls++) {
        const location = (jsonOf(answer) as { location?: string } | undefined)?.location ?? '';
        const path = location.replace(/^https?:\/\/[^/]+/, '');
        if (!path.startsWith('/zstack/v1/api-jobs/')) throw notProduct('ZStack', answer);
        await new Promise((r) => setTimeout(r, 100));
        answer = await call({ method: 'GET', path, headers: oauth });
      }
      const key = (jsonOf(answer) as { inventory?: { AccessKeyID?: string; AccessKeySecret?: string } } | undefined)?.inventory;
      if (answer.status !== 200 || !key?.AccessKeyID || !key.AccessKeySecret) {
        const error = (jsonOf(answer) as { error?: { code?: string; details?: string } } | undefined)?.error;
        throw new StepFailure('permission', `CreateAccessKey was refused: ${error?.code ?? answer.status} ${excerpt(error?.details ?? '', 80)}`);
      }
      return { accessKeyName: key.AccessKeyID, secret: key.AccessKeySecret, version: null };
    } finally {
      await call({ method: 'DELETE', path: `/zstack/v1/accounts/sessions/${session.uuid}` }).catch(() => undefined);
    }
  },

  async vmware(call, username, password) {
    const auth = await vmware.authenticate(call, username, password);
    if (auth.logout) await call(auth.logout).catch(() => undefined);
    return { accessKeyName: username, secret: password, version: null };
  },

  async openstack(call, username, password) {
    const version = (jsonOf(await call({ method: 'GET', path: '/v3' })) as { version?: { id?: string } } | undefined)?.version?.id ?? null;
    const body = JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: username, domain: { id: 'default' }, password } } } } });
    const login = await call({ method: 'POST', path: '/v3/auth/tokens', headers: { 'Content-Type': 'application/json' }, body });
    const token = login.headers['x-subject-token'];
    const userId = (jsonOf(login) as { token?: { user?: { id?: string } } } | undefined)?.token?.user?.id;
    if (login.status === 401) throw new StepFailure('auth', 'the user or password was refused (HTTP 401)');
    if (login.status !== 201 || typeof token !== 'string' || !userId) throw notProduct('Keystone v3', login);
    const name = `control-plane-${randomBytes(4).toString('hex')}`;
    const created = await call({
      method: 'POST', path: `/v3/users/${encodeURIComponent(userId)}/application_credentials`,
      headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
      body: JSON.stringify({ application_credential: { name, description: 'control plane federation' } }),
    });
    const credential = (jsonOf(created) as { application_credential?: { id?: string; name?: string; secret?: string } } | undefined)?.application_credential;
    if (created.status !== 201 || !credential?.id || !credential.secret) {
      throw new StepFailure('permission', `creating an application credential was refused (HTTP ${created.status})`);
    }
    return { accessKeyName: credential.name ?? name, accessKeyId: credential.id, secret: credential.secret, version };
  },
};

export { CallFailure };
