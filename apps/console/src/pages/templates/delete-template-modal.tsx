import { useApi } from '../../auth/session-context';
import { ConfirmModal } from '../../components/confirm-modal';
import type { Template } from './types';

/** DeletePreconfigurationTemplate after a confirmation. */
export function DeleteTemplateModal({ template, onClose, onDeleted }: { template: Template; onClose: () => void; onDeleted: () => void }) {
  const api = useApi();
  return (
    <ConfirmModal title={`Delete ${template.name}?`} confirmLabel="Delete the template" danger doing="Deleting the template" onClose={onClose}
      onConfirm={async () => {
        await api.call('DeletePreconfigurationTemplate', { uuid: template.uuid });
        onDeleted();
      }}>
      The template and its content are removed; servers can no longer be installed with it. Its history stays in the audit log.
    </ConfirmModal>
  );
}
