/**
 * A client of the control plane over NATS alone: no gateway, no Nest, only the `nats` package and
 * the envelopes of docs/nats-bus.md. It logs in as the built-in admin, creates an account, and
 * queries it back.
 *
 *   NATS_URL=nats://127.0.0.1:<port> node -r @swc-node/register docs/examples/nats-client.ts
 *
 * (`npm start` prints the NATS URL of the embedded server.)
 */
import { createHash, randomUUID } from 'node:crypto';
import { connect, JSONCodec } from 'nats';

const codec = JSONCodec();
const newId = () => randomUUID().replace(/-/g, '');
const sha512 = (text: string) => createHash('sha512').update(text).digest('hex');

type Reply = { ok: true; result: any; position?: string } | { ok: false; error: { code: string; description: string; details: string } };

async function main(): Promise<void> {
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  const call = async (subject: string, payload: object, sessionUuid?: string, minPosition?: string): Promise<any> => {
    const request = { commandId: newId(), auth: { sessionUuid }, payload, minPosition };
    const msg = await nc.request(subject, codec.encode(request), { timeout: 10_000 });
    const reply = codec.decode(msg.data) as Reply;
    if (!reply.ok) throw new Error(`${subject}: ${reply.error.code} ${reply.error.details}`);
    return { ...reply.result, position: reply.position };
  };

  const login = await call('identity.query.LogInByAccount', { accountName: 'admin', password: sha512('password') });
  const session: string = login.inventory.uuid;
  console.log(`logged in, session ${session}`);

  const name = `nats-user-${Date.now()}`;
  const created = await call('identity.cmd.CreateAccount', { name, password: sha512('secret'), description: 'created over NATS' }, session);
  console.log(`created ${created.inventory.name} (${created.inventory.uuid}) at log position ${created.position}`);

  // minPosition: read-your-writes across replicas; the query waits until the read model has the create.
  const query = { conditions: [{ field: 'name', op: '=', value: name }], limit: 10, start: 0, count: false, replyWithCount: true };
  const found = await call('identity.query.QueryAccount', { query }, session, created.position);
  console.log(`query found ${found.total}:`, JSON.stringify(found.inventories[0]));

  await call('identity.query.LogOut', { sessionUuid: session });
  await nc.drain();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
