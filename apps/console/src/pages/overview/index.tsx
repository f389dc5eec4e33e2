import { SimpleGrid, Stack, Title } from '@mantine/core';
import { usePermissions } from '../../auth/session-context';
import { LatestChanges } from './latest-changes';
import { PlatformHealthSummary } from './platform-health-summary';
import { ReadModels } from './read-models';

/** The overview: platforms by health, the latest changes of the audit log, the services' read models. */
export function OverviewPage() {
  const { can } = usePermissions();
  return (
    <Stack>
      <Title order={2}>Overview</Title>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        {can('ListPlatforms') ? <PlatformHealthSummary /> : null}
        <ReadModels />
      </SimpleGrid>
      {can('QueryAuditEvents') ? <LatestChanges /> : null}
    </Stack>
  );
}
