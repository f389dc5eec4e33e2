/** A timestamp of the APIs (ISO, or ZStack's text) as the browser's local date and time; the text as is when unparsable. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}
