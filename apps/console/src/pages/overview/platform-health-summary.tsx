import { Anchor, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useApi } from '../../auth/session-context';
import { useLoad } from '../../api/use-load';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { Loading } from '../../components/loading';
import { HealthBadge } from '../platforms/health-badge';
import { shownHealth, type PlatformList, type ShownHealth } from '../platforms/types';

const ORDER: ShownHealth[] = ['healthy', 'degraded', 'unhealthy', 'unknown'];
/** ListPlatforms' page limit: the counts read every page. */
const PAGE = 1000;

/** How many platforms are in each health, from ListPlatforms (every page), each count a link to the filtered list. */
export function PlatformHealthSummary() {
  const api = useApi();
  const { data, error, loading, reload } = useLoad(async (signal) => {
    const counts: Record<ShownHealth, number> = { healthy: 0, degraded: 0, unhealthy: 0, unknown: 0 };
    let offset = 0;
    let total = 0;
    do {
      const page = await api.call<'ListPlatforms', PlatformList>('ListPlatforms', { limit: String(PAGE) as never, offset: String(offset) as never }, { signal });
      for (const p of page.platforms) counts[shownHealth(p)]++;
      total = page.total;
      offset += page.platforms.length;
      if (page.platforms.length === 0) break;
    } while (offset < total);
    return { counts, total };
  }, []);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="overview-platforms">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} id="overview-platforms">Platforms by health</Title>
          <Anchor component={Link} to="/platforms" size="sm">All platforms</Anchor>
        </Group>
        <ApiErrorAlert error={error} onRetry={reload} title="Loading the platforms" />
        {loading && !data ? <Loading label="Loading the platforms" /> : null}
        {data ? (
          <>
            <Text size="sm" c="dimmed">{data.total} platform{data.total === 1 ? '' : 's'}</Text>
            <SimpleGrid cols={4} data-testid="health-counts">
              {ORDER.map((health) => (
                <Stack key={health} gap={4} align="center">
                  <Text size="xl" fw={700} data-health={health}>{data.counts[health]}</Text>
                  {health === 'unknown' ? <HealthBadge health={health} /> : (
                    <Anchor component={Link} to={`/platforms?healthStatus=${health}`} aria-label={`${data.counts[health]} ${health} platforms`}>
                      <HealthBadge health={health} />
                    </Anchor>
                  )}
                </Stack>
              ))}
            </SimpleGrid>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
