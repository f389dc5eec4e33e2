import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { addActiveKey, readKeyFile } from '@cp/crypto';

/**
 * `npm run rotate-key`: rotates the master key without downtime.
 *   1. adds a new key to the key file (ENCRYPTION_KEYS_FILE, or DATA_DIR/keys.json of `npm start`)
 *      and makes it active; the old keys stay, so everything sealed before still opens;
 *   2. asks platform-svc, through the gateway, to re-encrypt every platform credential under a fresh
 *      data key wrapped by the new key (one PlatformCredentialRotated event each).
 * Options: `--url <gateway>` (default http://127.0.0.1:8080), `--user <admin name>` (default admin),
 * `--no-new-key` (only step 2, e.g. after editing the key file by hand). The admin's password comes
 * from CP_ADMIN_PASSWORD or, when unset, from the first line of standard input.
 * identity-svc seals new access key secrets with the new key after its next restart.
 */
const say = (line: string) => process.stdout.write(`[rotate-key] ${line}\n`);

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

async function readPassword(): Promise<string> {
  if (process.env.CP_ADMIN_PASSWORD) return process.env.CP_ADMIN_PASSWORD;
  if (process.stdin.isTTY) process.stdout.write('admin password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split('\n')[0];
}

async function main(): Promise<void> {
  const keysFile = resolve(process.env.ENCRYPTION_KEYS_FILE || join(process.env.DATA_DIR || 'data', 'keys.json'));
  const url = option('url', 'http://127.0.0.1:8080').replace(/\/+$/, '');
  if (!process.argv.includes('--no-new-key')) {
    const id = addActiveKey(keysFile);
    say(`added master key ${id} to ${keysFile} and made it active (the old keys stay)`);
  } else {
    say(`active master key: ${readKeyFile(keysFile).activeKeyId}`);
  }
  const password = createHash('sha512').update(await readPassword()).digest('hex');
  const login = await fetch(`${url}/zstack/v1/accounts/login`, {
    method: 'PUT', body: JSON.stringify({ logInByAccount: { accountName: option('user', 'admin'), password } }),
  });
  const session = (await login.json() as { inventory?: { uuid: string }; error?: { details: string } });
  if (!session.inventory) throw new Error(`login failed: ${session.error?.details ?? login.status}`);
  const reply = await fetch(`${url}/api/v1/platforms/rotate-keys`, { method: 'POST', headers: { Authorization: `Bearer ${session.inventory.uuid}` } });
  const body = await reply.json() as { rotated?: number; activeKeyId?: string; error?: { code: string; details: string } };
  await fetch(`${url}/zstack/v1/accounts/sessions/${session.inventory.uuid}`, { method: 'DELETE' });
  if (!reply.ok) throw new Error(`rotation failed: ${body.error?.code} ${body.error?.details}`);
  say(`re-encrypted ${body.rotated} platform credentials under ${body.activeKeyId}`);
}

main().catch((error) => {
  process.stderr.write(`[rotate-key] ${(error as Error).message}\n`);
  process.exit(1);
});
