import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { invalidArgument, type PlatformProductType } from '@cp/contracts';
import type { DenyList } from './deny-list';
import type { Endpoint } from './endpoint';
import { CallFailure, callHttp, excerpt, failureOf } from './http-call';
import { PRODUCTS, StepFailure, type Authenticated, type Caller, type FailureKind } from './products';

export interface TestItem {
  name: string;
  status: 'success' | 'failure' | 'skipped';
  latencyMs: string;
  errorMsg?: string;
}

export interface ConnectionTestResult {
  success: boolean;
  items: TestItem[];
  recommendation: string;
}

export interface ConnectOptions {
  denyList: DenyList;
  stepTimeoutMs: number;
  totalTimeoutMs: number;
  /** For tests: resolve names without the system resolver. */
  resolve?: (host: string) => Promise<string[]>;
}

export interface ConnectionTestInput {
  productType: PlatformProductType;
  endpoint: Endpoint;
  accessKey: string;
  secretKey: string;
  verifyTls: boolean;
}

const RECOMMENDATIONS: Record<FailureKind | 'ok', (e: Endpoint) => string> = {
  ok: () => 'All checks passed: the platform is reachable and the credential can read what sync needs.',
  dns: (e) => `Check the host name ${e.host}: it does not resolve; fix the name or the DNS resolver this control plane uses.`,
  refused: (e) => `Nothing accepts connections on ${e.host} port ${e.port}: check the port, that the API service runs, and the firewall rules for port ${e.port}.`,
  timeout: (e) => `${e.host} port ${e.port} does not answer in time: check the route and the firewall between this control plane and the platform.`,
  unreachable: (e) => `There is no route to ${e.host}: check the network route and the firewall.`,
  tls: (e) => `The TLS handshake with ${e.host} failed: check its certificate (name, expiry, issuer) or that the endpoint really speaks https.`,
  'too-large': () => 'The endpoint sent far more than an API answer: check that the endpoint points at the platform API.',
  network: (e) => `The connection to ${e.host} port ${e.port} failed: check the network path.`,
  'not-product': (e) => `The endpoint ${e.host}:${e.port} does not answer as the product's API: check the product type, the port and the scheme (http or https).`,
  auth: () => 'The credential was refused: check the access key and secret (or user and password), and that the key is enabled.',
  permission: () => 'The credential works but may not read the resources sync needs: grant it read permission on the platform.',
};

/**
 * Refuses, before any packet, a target in the deny list: an address literal at once, a name once it
 * resolves (any of its addresses denied refuses it). Returns the vetted address to connect to.
 */
export async function vetTarget(host: string, options: ConnectOptions): Promise<string> {
  const addresses = isIP(host) ? [host] : await resolveAll(host, options);
  const denied = addresses.find((a) => options.denyList.denies(a));
  if (denied !== undefined) {
    throw invalidArgument(`the endpoint ${host} (${denied}) is in the deny list of this control plane (${options.denyList.ranges.join(', ')})`);
  }
  return addresses[0];
}

async function resolveAll(host: string, options: ConnectOptions): Promise<string[]> {
  if (options.resolve) return options.resolve(host);
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((f) => f.address);
}

/** Races a step against its own timeout, whose length is named in the failure. */
async function bounded<T>(name: string, timeoutMs: number, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepFailure('timeout', `${name} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens and closes a connection; a socket still connecting when the step's time is up is destroyed then. */
function openSocket(kind: 'tcp' | 'tls', endpoint: Endpoint, address: string, verifyTls: boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = kind === 'tcp'
      ? netConnect({ host: address, port: endpoint.port })
      : tlsConnect({ host: address, port: endpoint.port, servername: isIP(endpoint.host) ? undefined : endpoint.host, rejectUnauthorized: verifyTls });
    const done = (error?: Error) => {
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    socket.once(kind === 'tcp' ? 'connect' : 'secureConnect', () => done());
    socket.once('error', (error) => done(error));
    // `bounded` reports the timeout; this closes the socket at the same moment.
    setTimeout(() => socket.destroy(), timeoutMs).unref();
  });
}

const asStepFailure = (error: unknown, tlsStep = false): StepFailure => {
  if (error instanceof StepFailure) return error;
  const failure = error instanceof CallFailure ? error : failureOf(error as Error);
  return new StepFailure(tlsStep && failure.kind === 'network' ? 'tls' : failure.kind, failure.message);
};

/**
 * TestConnectionDetailed: the six steps of the spec in order, each timed and bounded, the ones after
 * the first failure `skipped`, one recommendation for the first failure. Unreachable or lying targets
 * are a normal `success: false` answer; only a denied target is an error (SYS.1007, thrown before
 * any packet is sent).
 */
export async function runConnectionTest(input: ConnectionTestInput, options: ConnectOptions): Promise<ConnectionTestResult> {
  const { endpoint } = input;
  const deadline = Date.now() + options.totalTimeoutMs;
  const budget = () => Math.max(1, Math.min(options.stepTimeoutMs, deadline - Date.now()));
  const items: TestItem[] = [];
  let failure: StepFailure | null = null;
  let address = '';
  let auth: Authenticated | null = null;
  const product = PRODUCTS[input.productType];
  const caller = (timeoutMs: number): Caller => (call) => callHttp(endpoint, address, { ...call, timeoutMs, verifyTls: input.verifyTls });

  const steps: Array<[string, (timeoutMs: number) => Promise<void>]> = [
    ['dns_lookup', async () => {
      let addresses: string[];
      try {
        addresses = isIP(endpoint.host) ? [endpoint.host] : await resolveAll(endpoint.host, options);
      } catch (error) {
        throw new StepFailure('dns', `cannot resolve ${excerpt(endpoint.host, 80)}: ${(error as { code?: string }).code ?? 'lookup failed'}`);
      }
      // Any address in the deny list refuses the name: a name must not reach a denied address by another of its records.
      const denied = addresses.find((a) => options.denyList.denies(a));
      if (denied !== undefined) throw invalidArgument(`the endpoint ${endpoint.host} (${denied}) is in the deny list of this control plane`);
      address = addresses[0];
    }],
    ['tcp_connect', (t) => openSocket('tcp', endpoint, address, input.verifyTls, t).catch((e) => { throw asStepFailure(e); })],
    ...(endpoint.scheme === 'https'
      ? [['tls_handshake', (t: number) => openSocket('tls', endpoint, address, input.verifyTls, t).catch((e) => { throw asStepFailure(e, true); })] as [string, (t: number) => Promise<void>]]
      : []),
    ['api_reachable', (t) => product.reachable(caller(t)).catch((e) => { throw asStepFailure(e); })],
    ['authenticate', async (t) => {
      auth = await product.authenticate(caller(t), input.accessKey, input.secretKey).catch((e) => { throw asStepFailure(e); });
    }],
    ['permission_check', async (t) => {
      try {
        await product.permission(caller(t), auth!, input.accessKey, input.secretKey);
      } catch (error) {
        throw asStepFailure(error);
      } finally {
        if (auth?.logout) await caller(t)(auth.logout).catch(() => undefined);
      }
    }],
  ];

  for (const [name, run] of steps) {
    if (failure) {
      items.push({ name, status: 'skipped', latencyMs: '0' });
      continue;
    }
    const started = process.hrtime.bigint();
    const timeoutMs = budget();
    try {
      await bounded(name, timeoutMs, () => run(timeoutMs));
      items.push({ name, status: 'success', latencyMs: elapsed(started) });
    } catch (error) {
      if (!(error instanceof StepFailure)) throw error;
      failure = error;
      items.push({ name, status: 'failure', latencyMs: elapsed(started), errorMsg: error.message });
    }
  }
  // A lying remote may echo what it was sent: no secret leaves in an error message.
  const secrets = [input.secretKey, Buffer.from(`${input.accessKey}:${input.secretKey}`).toString('base64')];
  for (const item of items) if (item.errorMsg) item.errorMsg = redact(item.errorMsg, secrets);
  return { success: failure === null, items, recommendation: RECOMMENDATIONS[failure?.kind ?? 'ok'](endpoint) };
}

export function redact(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('[redacted]'), text);
}

const elapsed = (started: bigint) => String(Math.round(Number(process.hrtime.bigint() - started) / 1e6));
