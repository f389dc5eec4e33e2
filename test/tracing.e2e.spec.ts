import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { freePort } from '@cp/testing';
import { launchStack, type LaunchedStack } from './support/launcher';
import { ZStackClient } from './support/zstack-client';

/**
 * One request, followed across processes (issue 15, parts 1 and 3): `npm start` (every app its own
 * process) exporting traces over OTLP/HTTP to a small local receiver that keeps them in memory. An
 * UpdateAccount sent with an `X-Request-Id` is one trace from the gateway's HTTP span through the
 * NATS request into identity-svc's handler and its event store append; the id is echoed, is on the
 * gateway's and identity-svc's log lines, and is the event's correlationId in the Audit API.
 */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

const sha512 = (s: string) => createHash('sha512').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const spans: ReceivedSpan[] = [];
let receiver: Server;
let stack: LaunchedStack;
let admin: ZStackClient;

/** OTLP/JSON (what @opentelemetry/exporter-trace-otlp-http sends): resourceSpans → scopeSpans → spans. */
function take(body: any): void {
  for (const rs of body.resourceSpans ?? []) {
    const service = rs.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value?.stringValue ?? '?';
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const attributes = Object.fromEntries((s.attributes ?? []).map((a: any) => [a.key, Object.values(a.value ?? {})[0]]));
        spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', name: s.name, kind: s.kind, attributes });
      }
    }
  }
}

async function spansOf(traceId: string, until: (found: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = spans.filter((s) => s.traceId === traceId);
    if (until(found) || Date.now() > deadline) return found;
    await sleep(100);
  }
}

beforeAll(async () => {
  const port = await freePort();
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') take(JSON.parse(text));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
  stack = await launchStack({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_BSP_SCHEDULE_DELAY: '100', LOG_FORMAT: 'json', LOG_LEVEL: 'log',
  });
  admin = new ZStackClient(stack.baseUrl);
  await admin.login();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
}, 60_000);

describe('a request id and a trace across the gateway and identity-svc', () => {
  let requestId: string;
  let accountUuid: string;
  let traceId: string;

  beforeAll(async () => {
    const created = await admin.job('POST', '/zstack/v1/accounts', { params: { name: 'traced', password: sha512('traced-pw') } });
    accountUuid = created.json.inventory.uuid;
    requestId = `trace-test-${randomUUID()}`;
    const updated = await admin.send('PUT', `/zstack/v1/accounts/${accountUuid}`, {
      body: { updateAccount: { description: 'followed' } }, headers: { 'X-Request-Id': requestId, 'X-Job-UUID': randomUUID().replace(/-/g, '') },
    });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('x-request-id')).toBe(requestId);
    const deadline = Date.now() + 15_000;
    while (!spans.some((s) => s.attributes['cp.request_id'] === requestId) && Date.now() < deadline) await sleep(100);
    traceId = spans.find((s) => s.attributes['cp.request_id'] === requestId)?.traceId ?? '';
  });

  it('is one trace: the gateway\'s HTTP span, its NATS request, identity-svc\'s handler and its append', async () => {
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const trace = await spansOf(traceId, (found) => found.some((s) => s.service === 'identity-svc' && s.name.startsWith('eventstore append')));
    const http = trace.find((s) => s.service === 'gateway' && s.name === 'PUT /zstack/v1/accounts/:uuid');
    const request = trace.find((s) => s.service === 'gateway' && s.name === 'nats identity.cmd.UpdateAccount');
    const handler = trace.find((s) => s.service === 'identity-svc' && s.name === 'identity.cmd.UpdateAccount');
    const append = trace.find((s) => s.service === 'identity-svc' && s.name.startsWith('eventstore append'));
    expect({ http: !!http, request: !!request, handler: !!handler, append: !!append }).toEqual({ http: true, request: true, handler: true, append: true });
    // Parent links: HTTP → NATS request (gateway) → handler (identity-svc, through the NATS headers) → append.
    expect(request!.parentSpanId).toBe(http!.spanId);
    expect(handler!.parentSpanId).toBe(request!.spanId);
    expect(append!.parentSpanId).toBe(handler!.spanId);
    expect(http!.attributes).toMatchObject({ 'http.response.status_code': 200, 'cp.api': 'UpdateAccount' });
  });

  it('is the correlationId of the event, in the Audit API', async () => {
    const r = await admin.send('GET', `/api/v1/audit/events?resourceUuid=${accountUuid}&eventType=AccountUpdated`, {
      headers: { Authorization: `Bearer ${admin.session}` },
    });
    expect(r.status).toBe(200);
    expect(r.json.events.map((e: any) => e.correlationId)).toEqual([requestId]);
  });

  it('is on the gateway\'s request line and identity-svc\'s command line, with the outcome and the caller', async () => {
    // The apps buffer their JSON lines for up to 200 ms.
    const deadline = Date.now() + 5000;
    let lines: any[] = [];
    while (Date.now() < deadline) {
      lines = stack.output().split('\n').filter((l) => l.includes(requestId)).map((l) => JSON.parse(l.slice(l.indexOf('{'))));
      if (lines.some((l) => l.name === 'http') && lines.some((l) => l.name === 'bus')) break;
      await sleep(100);
    }
    const gateway = lines.find((l) => l.app === 'gateway' && l.name === 'http');
    const service = lines.find((l) => l.app === 'identity-svc' && l.name === 'bus' && l.subject === 'identity.cmd.UpdateAccount');
    expect(gateway).toMatchObject({ api: 'UpdateAccount', method: 'PUT', route: '/zstack/v1/accounts/:uuid', status: 200, requestId });
    expect(typeof gateway.durationMs).toBe('number');
    expect(gateway.accountUuid).toMatch(/^[0-9a-f]{32}$/);
    expect(service).toMatchObject({ outcome: 'ok', requestId, accountUuid: gateway.accountUuid });
    expect(typeof service.durationMs).toBe('number');
  });
});

describe('request ids', () => {
  it('are made when the client sends none, or one we do not accept, and echoed', async () => {
    const none = await admin.send('GET', '/zstack/v1/accounts');
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await admin.send('GET', '/zstack/v1/accounts', { headers: { 'X-Request-Id': 'has spaces and "quotes"' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never put a password, a password hash or a session in a log line', async () => {
    const secret = sha512('traced-pw');
    await new ZStackClient(stack.baseUrl).send('PUT', '/zstack/v1/accounts/login', { body: { logInByAccount: { accountName: 'traced', password: secret } } });
    // Past the apps' 200 ms log buffer: every line of the login is out.
    await sleep(600);
    const output = stack.output();
    expect(output).not.toContain(secret);
    expect(output).not.toContain(admin.session!);
  });
});
