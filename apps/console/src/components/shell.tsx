import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense, type ReactNode } from 'react';
import { NavLink as RouterLink, useLocation } from 'react-router';
import { usePermissions, useSession } from '../auth/session-context';
import { ErrorBoundary } from './error-boundary';
import { Loading } from './loading';
import { NAVIGATION } from '../navigation';

/** The logged-in layout: a header with the caller and Log out, the navigation, the page. */
export function Shell({ children }: { children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const { session, logout } = useSession();
  const { isAdmin } = usePermissions();
  const location = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={1} size="h4">Control plane</Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" data-testid="caller">
              {session?.name}
              {isAdmin ? ' (admin)' : ''}
            </Text>
            <Button variant="default" size="xs" onClick={() => void logout()}>Log out</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {NAVIGATION.map((item) => (
          <NavLink
            key={item.path}
            component={RouterLink}
            to={item.path}
            end={item.path === '/'}
            label={item.label}
            variant="filled"
            active={item.path === '/' ? location.pathname === '/' : location.pathname.startsWith(item.path)}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <ErrorBoundary key={location.pathname}>
          <Suspense fallback={<Loading />}>{children}</Suspense>
        </ErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
