import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';
import {
  checkAutoinstall, checkAutoyast, checkContent, checkKickstart, checkPreseed, COMMON_PARAMS, extractParams, preseedLines, renderTemplate,
} from '@cp/domain/baremetal';
import { loadPredefinedTemplates, PREDEFINED_TEMPLATE_DIR, PredefinedTemplate } from './predefined-templates';

type TemplateType = PredefinedTemplate['type'];

const EXPECTED: Record<string, { distribution: string; type: TemplateType; file: string }> = {
  centos_7_aarch64_min_v1: { distribution: 'centos-aarch64', type: 'kickstart', file: 'centos_7_aarch64_min_v1.cfg' },
  centos_7_x86_64_mini_v1: { distribution: 'centos-x86_64', type: 'kickstart', file: 'centos_7_x86_64_mini_v1.cfg' },
  kylin_10_aarch64_min_v1: { distribution: 'kylin-aarch64', type: 'kickstart', file: 'kylin_10_aarch64_min_v1.cfg' },
  kylin_10_x86_64_min_v1: { distribution: 'kylin-x86_64', type: 'kickstart', file: 'kylin_10_x86_64_min_v1.cfg' },
  openEuler_20_aarch64_min_v1: { distribution: 'openEuler-aarch64', type: 'kickstart', file: 'openEuler_20_aarch64_min_v1.cfg' },
  opensuse_15_x86_64_mini_v1: { distribution: 'opensuse-x86_64', type: 'autoyast', file: 'opensuse_15_x86_64_mini_v1.xml' },
  ubuntu_16_x86_64_mini_v2: { distribution: 'ubuntu-x86_64', type: 'preseed', file: 'ubuntu_16_x86_64_mini_v2.cfg' },
  ubuntu_18_x86_64_mini_v1: { distribution: 'ubuntu-x86_64', type: 'preseed', file: 'ubuntu_18_x86_64_mini_v1.cfg' },
  ubuntu_20_live_server_x86_64_mini_v1: {
    distribution: 'ubuntu-live-server-x86_64', type: 'autoinstall', file: 'ubuntu_20_live_server_x86_64_mini_v1.yaml',
  },
  zstack_expert_x86_64_v2: { distribution: 'zstack-x86_64', type: 'kickstart', file: 'zstack_expert_x86_64_v2.cfg' },
  zstack_host_x86_64_v3: { distribution: 'zstack-x86_64', type: 'kickstart', file: 'zstack_host_x86_64_v3.cfg' },
};

const REPO_URL = 'http://192.168.0.10/repo';
const USERNAME = 'zstack';
const PASSWORD = '$6$Zs7kQp1x$3mGkqN0e5zKX1Fj4Yc8m2yQx.Lr9vB0tHw6uJ7dS1aE/NfPoR2iT8gW5cV4bU3yZ1xA0sD9fG8hJ7kL6mN5bV.';
/** Values of the custom params the templates use; a template with another one fails the render check. */
const CUSTOM_VALUES: Record<string, string> = { hostname: 'bm-host-01' };

interface TypeValues {
  NETWORK_CFGS: string;
  FORCE_INSTALL: string;
  PRE_SCRIPTS: string;
  POST_SCRIPTS: string;
  /** What FORCE_INSTALL, PRE_SCRIPTS and POST_SCRIPTS render to when unused. */
  off: { FORCE_INSTALL: string; PRE_SCRIPTS: string; POST_SCRIPTS: string };
  /** A line of PRE_SCRIPTS and of POST_SCRIPTS, to find in the rendered text. */
  preMarker: string;
  postMarker: string;
}

const OFF = { FORCE_INSTALL: '', PRE_SCRIPTS: '', POST_SCRIPTS: '' };

/** The values the platform would give, in each format's own syntax. */
const VALUES: Record<TemplateType, TypeValues> = {
  kickstart: {
    NETWORK_CFGS: [
      'network --device=eth0 --bootproto=static --ip=192.168.0.20 --netmask=255.255.255.0 --gateway=192.168.0.1 --nameserver=192.168.0.1 --onboot=yes --activate',
      'network --device=eth1 --bootproto=dhcp --onboot=yes',
    ].join('\n'),
    FORCE_INSTALL: 'clearpart --all --initlabel',
    PRE_SCRIPTS: ['echo "pre-install $(date)" >> /tmp/zstack-pre.log', '[ -b /dev/sda ] && wipefs -n /dev/sda > /tmp/sda.sig || true'].join('\n'),
    POST_SCRIPTS: ['echo "post-install" >> /root/zstack-post.log', 'systemctl enable sshd'].join('\n'),
    off: OFF,
    preMarker: 'echo "pre-install $(date)" >> /tmp/zstack-pre.log',
    postMarker: 'echo "post-install" >> /root/zstack-post.log',
  },
  preseed: {
    NETWORK_CFGS: [
      'd-i netcfg/choose_interface select eth0',
      'd-i netcfg/disable_autoconfig boolean true',
      'd-i netcfg/get_ipaddress string 192.168.0.20',
      'd-i netcfg/get_netmask string 255.255.255.0',
      'd-i netcfg/get_gateway string 192.168.0.1',
      'd-i netcfg/get_nameservers string 192.168.0.1',
      'd-i netcfg/confirm_static boolean true',
      'd-i netcfg/get_hostname string bm-instance-01',
      'd-i netcfg/get_domain string localdomain',
    ].join('\n'),
    FORCE_INSTALL: [
      'd-i partman-lvm/device_remove_lvm boolean true',
      'd-i partman-md/device_remove_md boolean true',
      'd-i partman-auto/purge_lvm_from_device boolean true',
      'd-i partman-lvm/confirm boolean true',
    ].join('\n'),
    PRE_SCRIPTS: 'echo pre-install >> /tmp/zstack-pre.log; modprobe ipmi_devintf || true',
    POST_SCRIPTS: 'in-target systemctl enable ssh; echo post-install >> /target/root/zstack-post.log',
    off: OFF,
    preMarker: 'echo pre-install >> /tmp/zstack-pre.log',
    postMarker: 'echo post-install >> /target/root/zstack-post.log',
  },
  autoyast: {
    NETWORK_CFGS: `<networking>
    <keep_install_network config:type="boolean">false</keep_install_network>
    <interfaces config:type="list">
      <interface>
        <name>eth0</name>
        <bootproto>static</bootproto>
        <ipaddr>192.168.0.20</ipaddr>
        <netmask>255.255.255.0</netmask>
        <startmode>auto</startmode>
      </interface>
    </interfaces>
    <dns>
      <hostname>bm-instance-01</hostname>
      <nameservers config:type="list">
        <nameserver>192.168.0.1</nameserver>
      </nameservers>
    </dns>
    <routing>
      <routes config:type="list">
        <route>
          <destination>default</destination>
          <gateway>192.168.0.1</gateway>
          <netmask>-</netmask>
          <device>-</device>
        </route>
      </routes>
    </routing>
  </networking>`,
    FORCE_INSTALL: '<initialize config:type="boolean">true</initialize>',
    PRE_SCRIPTS: ['echo "pre-install" > /tmp/zstack-pre.log', '[ -b /dev/sda ] && echo "sda <present>" >> /tmp/zstack-pre.log'].join('\n'),
    POST_SCRIPTS: ['echo "post-install" >> /root/zstack-post.log', 'systemctl enable sshd && echo ok'].join('\n'),
    off: OFF,
    preMarker: 'echo "pre-install" > /tmp/zstack-pre.log',
    postMarker: 'echo "post-install" >> /root/zstack-post.log',
  },
  autoinstall: {
    // It starts at column 2, under autoinstall: the lines after the first carry their indentation.
    NETWORK_CFGS: `network:
    version: 2
    ethernets:
      eno1:
        addresses: [192.168.0.20/24]
        gateway4: 192.168.0.1
        nameservers:
          addresses: [192.168.0.1]
      eno2:
        dhcp4: true`,
    FORCE_INSTALL: '- wipefs --all --force /dev/sda',
    // Literal blocks at column 6.
    PRE_SCRIPTS: 'echo "pre-install" >> /tmp/zstack-pre.log\n      modprobe ipmi_devintf || true',
    POST_SCRIPTS: 'echo "post-install" >> /root/zstack-post.log\n      systemctl enable ssh',
    off: OFF,
    preMarker: 'echo "pre-install" >> /tmp/zstack-pre.log',
    postMarker: 'echo "post-install" >> /root/zstack-post.log',
  },
};

const CHECKERS: Record<TemplateType, (text: string) => string[]> = {
  kickstart: checkKickstart,
  preseed: checkPreseed,
  autoyast: checkAutoyast,
  autoinstall: checkAutoinstall,
};

function values(type: TemplateType, forced: boolean): Record<string, string> {
  const v = VALUES[type];
  const varying = forced ? { FORCE_INSTALL: v.FORCE_INSTALL, PRE_SCRIPTS: v.PRE_SCRIPTS, POST_SCRIPTS: v.POST_SCRIPTS } : v.off;
  return { REPO_URL, USERNAME, PASSWORD, NETWORK_CFGS: v.NETWORK_CFGS, ...varying, ...CUSTOM_VALUES };
}

function render(t: PredefinedTemplate, forced = true): string {
  const { text, missing } = renderTemplate(t.content, values(t.type, forced));
  expect(missing).toEqual([]);
  expect(text).not.toMatch(/\{\{\s*[A-Za-z0-9_.-]+\s*\}\}/);
  return text;
}

/** `sh -n`: the shell's own syntax check, nothing is run. */
function shellSyntax(script: string): string {
  const result = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
  return result.status === 0 ? '' : `${result.stderr}\n--- script ---\n${script}`;
}

/** The bodies of a kickstart's sections named `name` (e.g. %post), options dropped. */
function kickstartSections(text: string, name: string): string[] {
  const re = new RegExp(`^${name}\\b[^\\n]*\\n([\\s\\S]*?)^%end$`, 'gm');
  return [...text.matchAll(re)].map((m) => m[1]);
}

/** Comments in the template's own syntax: a token there would break the file once rendered on several lines. */
function comments(t: PredefinedTemplate): string[] {
  if (t.type === 'autoyast') return [...t.content.matchAll(/<!--([\s\S]*?)-->/g)].map((m) => m[1]);
  return t.content.split('\n').filter((l) => l.trim().startsWith('#'));
}

/** What each format's rendered text must say, beyond being well-formed. */
const TYPE_CHECKS: Record<TemplateType, (text: string, forced: boolean) => void> = {
  kickstart(text, forced) {
    const lines = text.split('\n');
    expect(lines).toContain(`url --url=${REPO_URL}`);
    expect(lines).toContain(`rootpw --iscrypted ${PASSWORD}`);
    for (const line of VALUES.kickstart.NETWORK_CFGS.split('\n')) expect(lines).toContain(line);
    expect(lines.includes('clearpart --all --initlabel')).toBe(forced);
    const pre = kickstartSections(text, '%pre');
    const post = kickstartSections(text, '%post');
    expect(pre).toHaveLength(1);
    expect(post).toHaveLength(1);
    if (forced) {
      expect(pre[0]).toContain(VALUES.kickstart.preMarker);
      expect(post[0]).toContain(VALUES.kickstart.postMarker);
    }
    expect(post[0]).toContain(`usermod -p '${PASSWORD}' "${USERNAME}"`);
    for (const script of [...pre, ...post]) expect(shellSyntax(script)).toBe('');
  },
  preseed(text, forced) {
    const answers = new Map<string, string>();
    for (const { text: entry } of preseedLines(text)) {
      const [, question, , ...value] = entry.split(/\s+/);
      answers.set(question, value.join(' '));
    }
    expect(answers.get('passwd/root-password-crypted')).toBe(PASSWORD);
    expect(answers.get('passwd/user-password-crypted')).toBe(PASSWORD);
    expect(answers.get('passwd/username')).toBe(USERNAME);
    expect(answers.get('netcfg/get_ipaddress')).toBe('192.168.0.20');
    expect(answers.get('partman-lvm/device_remove_lvm')).toBe(forced ? 'true' : undefined);
    const early = answers.get('preseed/early_command') ?? '';
    const late = answers.get('preseed/late_command') ?? '';
    expect(early).toContain(`repo="${REPO_URL}"`);
    if (forced) {
      expect(early).toContain(VALUES.preseed.PRE_SCRIPTS);
      expect(late).toContain(VALUES.preseed.POST_SCRIPTS);
    }
    for (const command of [early, late, answers.get('partman/early_command') ?? '']) expect(shellSyntax(command)).toBe('');
    // The early command's split of REPO_URL into the mirror's host and directory, run for real.
    const split = early.slice(0, early.indexOf('debconf-set-selections')).replace('> /tmp/zstack.preseed;', ';');
    const out = spawnSync('sh', ['-c', split], { encoding: 'utf8' });
    expect(out.stdout.split('\n')).toEqual(
      expect.arrayContaining(['d-i mirror/http/hostname string 192.168.0.10', 'd-i mirror/http/directory string /repo']),
    );
  },
  autoyast(text, forced) {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => ['listentry', 'user', 'script', 'drive'].includes(name) }).parse(text);
    const profile = doc.profile;
    expect(profile['add-on'].add_on_products.listentry[0].media_url).toBe(REPO_URL);
    expect(profile.users.user[0].username).toBe('root');
    expect(profile.users.user[0].user_password).toBe(PASSWORD);
    expect(profile.users.user[0].encrypted['#text']).toBe('true');
    expect(profile.networking.interfaces.interface.ipaddr).toBe('192.168.0.20');
    expect(profile.partitioning.drive[0].initialize?.['#text']).toBe(forced ? 'true' : undefined);
    const pre = profile.scripts['pre-scripts'].script[0].source as string;
    const post = profile.scripts['chroot-scripts'].script[0].source as string;
    if (forced) {
      expect(pre).toContain(VALUES.autoyast.PRE_SCRIPTS);
      expect(post).toContain(VALUES.autoyast.POST_SCRIPTS);
    }
    expect(post).toContain(`usermod -p '${PASSWORD}' "${USERNAME}"`);
    for (const script of [pre, post]) expect(shellSyntax(script)).toBe('');
  },
  autoinstall(text, forced) {
    const auto = parseYaml(text).autoinstall;
    expect(auto.apt.primary[0].uri).toBe(REPO_URL);
    expect(auto['user-data'].users[0]).toMatchObject({ name: USERNAME, hashed_passwd: PASSWORD, lock_passwd: false });
    expect(auto.network).toEqual({
      version: 2,
      ethernets: {
        eno1: { addresses: ['192.168.0.20/24'], gateway4: '192.168.0.1', nameservers: { addresses: ['192.168.0.1'] } },
        eno2: { dhcp4: true },
      },
    });
    const early: string[] = auto['early-commands'];
    const late: string[] = auto['late-commands'];
    expect(early.includes('wipefs --all --force /dev/sda')).toBe(forced);
    if (forced) {
      expect(early[0]).toContain('echo "pre-install" >> /tmp/zstack-pre.log\nmodprobe ipmi_devintf || true\n');
      expect(late.join('\n')).toContain("<<'ZSTACK_POST'\necho \"post-install\" >> /root/zstack-post.log\nsystemctl enable ssh\nZSTACK_POST\n");
    }
    expect(late).toContain(`curtin in-target --target=/target -- usermod -p '${PASSWORD}' root`);
    for (const command of [...early, ...late]) expect(shellSyntax(command)).toBe('');
  },
};

const templates = loadPredefinedTemplates();

describe('predefined preconfiguration templates', () => {
  it('are the eleven of zstack-wire.md §5, sorted by name, with their distribution and type', () => {
    expect(templates.map((t) => t.name)).toEqual(Object.keys(EXPECTED).sort());
    for (const t of templates) {
      expect({ name: t.name, distribution: t.distribution, type: t.type }).toEqual({
        name: t.name, distribution: EXPECTED[t.name].distribution, type: EXPECTED[t.name].type,
      });
      expect(t.description.length).toBeGreaterThan(10);
      expect(t.description.length).toBeLessThanOrEqual(2048);
      expect(t.distribution.length).toBeLessThanOrEqual(64);
    }
    expect(readdirSync(PREDEFINED_TEMPLATE_DIR).sort()).toEqual(Object.values(EXPECTED).map((e) => e.file).sort());
  });

  it('keep the content exactly as stored', () => {
    for (const t of templates) {
      expect(t.content).toBe(readFileSync(path.join(PREDEFINED_TEMPLATE_DIR, EXPECTED[t.name].file), 'utf8'));
      const lines = t.content.split('\n').length;
      expect(lines).toBeGreaterThanOrEqual(40);
      expect(lines).toBeLessThanOrEqual(150);
    }
  });

  it('a missing file is an error naming it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'predefined-templates-'));
    try {
      for (const e of Object.values(EXPECTED)) {
        if (e.file !== 'ubuntu_18_x86_64_mini_v1.cfg') copyFileSync(path.join(PREDEFINED_TEMPLATE_DIR, e.file), path.join(dir, e.file));
      }
      expect(() => loadPredefinedTemplates(dir)).toThrow(/ubuntu_18_x86_64_mini_v1\.cfg/);
      copyFileSync(path.join(PREDEFINED_TEMPLATE_DIR, 'ubuntu_18_x86_64_mini_v1.cfg'), path.join(dir, 'ubuntu_18_x86_64_mini_v1.cfg'));
      expect(loadPredefinedTemplates(dir)).toEqual(templates);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.each(templates.map((t) => [t.name, t] as const))('%s', (_name, t) => {
    it('passes the content check, with all seven common params and only known custom params', () => {
      const checked = checkContent(t.content);
      expect(checked).not.toHaveProperty('error');
      const { common, custom } = extractParams(t.content);
      expect([...common].sort()).toEqual([...COMMON_PARAMS].sort());
      for (const p of custom) expect(Object.keys(CUSTOM_VALUES)).toContain(p);
    });

    it('has no param inside a comment', () => {
      for (const c of comments(t)) expect(c).not.toMatch(/\{\{/);
    });

    it.each([true, false])('renders to a valid file (FORCE_INSTALL and scripts given: %s)', (forced) => {
      const text = render(t, forced);
      expect(CHECKERS[t.type](text)).toEqual([]);
      expect(text).toContain(REPO_URL);
      expect(text).toContain(PASSWORD);
      expect(text).toContain(USERNAME);
      const v = VALUES[t.type];
      for (const marker of [v.preMarker, v.postMarker]) {
        if (forced) expect(text).toContain(marker);
        else expect(text).not.toContain(marker);
      }
      TYPE_CHECKS[t.type](text, forced);
    });
  });
});

describe('installer syntax checkers reject broken files', () => {
  const byType = (type: TemplateType) => templates.find((t) => t.type === type)!;

  it('kickstart', () => {
    const good = render(byType('kickstart'));
    expect(checkKickstart(good)).toEqual([]);
    const lastEnd = good.lastIndexOf('%end');
    expect(checkKickstart(good.slice(0, lastEnd) + good.slice(lastEnd + 4))).toEqual([expect.stringMatching(/^%post opened at line \d+ is not closed by %end$/)]);
    expect(checkKickstart(good.replace('%post', '%pre'))).toEqual([]);
    expect(checkKickstart(good.replace(/^%end$/m, ''))).toContainEqual(expect.stringMatching(/%packages inside %pre/));
    expect(checkKickstart(good.replace(/^rootpw .*$/m, ''))).toEqual(['no rootpw']);
    expect(checkKickstart(good.replace(/^bootloader .*$/m, ''))).toEqual(['no bootloader']);
    expect(checkKickstart(good.replace(/^url .*$/m, ''))).toEqual([expect.stringMatching(/^no installation source/)]);
    expect(checkKickstart(good.replace(/^(autopart|part|reqpart) .*$/gm, ''))).toEqual([expect.stringMatching(/^no partitioning/)]);
    // An unrendered multi-line value, or a shell line outside any section, is not a kickstart command.
    expect(checkKickstart(`${good}\n{{ NETWORK_CFGS }}\n`)).toEqual([expect.stringMatching(/unknown kickstart command: \{\{ NETWORK_CFGS \}\}/)]);
    expect(checkKickstart(`${good}\necho hello\n`)).toEqual([expect.stringMatching(/unknown kickstart command: echo hello/)]);
  });

  it('preseed', () => {
    const good = render(byType('preseed'));
    expect(checkPreseed(good)).toEqual([]);
    expect(checkPreseed(good.replace('d-i passwd/username string zstack', 'd-i passwd/username'))).toEqual([
      expect.stringMatching(/not "owner question type value": d-i passwd\/username$/),
    ]);
    expect(checkPreseed(good.replace('d-i time/zone string', 'd-i time/zone strin'))).toEqual([expect.stringMatching(/unknown debconf type strin/)]);
    expect(checkPreseed(good.replace(/^d-i mirror\/.*$/gm, '').replace(/mirror\//g, 'mirrors/'))).toEqual(['no mirror/ answers']);
    expect(checkPreseed(good.replace(/^d-i passwd\/.*$/gm, ''))).toEqual([
      'no passwd/username or passwd/root-login', 'no password (passwd/root-password*, passwd/user-password*)',
    ]);
    expect(checkPreseed(`${good}\nD-I foo/bar string x\n`)).toHaveLength(1);
  });

  it('autoyast', () => {
    const good = render(byType('autoyast'));
    expect(checkAutoyast(good)).toEqual([]);
    expect(checkAutoyast(good.replace('</networking>', ''))).toEqual([expect.stringMatching(/^not well-formed XML/)]);
    expect(checkAutoyast(good.replace('http://www.suse.com/1.0/yast2ns', 'http://example.com/ns'))).toEqual([
      'profile is not in namespace http://www.suse.com/1.0/yast2ns',
    ]);
    expect(checkAutoyast(good.replace(/<(\/?)profile\b/g, '<$1autoinstall'))).toEqual(['the root element is autoinstall, not profile']);
    expect(checkAutoyast(good.replace('<initialize config:type="boolean">true</initialize>', '<initialize config:type="boolean">yes</initialize>'))).toEqual([
      'profile/partitioning/drive/initialize: boolean "yes"',
    ]);
  });

  it('autoinstall', () => {
    const t = byType('autoinstall');
    const good = render(t);
    expect(checkAutoinstall(good)).toEqual([]);
    expect(checkAutoinstall(good.replace('#cloud-config\n', ''))).toEqual(['the first line is not #cloud-config']);
    expect(checkAutoinstall(good.replace('version: 1', 'version: 2'))).toEqual(['autoinstall.version is 2, not 1']);
    expect(checkAutoinstall(good.replace(/ {4}users:[\s\S]*$/, ''))).toEqual(['neither identity nor user-data users']);
    // A network block whose lines lack the indentation of its place is not YAML (or not netplan).
    const flat = renderTemplate(t.content, { ...values('autoinstall', true), NETWORK_CFGS: 'network:\nversion: 2\nethernets:\n  eno1:\n    dhcp4: true' }).text;
    expect(checkAutoinstall(flat)).not.toEqual([]);
    const noVersion = renderTemplate(t.content, { ...values('autoinstall', true), NETWORK_CFGS: 'network:\n    ethernets:\n      eno1:\n        dhcp4: true' }).text;
    expect(checkAutoinstall(noVersion)).toEqual(['network is not a netplan version 2 mapping']);
  });
});
