/**
 * A client of the control plane over NATS alone, on the typed client of libs/client (no gateway,
 * no Nest): it logs in as the built-in admin, creates an account, and queries it back.
 *
 *   NATS_URL=nats://127.0.0.1:<port> node -r @swc-node/register docs/examples/nats-client.ts
 *
 * (`npm start` prints the NATS URL of the embedded server.)
 */
import { createHash } from 'node:crypto';
import { ControlPlaneClient } from '@cp/client';

const sha512 = (text: string) => createHash('sha512').update(text).digest('hex');

interface Inventory { uuid: string; name: string }

async function main(): Promise<void> {
  const client = await ControlPlaneClient.connect(process.env.NATS_URL ?? 'nats://127.0.0.1:4222');
  const login = await client.call<'LogInByAccount', { inventory: Inventory }>('LogInByAccount', { accountName: 'admin', password: sha512('password') });
  const session = login.inventory.uuid;
  console.log(`logged in, session ${session}`);

  const name = `nats-user-${Date.now()}`;
  const created = await client.call<'CreateAccount', { inventory: Inventory }>('CreateAccount', { name, password: sha512('secret'), description: 'created over NATS' }, { session });
  console.log(`created ${created.inventory.name} (${created.inventory.uuid}) at log position ${created.position}`);

  // minPosition: read-your-writes across replicas; the query waits until the read model has the create.
  const query = { conditions: [{ field: 'name', op: '=', value: name }], limit: 10, start: 0, count: false, replyWithCount: true };
  const found = await client.call<'QueryAccount', { total: number; inventories: Inventory[] }>('QueryAccount', { query }, { session, minPosition: created.position });
  console.log(`query found ${found.total}:`, JSON.stringify(found.inventories[0]));

  await client.call('LogOut', { sessionUuid: session });
  await client.close();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
