import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useRef, useState } from 'react';

interface Props {
  accessKeyId: string;
  secret: string;
  onClose: () => void;
}

/**
 * CreateAccessKey's secret, shown once: a copy button (navigator.clipboard), and the secret in a
 * read-only field that selects itself, for copying by hand where the clipboard API is refused. The
 * secret lives only in this dialog's props: the parent drops it when the dialog closes, and it is
 * never written to storage or a URL.
 */
export function SecretDialog({ accessKeyId, secret, onClose }: Props) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'manual' | null>(null);

  const selectAll = () => field.current?.select();
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard API');
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      selectAll();
      setCopied('manual');
    }
  };

  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title="The access key's secret" closeOnClickOutside={false} size="lg">
      <Stack>
        <Alert color="red" variant="light" title="Shown once" data-testid="secret-warning">
          <Text size="sm">
            Copy the secret now: it will not be shown again, by the console or by any API. If it is lost, delete the key and create another.
          </Text>
        </Alert>
        <Text size="sm">AccessKeyID: <Code data-testid="access-key-id">{accessKeyId}</Code></Text>
        <TextInput ref={field} label="AccessKeySecret" readOnly value={secret} ff="monospace" onFocus={selectAll} onClick={selectAll}
          data-testid="access-key-secret" autoComplete="off" spellCheck={false} />
        <Group justify="space-between">
          <Text size="sm" role="status" c={copied === 'manual' ? '#9a3a00' : undefined}>
            {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'manual' ? 'The browser refused the clipboard: the secret is selected, press Ctrl+C (⌘C) to copy it.' : ''}
          </Text>
          <Group>
            <Button variant="default" onClick={() => void copy()}>Copy the secret</Button>
            <Button onClick={onClose}>I have copied it</Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
