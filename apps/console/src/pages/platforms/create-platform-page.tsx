import { Title } from '@mantine/core';

export function CreatePlatformPage() {
  return <Title order={2}>New platform</Title>;
}
