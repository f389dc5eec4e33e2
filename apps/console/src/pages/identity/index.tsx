import { Stack, Tabs, Text, Title } from '@mantine/core';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useSession } from '../../auth/session-context';
import { AccessKeysTab } from './access-keys-tab';
import { AccountsTab } from './accounts-tab';
import { VirtualIdsTab } from './virtual-ids-tab';

const TABS = [
  { path: 'accounts', label: 'Accounts', Page: AccountsTab },
  { path: 'virtual-ids', label: 'IAM2 virtual IDs', Page: VirtualIdsTab },
  { path: 'access-keys', label: 'Access keys', Page: AccessKeysTab },
] as const;

/**
 * `/identity/accounts`, `/identity/virtual-ids`, `/identity/access-keys`: tabs that are routes (a
 * reload or a link comes back to one); arrow keys move between the tabs.
 */
export function IdentityPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const { session } = useSession();
  const current = TABS.find((t) => location.pathname.startsWith(`/identity/${t.path}`));
  if (!current) return <Navigate to="/identity/accounts" replace />;
  return (
    <Stack>
      <Title order={2}>Identity</Title>
      <Text size="sm" c="dimmed">
        Logged in as {session?.name} ({session?.kind === 'virtualId' ? 'IAM2 virtual ID' : 'account'}). Actions you may not take are not shown.
      </Text>
      <Tabs value={current.path} onChange={(v) => v && void navigate(`/identity/${v}`)}>
        <Tabs.List aria-label="Identity">
          {TABS.map((t) => <Tabs.Tab key={t.path} value={t.path}>{t.label}</Tabs.Tab>)}
        </Tabs.List>
        {TABS.map((t) => (
          <Tabs.Panel key={t.path} value={t.path} pt="md">
            {t.path === current.path ? <t.Page /> : null}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
