import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * ZStack's predefined preconfiguration templates (zstack-wire.md §5): the installer files under
 * apps/baremetal-svc/templates/, loaded at start, owned by admin, shared and marked `isPredefined`.
 * A template's name is its file name minus the extension.
 */
export interface PredefinedTemplate {
  name: string;
  description: string;
  distribution: string;
  type: 'kickstart' | 'preseed' | 'autoyast' | 'autoinstall';
  content: string;
}

/** The folder of the template files: `<app>/templates`, beside `src` (and beside `dist` once built). */
export const PREDEFINED_TEMPLATE_DIR = path.join(__dirname, '..', '..', 'templates');

type TemplateFile = Omit<PredefinedTemplate, 'name' | 'content'> & { file: string };

/** The eleven files, sorted by name. */
const TEMPLATE_FILES: readonly TemplateFile[] = [
  {
    file: 'centos_7_aarch64_min_v1.cfg', distribution: 'centos-aarch64', type: 'kickstart',
    description: 'Minimal CentOS 7 (aarch64) install by kickstart',
  },
  {
    file: 'centos_7_x86_64_mini_v1.cfg', distribution: 'centos-x86_64', type: 'kickstart',
    description: 'Minimal CentOS 7 (x86_64) install by kickstart',
  },
  {
    file: 'kylin_10_aarch64_min_v1.cfg', distribution: 'kylin-aarch64', type: 'kickstart',
    description: 'Minimal Kylin Linux Advanced Server V10 (aarch64) install by kickstart',
  },
  {
    file: 'kylin_10_x86_64_min_v1.cfg', distribution: 'kylin-x86_64', type: 'kickstart',
    description: 'Minimal Kylin Linux Advanced Server V10 (x86_64) install by kickstart',
  },
  {
    file: 'openEuler_20_aarch64_min_v1.cfg', distribution: 'openEuler-aarch64', type: 'kickstart',
    description: 'Minimal openEuler 20.03 LTS (aarch64) install by kickstart',
  },
  {
    file: 'opensuse_15_x86_64_mini_v1.xml', distribution: 'opensuse-x86_64', type: 'autoyast',
    description: 'Minimal openSUSE Leap 15 (x86_64) install by AutoYaST',
  },
  {
    file: 'ubuntu_16_x86_64_mini_v2.cfg', distribution: 'ubuntu-x86_64', type: 'preseed',
    description: 'Minimal Ubuntu 16.04 (x86_64) install by debian-installer preseed',
  },
  {
    file: 'ubuntu_18_x86_64_mini_v1.cfg', distribution: 'ubuntu-x86_64', type: 'preseed',
    description: 'Minimal Ubuntu 18.04 (x86_64) install by debian-installer preseed',
  },
  {
    file: 'ubuntu_20_live_server_x86_64_mini_v1.yaml', distribution: 'ubuntu-live-server-x86_64', type: 'autoinstall',
    description: 'Minimal Ubuntu 20.04 live server (x86_64) install by subiquity autoinstall',
  },
  {
    file: 'zstack_expert_x86_64_v2.cfg', distribution: 'zstack-x86_64', type: 'kickstart',
    description: 'ZStack ISO (x86_64) in expert mode: a ZStack management node, by kickstart',
  },
  {
    file: 'zstack_host_x86_64_v3.cfg', distribution: 'zstack-x86_64', type: 'kickstart',
    description: 'ZStack ISO (x86_64) as a ZStack compute host, by kickstart',
  },
];

/** Reads the predefined templates from `dir`, in name order; a missing file is an Error naming it. */
export function loadPredefinedTemplates(dir = PREDEFINED_TEMPLATE_DIR): PredefinedTemplate[] {
  return TEMPLATE_FILES.map(({ file, description, distribution, type }) => {
    const filePath = path.join(dir, file);
    let content: string;
    try {
      content = readFileSync(filePath, 'utf8');
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new Error(`cannot read predefined preconfiguration template ${file} (${filePath}): ${reason}`);
    }
    return { name: path.parse(file).name, description, distribution, type, content };
  });
}
