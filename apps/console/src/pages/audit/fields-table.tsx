import { Table, Text } from '@mantine/core';
import { flatten, REDACTED, showScalar } from './diff';

/** A resource's inventory as a table of its fields, nested ones by dotted path; redacted secrets stay redacted. */
export function FieldsTable({ inventory, label }: { inventory: Record<string, unknown>; label: string }) {
  const fields = [...flatten(inventory).entries()];
  return (
    <Table aria-label={label} withTableBorder verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col" w="30%">Field</Table.Th>
          <Table.Th scope="col">Value</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {fields.map(([path, value]) => (
          <Table.Tr key={path} data-field={path}>
            <Table.Td><Text size="sm" ff="monospace">{path}</Text></Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace" c={value === REDACTED ? 'dimmed' : undefined} style={{ wordBreak: 'break-all' }}>{showScalar(value)}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
        {fields.length === 0 ? <Table.Tr><Table.Td colSpan={2}><Text size="sm" c="dimmed">No fields.</Text></Table.Td></Table.Tr> : null}
      </Table.Tbody>
    </Table>
  );
}
