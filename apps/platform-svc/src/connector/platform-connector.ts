import { Inject, Injectable } from '@nestjs/common';
import { invalidArgument, type PlatformProductType, type ProbeRecord } from '@cp/contracts';
import type { Negotiated, PlatformState } from '@cp/domain/platform';
import { PLATFORM_CONFIG, type PlatformConfig } from '../config';
import { CredentialVault } from '../credentials/credential-vault';
import type { TestConnectionInput } from '../platforms/request-input';
import { redact, runConnectionTest, vetTarget, type ConnectOptions, type ConnectionTestResult } from './connection-test';
import { DenyList } from './deny-list';
import { endpointOf, parseEndpoint, type Endpoint } from './endpoint';
import { callHttp, excerpt } from './http-call';
import { NEGOTIATORS, StepFailure, type Caller } from './products';

/**
 * platform-svc's way out to other clouds: connection tests, negotiation, and the health probe of a
 * stored platform (a connection test with its stored credential). Every target is vetted against the
 * deny list first; every call is bounded in time and size.
 */
@Injectable()
export class PlatformConnector {
  private readonly options: ConnectOptions;
  readonly latencyThresholdMs: number;

  constructor(@Inject(PLATFORM_CONFIG) config: PlatformConfig, private readonly vault: CredentialVault) {
    this.options = { denyList: new DenyList(config.denyList), stepTimeoutMs: config.stepTimeoutMs, totalTimeoutMs: config.connectTimeoutMs };
    this.latencyThresholdMs = config.latencyThresholdMs;
  }

  /** A literal address in the deny list is refused (400) before anything else; names are vetted when resolved. */
  assertAllowed(host: string): void {
    if (this.options.denyList.denies(host)) {
      throw invalidArgument(`the endpoint ${host} is in the deny list of this control plane (${this.options.denyList.ranges.join(', ')})`);
    }
  }

  async testConnection(input: TestConnectionInput): Promise<ConnectionTestResult> {
    const endpoint = parseEndpoint(input.productType, input.endpoint);
    if (typeof endpoint === 'string') throw invalidArgument(endpoint);
    this.assertAllowed(endpoint.host);
    return runConnectionTest({ ...input, endpoint }, this.options);
  }

  /** A probe of a stored platform: the connection test with its stored credential. */
  async probe(platform: PlatformState): Promise<{ probe: ProbeRecord; result: ConnectionTestResult }> {
    const at = new Date().toISOString();
    if (!platform.credential) {
      const result = { success: false, items: [], recommendation: 'The platform has no credential: PATCH it with a username and password to negotiate one.' };
      return { probe: { ok: false, at, error: 'no credential', detail: result.recommendation }, result };
    }
    const clear = await this.vault.open(platform.uuid, platform.credential);
    const started = Date.now();
    const result = await runConnectionTest({
      productType: platform.productType, endpoint: endpointOf(platform), verifyTls: true,
      accessKey: platform.productType === 'openstack' ? clear.accessKeyId ?? '' : platform.productType === 'vmware' ? clear.username : platform.accessKeyName ?? '',
      secretKey: clear.secret,
    }, this.options);
    const failed = result.items.find((i) => i.status === 'failure');
    return {
      probe: failed
        ? { ok: false, at, error: `${failed.name} failed`, detail: failed.errorMsg, latencyMs: Date.now() - started }
        : { ok: true, at, latencyMs: Date.now() - started },
      result,
    };
  }

  /**
   * Negotiates the control plane's own credential and seals it; never throws for the network (the
   * failure is recorded on the platform). A denied target is refused before (`assertAllowed`).
   */
  async negotiate(uuid: string, target: { productType: PlatformProductType; hostIp: string; hostPort: number; useTls: boolean },
    username: string, password: string): Promise<Negotiated> {
    const endpoint = endpointOf(target);
    const started = Date.now();
    const at = new Date().toISOString();
    try {
      const address = await this.vetOrFail(endpoint);
      const deadline = started + this.options.totalTimeoutMs;
      const call: Caller = (c) =>
        callHttp(endpoint, address, { ...c, timeoutMs: Math.max(1, Math.min(this.options.stepTimeoutMs, deadline - Date.now())), verifyTls: true });
      const negotiated = await NEGOTIATORS[target.productType](call, username, password);
      const credential = await this.vault.seal(uuid, { username, secret: negotiated.secret, accessKeyId: negotiated.accessKeyId });
      return { ok: true, accessKeyName: negotiated.accessKeyName, credential, version: negotiated.version, probe: { ok: true, at, latencyMs: Date.now() - started } };
    } catch (error) {
      if (!(error instanceof Error) || (error as { code?: string }).code === 'SYS.1007') throw error;
      const kind = error instanceof StepFailure ? error.kind : 'network';
      const detail = redact(excerpt(error.message, 200), [password]);
      return { ok: false, probe: { ok: false, at, error: `negotiation failed (${kind})`, detail, latencyMs: Date.now() - started } };
    }
  }

  private async vetOrFail(endpoint: Endpoint): Promise<string> {
    try {
      return await vetTarget(endpoint.host, this.options);
    } catch (error) {
      if ((error as { code?: string }).code === 'SYS.1007') throw error;
      throw new StepFailure('dns', `cannot resolve ${excerpt(endpoint.host, 80)}: ${(error as { code?: string }).code ?? 'lookup failed'}`);
    }
  }
}
