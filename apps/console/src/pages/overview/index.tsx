import { Title } from '@mantine/core';

export function OverviewPage() {
  return <Title order={2}>Overview</Title>;
}
