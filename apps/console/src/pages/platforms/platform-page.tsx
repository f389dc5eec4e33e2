import { Title } from '@mantine/core';

export function PlatformPage() {
  return <Title order={2}>Platform</Title>;
}
