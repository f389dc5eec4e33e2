import { Anchor, Code, Modal, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { shownTime } from './format';
import type { AuditEvent } from './types';

/** One event in full: its metadata and its data exactly as the API returned it (secrets already redacted by the API). */
export function EventDetails({ event, onClose }: { event: AuditEvent | null; onClose: () => void }) {
  return (
    <Modal opened={event !== null} onClose={onClose} size="xl" title={event ? `Event ${event.type} at position ${event.position}` : ''}>
      {event ? (
        <Stack gap="sm">
          <Table withRowBorders={false} verticalSpacing={4}>
            <Table.Tbody>
              <Row name="Time">{shownTime(event.occurredAt)} <Text span c="dimmed" size="xs">({event.occurredAt})</Text></Row>
              <Row name="Resource">
                {event.resourceType}{' '}
                {event.resourceType === 'Login' ? (
                  <Text span ff="monospace" size="sm">{event.resourceUuid}</Text>
                ) : (
                  <Anchor component={Link} to={`/audit/resources/${event.resourceUuid}`} ff="monospace" size="sm" onClick={onClose}>{event.resourceUuid}</Anchor>
                )}
              </Row>
              <Row name="Actor">
                <Text span ff="monospace" size="sm">{event.actor?.accountUuid ?? '—'}</Text>
                {event.actor?.via ? <Text span c="dimmed" size="sm"> via {event.actor.via}</Text> : null}
              </Row>
              {event.commandId ? <Row name="Command"><Text span ff="monospace" size="sm">{event.commandId}</Text></Row> : null}
              {event.correlationId ? <Row name="Correlation"><Text span ff="monospace" size="sm">{event.correlationId}</Text></Row> : null}
              {event.schemaVersion !== undefined ? <Row name="Schema version">{event.schemaVersion}</Row> : null}
            </Table.Tbody>
          </Table>
          <Text fw={600} size="sm" id="event-data-label">Data (as the Audit API returns it; secrets redacted by the API)</Text>
          <Code block aria-labelledby="event-data-label" data-testid="event-data" style={{ maxHeight: 420, overflow: 'auto' }}>
            {JSON.stringify(event.data ?? {}, null, 2)}
          </Code>
        </Stack>
      ) : null}
    </Modal>
  );
}

function Row({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={140}>{name}</Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}
