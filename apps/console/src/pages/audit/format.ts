/** An API timestamp (ISO) as the browser's local date and time; the text as is when unparsable. */
export function shownTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}

/** A uuid cut for a narrow column (the whole one in its title). */
export const shortUuid = (uuid: string | null | undefined): string => (uuid ? `${uuid.slice(0, 8)}…` : '—');
