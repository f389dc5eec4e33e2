import { CONTEXTS, type Context } from '../bus';
import { AuthenticateMsg, HealthMsg, ReadModelSnapshotMsg, RebuildReadModelsMsg } from '../system';
import type { BusApiEntry } from './types';

/** The contexts whose services keep read models that `npm run replay` checks and rebuilds. */
export const READ_MODEL_CONTEXTS = ['identity', 'baremetal', 'platform'] as const satisfies readonly Context[];

/** The bus-only APIs: every service's health, identity's caller lookup, the operators' read-model tools. */
export const SYSTEM_APIS: readonly BusApiEntry[] = [
  ...CONTEXTS.map((context): BusApiEntry => ({ name: 'Health', context, kind: 'query', access: 'none', request: HealthMsg, wire: 'bus' })),
  { name: 'Authenticate', context: 'identity', kind: 'query', access: 'none', request: AuthenticateMsg, wire: 'bus' },
  ...READ_MODEL_CONTEXTS.flatMap((context): BusApiEntry[] => [
    { name: 'ReadModelSnapshot', context, kind: 'query', access: 'admin', request: ReadModelSnapshotMsg, wire: 'bus' },
    { name: 'RebuildReadModels', context, kind: 'command', access: 'admin', request: RebuildReadModelsMsg, wire: 'bus' },
  ]),
];
