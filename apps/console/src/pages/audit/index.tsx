import { Text, Title } from '@mantine/core';

/** Placeholder: the Audit page comes with its own feature (it replaces this file). */
export function AuditPage() {
  return (
    <>
      <Title order={2} mb="sm">Audit</Title>
      <Text c="dimmed">The audit log: who changed what, and a resource's history. This page is not written yet.</Text>
    </>
  );
}
