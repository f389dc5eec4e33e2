import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HELP, UsageError, commandLine, strictly } from '@cp/config';
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
 * `--help` prints the usage; an unknown flag or a bad value prints one line and the usage, exit 2.
 */
const say = (line: string) => process.stdout.write(`[rotate-key] ${line}\n`);

export const ROTATE_KEY_USAGE = [
  'usage: npm run rotate-key -- [--url <gateway>] [--user <admin name>] [--no-new-key]',
  '  --url <gateway>    the gateway to ask (default http://127.0.0.1:8080)',
  '  --user <name>      the admin who asks (default admin); the password comes from CP_ADMIN_PASSWORD,',
  '                     else from the first line of standard input',
  '  --no-new-key       only re-encrypt (e.g. after editing the key file by hand); without it a new key is',
  '                     added to ENCRYPTION_KEYS_FILE (or DATA_DIR/keys.json) and made active first',
  '  -h, --help         this text',
  'exit code: 0 done, 1 the rotation failed, 2 a bad command line',
].join('\n');

export interface RotateKeyArgs {
  url: string;
  user: string;
  newKey: boolean;
}

/** The rotate-key command line, strictly: an unknown flag or a bad value is a UsageError. */
export function parseRotateKeyArgs(args: string[]): RotateKeyArgs | typeof HELP {
  const { values } = strictly(() => parseArgs({
    args, strict: true, allowPositionals: false,
    options: { url: { type: 'string' }, user: { type: 'string' }, 'no-new-key': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }));
  if (values.help) return HELP;
  const url = values.url ?? 'http://127.0.0.1:8080';
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
    throw new UsageError(`--url must be the gateway's http:// or https:// URL, not ${JSON.stringify(url)}`);
  }
  const user = values.user ?? 'admin';
  if (user.trim() === '') throw new UsageError('--user must be an admin account name, not empty');
  return { url: url.replace(/\/+$/, ''), user, newKey: !values['no-new-key'] };
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

async function main({ url, user, newKey }: RotateKeyArgs): Promise<void> {
  const keysFile = resolve(process.env.ENCRYPTION_KEYS_FILE || join(process.env.DATA_DIR || 'data', 'keys.json'));
  if (newKey) {
    const id = addActiveKey(keysFile);
    say(`added master key ${id} to ${keysFile} and made it active (the old keys stay)`);
  } else {
    say(`active master key: ${readKeyFile(keysFile).activeKeyId}`);
  }
  const password = createHash('sha512').update(await readPassword()).digest('hex');
  const login = await fetch(`${url}/zstack/v1/accounts/login`, {
    method: 'PUT', body: JSON.stringify({ logInByAccount: { accountName: user, password } }),
  });
  const session = (await login.json() as { inventory?: { uuid: string }; error?: { details: string } });
  if (!session.inventory) throw new Error(`login failed: ${session.error?.details ?? login.status}`);
  const reply = await fetch(`${url}/api/v1/platforms/rotate-keys`, { method: 'POST', headers: { Authorization: `Bearer ${session.inventory.uuid}` } });
  const body = await reply.json() as { rotated?: number; activeKeyId?: string; error?: { code: string; details: string } };
  await fetch(`${url}/zstack/v1/accounts/sessions/${session.inventory.uuid}`, { method: 'DELETE' });
  if (!reply.ok) throw new Error(`rotation failed: ${body.error?.code} ${body.error?.details}`);
  say(`re-encrypted ${body.rotated} platform credentials under ${body.activeKeyId}`);
}

if (require.main === module) {
  // A bad command line stops here, before the key file is touched: one line and the usage, exit 2.
  main(commandLine('rotate-key', ROTATE_KEY_USAGE, parseRotateKeyArgs)).catch((error) => {
    process.stderr.write(`[rotate-key] ${(error as Error).message}\n`);
    process.exit(1);
  });
}
