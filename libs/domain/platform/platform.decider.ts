import {
  adminOnly, notFound, operationError, requireSession,
  type Auth, type PlatformCredential, type PlatformEvent, type PlatformFeatures, type PlatformHealthStatus,
  type PlatformProductType, type PlatformScope, type PlatformStatus, type PlatformView, type ProbeRecord,
} from '@cp/contracts';
import type { CreatePlatformInput, UpdatePlatformInput } from './platform-input';

/**
 * The platform aggregate as pure functions: `evolve` folds events into state, `decide(command, state)`
 * turns a PlatformCommand, with what the network said (negotiation, probes: done outside, carried in
 * the command), into events or an error. Admin-only in this version (ID.1002). Time comes in the
 * command. The per-command `decide*` functions below are the union's, not exported: every caller goes
 * through `decide` (or `platformDecider`, the aggregate as one decider). `checkUpdate` stays exported:
 * the update handler runs it before negotiating, so a refused PATCH costs no network.
 */
export interface PlatformState {
  uuid: string;
  name: string;
  productType: PlatformProductType;
  hostIp: string;
  hostPort: number;
  useTls: boolean;
  scope: PlatformScope;
  regionUuid: string;
  features: PlatformFeatures;
  ownerAccountUuid: string;
  accessKeyName: string | null;
  credential: PlatformCredential | null;
  version: string | null;
  status: PlatformStatus;
  healthStatus: PlatformHealthStatus;
  /** The last failure and the last success as recorded in the log (probes that change nothing are counted outside). */
  lastFailure: ProbeRecord | null;
  lastSuccessAt: string | null;
  createDate: string;
  lastOpDate: string;
}

/** What negotiating a credential gave: the credential sealed, or the failure. */
export type Negotiated =
  | { ok: true; accessKeyName: string; credential: PlatformCredential; version: string | null; probe: ProbeRecord }
  | { ok: false; probe: ProbeRecord };

const API = 'Platform API';
const missing = (uuid: string) => notFound(`platform[uuid:${uuid}] not found`);

function withProbe(state: PlatformState, probe: ProbeRecord | undefined): PlatformState {
  if (!probe) return state;
  return probe.ok ? { ...state, lastSuccessAt: probe.at } : { ...state, lastFailure: probe };
}

export function evolve(state: PlatformState | null, event: PlatformEvent): PlatformState | null {
  switch (event.type) {
    case 'PlatformCreated': {
      const { negotiation, ...d } = event.data;
      return withProbe({ ...d, lastFailure: null, lastSuccessAt: null, lastOpDate: d.createDate }, negotiation);
    }
    case 'PlatformUpdated': {
      if (!state) return state;
      const { uuid: _uuid, ...changes } = event.data;
      return { ...state, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
    }
    case 'PlatformCredentialRotated': {
      if (!state) return state;
      const d = event.data;
      const next = { ...state, accessKeyName: d.accessKeyName, credential: d.credential, lastOpDate: d.lastOpDate };
      if (d.version !== undefined) next.version = d.version;
      return withProbe(next, d.negotiation);
    }
    case 'PlatformStatusChanged':
      return state && withProbe({ ...state, status: event.data.status }, event.data.probe);
    case 'PlatformHealthChanged':
      return state && withProbe({ ...state, healthStatus: event.data.healthStatus }, event.data.probe);
    case 'PlatformConnectionTested':
      return state && withProbe(state, event.data.probe);
    case 'PlatformDeleted':
      return null;
  }
}

/** Status and health right after a negotiation: it worked, or the operator must see why not. */
const afterNegotiation = (n: Negotiated) =>
  n.ok ? { status: 'connected' as const, healthStatus: 'healthy' as const } : { status: 'disconnected' as const, healthStatus: 'unhealthy' as const };

function decideCreate(
  uuid: string, input: CreatePlatformInput, existing: PlatformState | null, auth: Auth,
  ctx: { now: string; nameTaken: (name: string, owner: string) => boolean; negotiated: Negotiated },
): PlatformEvent[] {
  const caller = requireSession(auth);
  adminOnly(caller, API);
  if (existing) throw operationError(`a platform with uuid[${uuid}] already exists`);
  if (ctx.nameTaken(input.name, caller.accountUuid)) throw operationError(`a platform called ${input.name} already exists`);
  const n = ctx.negotiated;
  return [{
    type: 'PlatformCreated',
    data: {
      uuid, name: input.name, productType: input.productType, hostIp: input.hostIp, hostPort: input.hostPort, useTls: input.useTls,
      scope: input.scope, regionUuid: input.regionUuid, features: input.features, ownerAccountUuid: caller.accountUuid,
      accessKeyName: n.ok ? n.accessKeyName : null, credential: n.ok ? n.credential : null, version: n.ok ? n.version : null,
      ...afterNegotiation(n), negotiation: n.probe, createDate: ctx.now,
    },
  }];
}

/** The checks an update passes before anything is negotiated (so a refused PATCH costs no network). */
export function checkUpdate(uuid: string, state: PlatformState | null, auth: Auth, input: UpdatePlatformInput,
  nameTakenBy: (name: string, owner: string) => string | undefined): PlatformState {
  const caller = requireSession(auth);
  adminOnly(caller, API);
  if (!state) throw missing(uuid);
  if (input.name !== undefined) {
    const owner = nameTakenBy(input.name, state.ownerAccountUuid);
    if (owner !== undefined && owner !== uuid) throw operationError(`a platform called ${input.name} already exists`);
  }
  return state;
}

function decideUpdate(
  uuid: string, input: UpdatePlatformInput, current: PlatformState | null, auth: Auth,
  ctx: { now: string; nameTakenBy: (name: string, owner: string) => string | undefined; negotiated?: Negotiated },
): PlatformEvent[] {
  const state = checkUpdate(uuid, current, auth, input, ctx.nameTakenBy);
  const differs = <K extends keyof PlatformState>(key: K, value: PlatformState[K] | undefined) =>
    value !== undefined && JSON.stringify(value) !== JSON.stringify(state[key]) ? value : undefined;
  const features = input.features ? { ...state.features, ...input.features } : undefined;
  const changes = Object.fromEntries(Object.entries({
    name: differs('name', input.name), hostIp: differs('hostIp', input.hostIp), hostPort: differs('hostPort', input.hostPort),
    useTls: differs('useTls', input.useTls), scope: differs('scope', input.scope), regionUuid: differs('regionUuid', input.regionUuid),
    features: differs('features', features),
  }).filter(([, v]) => v !== undefined));
  const events: PlatformEvent[] = [];
  if (Object.keys(changes).length > 0) events.push({ type: 'PlatformUpdated', data: { uuid, ...changes, lastOpDate: ctx.now } });
  const n = ctx.negotiated;
  if (n) {
    events.push({
      type: 'PlatformCredentialRotated',
      data: {
        uuid, reason: 'negotiated', accessKeyName: n.ok ? n.accessKeyName : null, credential: n.ok ? n.credential : null,
        version: n.ok ? n.version : state.version, negotiation: n.probe, lastOpDate: ctx.now,
      },
    });
    events.push(...decideProbe(uuid, state, [n.probe], afterNegotiation(n)));
  }
  return events;
}

function decideDelete(uuid: string, state: PlatformState | null, auth: Auth, now: string): PlatformEvent[] {
  const caller = requireSession(auth);
  adminOnly(caller, API);
  if (!state) throw missing(uuid);
  return [{ type: 'PlatformDeleted', data: { uuid, deletedAt: now } }];
}

/** The state a Platform API caller may see (admin-only: anyone else is refused before). */
export function requirePlatform(uuid: string, state: PlatformState | null, auth: Auth): PlatformState {
  const caller = requireSession(auth);
  adminOnly(caller, API);
  if (!state) throw missing(uuid);
  return state;
}

/**
 * Events for a probe's outcome: a status or health that changes is an event carrying the probe; an
 * unchanged one is none (counters are kept outside the log).
 */
function decideProbe(
  uuid: string, state: PlatformState, probes: ProbeRecord[], next: { status: PlatformStatus; healthStatus: PlatformHealthStatus },
): PlatformEvent[] {
  const probe = probes[probes.length - 1];
  const events: PlatformEvent[] = [];
  if (next.status !== state.status) {
    events.push({ type: 'PlatformStatusChanged', data: { uuid, status: next.status, previous: state.status, probe } });
  }
  if (next.healthStatus !== state.healthStatus) {
    events.push({ type: 'PlatformHealthChanged', data: { uuid, healthStatus: next.healthStatus, previous: state.healthStatus, probe } });
  }
  return events;
}

/** Counters kept outside the log (NATS KV), merged into the view. */
export interface ProbeCounters {
  successCount: number;
  errorCount: number;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  lastErrorDetail: string | null;
}

export function countersAfter(counters: ProbeCounters | undefined, probe: ProbeRecord): ProbeCounters {
  const c = counters ?? { successCount: 0, errorCount: 0, lastSuccessAt: null, lastErrorAt: null, lastError: null, lastErrorDetail: null };
  return probe.ok
    ? { ...c, successCount: c.successCount + 1, lastSuccessAt: probe.at }
    : { ...c, errorCount: c.errorCount + 1, lastErrorAt: probe.at, lastError: probe.error ?? null, lastErrorDetail: probe.detail ?? null };
}

/** The Platform API's reply: every field present, `null` where not known. */
export function toView(state: PlatformState, counters: ProbeCounters | undefined): PlatformView {
  const failure = state.lastFailure;
  return {
    uuid: state.uuid, name: state.name, productType: state.productType, hostIp: state.hostIp, hostPort: state.hostPort,
    accessKeyName: state.accessKeyName, status: state.status,
    lastError: counters?.lastError ?? failure?.error ?? null,
    features: {
      ...state.features,
      credential: {
        usernameEnc: state.credential ? state.credential.usernameEnc.ciphertext : null,
        passwordEnc: state.credential ? state.credential.passwordEnc.ciphertext : null,
      },
    },
    version: state.version, healthStatus: state.healthStatus,
    lastSuccessAt: counters?.lastSuccessAt ?? state.lastSuccessAt,
    lastErrorAt: counters?.lastErrorAt ?? failure?.at ?? null,
    lastErrorDetail: counters?.lastErrorDetail ?? failure?.detail ?? null,
    successCount: counters?.successCount ?? (state.lastSuccessAt ? 1 : 0),
    errorCount: counters?.errorCount ?? (failure ? 1 : 0),
    createDate: state.createDate, lastOpDate: state.lastOpDate, scope: state.scope, regionUuid: state.regionUuid, useTls: state.useTls,
  };
}

// --- The decider ----------------------------------------------------------------------------------

/**
 * The platform's commands, each with what deciding it takes beyond the state: the caller, the time,
 * what the read model answered about the name, and what the network said (negotiation, probes).
 */
export type PlatformCommand =
  | {
    type: 'CreatePlatform'; data: CreatePlatformInput & { uuid: string }; auth: Auth; now: string;
    /** A platform of the caller's account is already called `data.name`. */
    nameTaken: boolean;
    negotiated: Negotiated;
  }
  | {
    type: 'UpdatePlatform'; data: UpdatePlatformInput & { uuid: string }; auth: Auth; now: string;
    /** The platform (uuid) of the same owner already called `data.name`, if any. */
    nameTakenBy?: string;
    /** A new credential's negotiation, when `data.credentials` is given. */
    negotiated?: Negotiated;
  }
  | { type: 'DeletePlatform'; data: { uuid: string }; auth: Auth; now: string }
  | {
    /**
     * A probe's outcome (the health monitor): the probes and the status and health they judge. A
     * platform deleted meanwhile gets nothing.
     */
    type: 'RecordPlatformProbe';
    data: { uuid: string; probes: ProbeRecord[]; next: { status: PlatformStatus; healthStatus: PlatformHealthStatus } };
  }
  | {
    /**
     * A connection test's outcome: the probe recorded as tested, then what it changes, as RecordPlatformProbe.
     * The caller was checked (requirePlatform) before the probe went out; a platform deleted meanwhile gets nothing.
     */
    type: 'TestPlatformConnection';
    data: {
      uuid: string; probe: ProbeRecord; probes: ProbeRecord[]; next: { status: PlatformStatus; healthStatus: PlatformHealthStatus };
    };
  }
  | {
    /**
     * One platform's step of RotatePlatformKeys: its credential sealed again under a fresh data key. The
     * caller was checked once for the whole rotation; a platform deleted meanwhile gets nothing.
     */
    type: 'RotatePlatformKeys'; data: { uuid: string; credential: PlatformCredential }; now: string;
  };

export function decide(command: PlatformCommand, state: PlatformState | null): PlatformEvent[] {
  switch (command.type) {
    case 'CreatePlatform':
      return decideCreate(command.data.uuid, command.data, state, command.auth, {
        now: command.now, nameTaken: () => command.nameTaken, negotiated: command.negotiated,
      });
    case 'UpdatePlatform':
      return decideUpdate(command.data.uuid, command.data, state, command.auth, {
        now: command.now, nameTakenBy: () => command.nameTakenBy, negotiated: command.negotiated,
      });
    case 'DeletePlatform':
      return decideDelete(command.data.uuid, state, command.auth, command.now);
    case 'RecordPlatformProbe':
      return state ? decideProbe(command.data.uuid, state, command.data.probes, command.data.next) : [];
    case 'TestPlatformConnection': {
      const { uuid, probe, probes, next } = command.data;
      return state ? [{ type: 'PlatformConnectionTested', data: { uuid, probe } }, ...decideProbe(uuid, state, probes, next)] : [];
    }
    case 'RotatePlatformKeys': {
      const { uuid, credential } = command.data;
      return state ? [{
        type: 'PlatformCredentialRotated',
        data: { uuid, reason: 'key-rotation', accessKeyName: state.accessKeyName, credential, lastOpDate: command.now },
      }] : [];
    }
  }
}

/** The platform aggregate as one decider (a platform that does not exist yet is `null`). */
export const platformDecider = { decide, evolve, initialState: null as PlatformState | null };
