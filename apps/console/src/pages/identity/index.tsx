import { Text, Title } from '@mantine/core';

/** Placeholder: the Identity page comes with its own feature (it replaces this file). */
export function IdentityPage() {
  return (
    <>
      <Title order={2} mb="sm">Identity</Title>
      <Text c="dimmed">Accounts, IAM2 virtual IDs and access keys. This page is not written yet.</Text>
    </>
  );
}
