import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseDocument } from 'yaml';

/**
 * Light syntax checks of rendered installer files, one per preconfiguration template type: what a
 * rendered template must look like before an installer reads it. Each returns the problems it
 * found (empty when none); none of them runs or fully validates an installer.
 */

// --- kickstart (anaconda) ---------------------------------------------------------------------------

/** Anaconda's kickstart commands (RHEL 7-9 / pykickstart), including deprecated ones still accepted. */
export const KICKSTART_COMMANDS: ReadonlySet<string> = new Set([
  'auth', 'authconfig', 'authselect', 'autopart', 'autostep', 'bootc', 'bootloader', 'btrfs', 'cdrom', 'clearpart',
  'cmdline', 'device', 'deviceprobe', 'dmraid', 'driverdisk', 'eula', 'fcoe', 'firewall', 'firstboot', 'graphical',
  'group', 'halt', 'harddrive', 'hmc', 'ignoredisk', 'install', 'interactive', 'iscsi', 'iscsiname', 'keyboard',
  'lang', 'liveimg', 'logging', 'logvol', 'mediacheck', 'method', 'module', 'monitor', 'mount', 'multipath',
  'network', 'nfs', 'nvdimm', 'ostreecontainer', 'ostreesetup', 'part', 'partition', 'poweroff', 'raid', 'realm',
  'reboot', 'repo', 'reqpart', 'rescue', 'rhsm', 'rootpw', 'selinux', 'services', 'shutdown', 'skipx', 'snapshot',
  'sshkey', 'sshpw', 'syspurpose', 'text', 'timesource', 'timezone', 'updates', 'upgrade', 'url', 'user', 'vnc',
  'volgroup', 'xconfig', 'zerombr', 'zfcp', 'zipl',
]);
/** Directives usable outside sections. */
const KICKSTART_DIRECTIVES = new Set(['%include', '%ksappend']);
/** Sections, each closed by `%end`. */
export const KICKSTART_SECTIONS: ReadonlySet<string> = new Set([
  '%pre', '%pre-install', '%post', '%packages', '%addon', '%anaconda', '%onerror', '%traceback',
]);
const KICKSTART_SOURCES = ['url', 'nfs', 'cdrom', 'harddrive', 'liveimg', 'ostreesetup', 'ostreecontainer'];
const KICKSTART_PARTITIONING = ['autopart', 'part', 'partition', 'logvol', 'raid', 'btrfs', 'reqpart'];

export function checkKickstart(text: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  let section: { name: string; line: number } | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i].trim();
    const word = line.split(/\s+/)[0];
    if (section !== null) {
      if (word === '%end') section = null;
      else if (KICKSTART_SECTIONS.has(word)) {
        problems.push(`line ${n}: ${word} inside ${section.name} (opened at line ${section.line}, no %end)`);
      }
    } else if (line === '' || line.startsWith('#')) {
      continue;
    } else if (KICKSTART_SECTIONS.has(word)) {
      section = { name: word, line: n };
      seen.add(word);
    } else if (word === '%end') {
      problems.push(`line ${n}: %end outside a section`);
    } else if (KICKSTART_DIRECTIVES.has(word)) {
      if (line.split(/\s+/).length < 2) problems.push(`line ${n}: ${word} without a file`);
    } else if (KICKSTART_COMMANDS.has(word)) {
      seen.add(word);
    } else {
      problems.push(`line ${n}: unknown kickstart command: ${line}`);
    }
  }
  if (section !== null) problems.push(`${section.name} opened at line ${section.line} is not closed by %end`);
  if (!KICKSTART_SOURCES.some((c) => seen.has(c))) problems.push(`no installation source (${KICKSTART_SOURCES.join('|')})`);
  if (!seen.has('rootpw')) problems.push('no rootpw');
  if (!seen.has('bootloader')) problems.push('no bootloader');
  if (!KICKSTART_PARTITIONING.some((c) => seen.has(c))) problems.push(`no partitioning (${KICKSTART_PARTITIONING.join('|')})`);
  return problems;
}

// --- preseed (debian-installer) ---------------------------------------------------------------------

const PRESEED_LINE = /^(d-i|tasksel|popularity-contest|[a-z0-9-]+)\s+\S+\s+\S+(\s+.*)?$/;
/** debconf's question types. */
export const DEBCONF_TYPES: ReadonlySet<string> = new Set([
  'string', 'boolean', 'select', 'multiselect', 'password', 'note', 'text', 'title', 'error',
]);

/** The logical lines of a preseed file: `\` continuations joined, comments and blank lines dropped. */
export function preseedLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; ) {
    const start = i + 1;
    const parts: string[] = [];
    let continued: boolean;
    do {
      const raw = lines[i++];
      continued = /\\\s*$/.test(raw) && i < lines.length;
      parts.push((continued ? raw.replace(/\\\s*$/, '') : raw).trim());
    } while (continued);
    const entry = parts.filter((p) => p !== '').join(' ');
    if (entry !== '' && !entry.startsWith('#')) out.push({ line: start, text: entry });
  }
  return out;
}

export function checkPreseed(text: string): string[] {
  const problems: string[] = [];
  const questions = new Set<string>();
  for (const { line, text: entry } of preseedLines(text)) {
    if (!PRESEED_LINE.test(entry)) {
      problems.push(`line ${line}: not "owner question type value": ${entry}`);
      continue;
    }
    const [, question, type] = entry.split(/\s+/);
    if (!DEBCONF_TYPES.has(type)) problems.push(`line ${line}: unknown debconf type ${type}: ${entry}`);
    questions.add(question);
  }
  const has = (re: RegExp) => [...questions].some((q) => re.test(q));
  if (!has(/^mirror\//)) problems.push('no mirror/ answers');
  if (!has(/^passwd\/(username|root-login)$/)) problems.push('no passwd/username or passwd/root-login');
  if (!has(/^passwd\/(root|user)-password(-crypted)?$/)) problems.push('no password (passwd/root-password*, passwd/user-password*)');
  return problems;
}

// --- AutoYaST -------------------------------------------------------------------------------------

export const AUTOYAST_NAMESPACE = 'http://www.suse.com/1.0/yast2ns';
const AUTOYAST_CONFIG_NAMESPACE = 'http://www.suse.com/1.0/configns';

export function checkAutoyast(text: string): string[] {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return [`not well-formed XML: line ${valid.err.line}: ${valid.err.msg}`];
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false }).parse(text) as Record<string, unknown>;
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?'));
  if (roots.length !== 1 || roots[0] !== 'profile') return [`the root element is ${roots.join(', ') || 'missing'}, not profile`];
  const profile = doc.profile as Record<string, unknown>;
  const problems: string[] = [];
  if (profile['@xmlns'] !== AUTOYAST_NAMESPACE) problems.push(`profile is not in namespace ${AUTOYAST_NAMESPACE}`);
  const usesConfig = /\sconfig:type=/.test(text);
  if (usesConfig && profile['@xmlns:config'] !== AUTOYAST_CONFIG_NAMESPACE) {
    problems.push(`config:type is used but xmlns:config is not ${AUTOYAST_CONFIG_NAMESPACE}`);
  }
  checkConfigTypes(profile, 'profile', problems);
  return problems;
}

/** The values of elements typed by `config:type`: booleans are true/false, integers are digits. */
function checkConfigTypes(node: unknown, where: string, problems: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((item) => checkConfigTypes(item, where, problems));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const element = node as Record<string, unknown>;
  const type = element['@config:type'];
  const value = typeof element['#text'] === 'string' ? element['#text'].trim() : '';
  if (type === 'boolean' && !/^(true|false)$/.test(value)) problems.push(`${where}: boolean "${value}"`);
  if (type === 'integer' && !/^-?\d+$/.test(value)) problems.push(`${where}: integer "${value}"`);
  for (const [key, child] of Object.entries(element)) {
    if (!key.startsWith('@') && key !== '#text') checkConfigTypes(child, `${where}/${key}`, problems);
  }
}

// --- autoinstall (subiquity) ----------------------------------------------------------------------

export function checkAutoinstall(text: string): string[] {
  const problems: string[] = [];
  if (text.split(/\r?\n/, 1)[0] !== '#cloud-config') problems.push('the first line is not #cloud-config');
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) return [...problems, ...doc.errors.map((e) => `YAML: ${e.message}`)];
  const root = doc.toJS() as unknown;
  const auto = isMap(root) ? root.autoinstall : undefined;
  if (!isMap(auto)) return [...problems, 'no autoinstall mapping'];
  if (auto.version !== 1) problems.push(`autoinstall.version is ${JSON.stringify(auto.version)}, not 1`);
  const identity = auto.identity;
  const userData = auto['user-data'];
  const users = isMap(userData) && Array.isArray(userData.users) ? userData.users : [];
  if (identity === undefined && users.length === 0) problems.push('neither identity nor user-data users');
  if (identity !== undefined && !(isMap(identity) && typeof identity.username === 'string')) problems.push('identity has no username');
  for (const user of users) {
    if (!(user === 'default' || (isMap(user) && typeof user.name === 'string' && user.name !== ''))) {
      problems.push(`user-data user without a name: ${JSON.stringify(user)}`);
    }
  }
  if (auto.network !== undefined) {
    // Subiquity takes netplan either directly or nested once more under "network".
    const net = isMap(auto.network) && isMap(auto.network.network) ? auto.network.network : auto.network;
    if (!isMap(net) || net.version !== 2) problems.push('network is not a netplan version 2 mapping');
  }
  for (const key of ['early-commands', 'late-commands', 'packages']) {
    const list = auto[key];
    if (list !== undefined && !(Array.isArray(list) && list.every((c) => typeof c === 'string' || Array.isArray(c)))) {
      problems.push(`${key} is not a list of commands`);
    }
  }
  return problems;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
