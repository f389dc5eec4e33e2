import { REST_APIS, ZSTACK_APIS, type RestApiEntry, type ZStackApiEntry } from '@cp/contracts';

/**
 * The `api` label of the gateway's HTTP metrics: the registry's API name of the route a request
 * matched (a ZStack path shared by several APIs is told apart by its body key, as the gateway
 * dispatches it), or one of a few fixed names for the rest. Bounded: routes are the registry's, never
 * the request's own path.
 */
export const OTHER_ROUTES = {
  jobPoll: 'job-poll',
  health: 'health',
  live: 'health-live',
  ready: 'health-ready',
  metrics: 'metrics',
  /** A known path with another method (405). */
  methodNotAllowed: 'method-not-allowed',
  /** No route: the catch-alls' 404. */
  unmatched: 'unmatched',
  /** The operator console's page and files (`/console`, `/console/*`). */
  console: 'console',
  /** Any other route of the gateway (the OpenAPI documents, say). */
  other: 'other',
} as const;

const ZSTACK_PREFIX = '/zstack/v1';
const REST_PREFIX = '/api/v1';
const fastifyPath = (prefix: string, path: string) => prefix + path.replace(/\{(\w+)\}/g, ':$1');

export class ApiNames {
  private readonly byRoute = new Map<string, Array<ZStackApiEntry | RestApiEntry>>();
  private readonly knownUrls = new Set<string>();
  private readonly fixed = new Map<string, string>([
    [`GET ${ZSTACK_PREFIX}/api-jobs/:uuid`, OTHER_ROUTES.jobPoll],
    ['GET /health', OTHER_ROUTES.health],
    ['GET /health/live', OTHER_ROUTES.live],
    ['GET /health/ready', OTHER_ROUTES.ready],
    ['GET /metrics', OTHER_ROUTES.metrics],
    ['GET /console', OTHER_ROUTES.console],
    ['GET /console/*', OTHER_ROUTES.console],
    ['HEAD /console', OTHER_ROUTES.console],
    ['HEAD /console/*', OTHER_ROUTES.console],
  ]);

  constructor(zstack: readonly ZStackApiEntry[] = ZSTACK_APIS, rest: readonly RestApiEntry[] = REST_APIS) {
    for (const api of zstack) for (const path of api.paths) this.add(api.method, fastifyPath(ZSTACK_PREFIX, path), api);
    for (const api of rest) this.add(api.method, fastifyPath(REST_PREFIX, api.path), api);
    this.knownUrls.add(`${ZSTACK_PREFIX}/api-jobs/:uuid`);
  }

  private add(method: string, url: string, api: ZStackApiEntry | RestApiEntry): void {
    const key = `${method} ${url}`;
    this.byRoute.set(key, [...(this.byRoute.get(key) ?? []), api]);
    this.knownUrls.add(url);
  }

  /** The label of a request: its method, the route pattern it matched (undefined: none), its parsed body. */
  of(method: string, routeUrl: string | undefined, body: unknown): string {
    const key = `${method} ${routeUrl}`;
    const fixed = this.fixed.get(key);
    if (fixed) return fixed;
    if (routeUrl === undefined || routeUrl.endsWith('/*')) return OTHER_ROUTES.unmatched;
    const candidates = this.byRoute.get(key);
    if (!candidates) return this.knownUrls.has(routeUrl) ? OTHER_ROUTES.methodNotAllowed : OTHER_ROUTES.other;
    if (candidates.length === 1) return candidates[0].name;
    const wrapper = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
    const api = candidates.find((c) => 'bodyKey' in c && c.bodyKey !== undefined && Object.hasOwn(wrapper, c.bodyKey));
    // A body that names none of them is refused (400) before any API runs.
    return api?.name ?? OTHER_ROUTES.unmatched;
  }
}
