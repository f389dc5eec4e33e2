import { Text, Title } from '@mantine/core';

/** Placeholder: the Templates page comes with its own feature (it replaces this file). */
export function TemplatesPage() {
  return (
    <>
      <Title order={2} mb="sm">Templates</Title>
      <Text c="dimmed">Preconfiguration templates (baremetal): list, render and edit. This page is not written yet.</Text>
    </>
  );
}
