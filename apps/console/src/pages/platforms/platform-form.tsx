import { Checkbox, Group, NumberInput, PasswordInput, Select, Stack, Switch, TextInput } from '@mantine/core';
import { PRODUCT_LABELS, PRODUCT_TYPES, type ProductType } from './types';

/** The fields of a platform the operator types (create, edit). */
export interface PlatformFields {
  name: string;
  productType: ProductType;
  hostIp: string;
  hostPort: number | '';
  useTls: boolean;
  username: string;
  password: string;
  scope: 'global' | 'region';
  regionUuid: string;
  syncResource: boolean;
  monitoring: boolean;
  logCollection: boolean;
}

export const DEFAULT_PORTS: Record<ProductType, number> = { zstack: 8080, vmware: 443, openstack: 5000 };

export const emptyFields = (): PlatformFields => ({
  name: '', productType: 'vmware', hostIp: '', hostPort: DEFAULT_PORTS.vmware, useTls: true, username: '', password: '',
  scope: 'global', regionUuid: '', syncResource: true, monitoring: true, logCollection: false,
});

/** The endpoint TestConnectionDetailed takes: a URL whose scheme says whether TLS is used. */
export const endpointOf = (f: PlatformFields) => `${f.useTls ? 'https' : 'http'}://${f.hostIp.includes(':') ? `[${f.hostIp}]` : f.hostIp}:${f.hostPort}`;

interface Props {
  value: PlatformFields;
  onChange: (next: PlatformFields) => void;
  /** Editing: the product is fixed, and the credential is optional (both or neither). */
  editing?: boolean;
  disabled?: boolean;
}

export function PlatformForm({ value, onChange, editing = false, disabled = false }: Props) {
  const set = <K extends keyof PlatformFields>(key: K, v: PlatformFields[K]) => onChange({ ...value, [key]: v });
  return (
    <Stack gap="sm">
      <TextInput label="Name" required value={value.name} onChange={(e) => set('name', e.currentTarget.value)} disabled={disabled} maxLength={255} />
      <Select
        label="Product"
        required
        disabled={disabled || editing}
        allowDeselect={false}
        data={PRODUCT_TYPES.map((p) => ({ value: p, label: PRODUCT_LABELS[p] }))}
        value={value.productType}
        onChange={(v) => {
          const productType = (v ?? 'vmware') as ProductType;
          onChange({ ...value, productType, hostPort: DEFAULT_PORTS[productType], useTls: productType !== 'zstack' });
        }}
      />
      <Group grow align="flex-start">
        <TextInput label="Host (address or DNS name)" required={!editing} value={value.hostIp} onChange={(e) => set('hostIp', e.currentTarget.value)} disabled={disabled} />
        <NumberInput label="Port" required={!editing} min={1} max={65535} allowDecimal={false} value={value.hostPort}
          onChange={(v) => set('hostPort', typeof v === 'number' ? v : '')} disabled={disabled} />
      </Group>
      <Switch label="Use TLS (https)" checked={value.useTls} onChange={(e) => set('useTls', e.currentTarget.checked)} disabled={disabled} />
      <Group grow align="flex-start">
        <TextInput label="Username" required={!editing} value={value.username} onChange={(e) => set('username', e.currentTarget.value)}
          disabled={disabled} autoComplete="off" description={editing ? 'With a password: replaces the credential (negotiates again)' : undefined} />
        <PasswordInput label="Password" required={!editing} value={value.password} onChange={(e) => set('password', e.currentTarget.value)}
          disabled={disabled} autoComplete="new-password" />
      </Group>
      <Group grow align="flex-start">
        <Select label="Scope" allowDeselect={false} data={[{ value: 'global', label: 'Global' }, { value: 'region', label: 'Region' }]}
          value={value.scope} onChange={(v) => set('scope', (v ?? 'global') as PlatformFields['scope'])} disabled={disabled} />
        {value.scope === 'region' ? (
          <TextInput label="Region uuid" required value={value.regionUuid} onChange={(e) => set('regionUuid', e.currentTarget.value)}
            disabled={disabled} description="32 lowercase hex digits" />
        ) : <div />}
      </Group>
      <Checkbox.Group label="Features">
        <Group mt={4}>
          <Checkbox label="Sync resources" checked={value.syncResource} onChange={(e) => set('syncResource', e.currentTarget.checked)} disabled={disabled} />
          <Checkbox label="Monitoring (health probes)" checked={value.monitoring} onChange={(e) => set('monitoring', e.currentTarget.checked)} disabled={disabled} />
          <Checkbox label="Log collection" checked={value.logCollection} onChange={(e) => set('logCollection', e.currentTarget.checked)} disabled={disabled} />
        </Group>
      </Checkbox.Group>
    </Stack>
  );
}
