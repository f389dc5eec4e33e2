const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

function javaText(year: number, month: number, day: number, hour24: number, minute: number, second: number): string {
  const hour12 = hour24 % 12 === 0 ? 12 : hour24 % 12;
  return `${MONTHS[month]} ${day}, ${year} ${hour12}:${two(minute)}:${two(second)} ${hour24 < 12 ? 'AM' : 'PM'}`;
}

/**
 * ZStack's timestamps: gson's default Date format on a Java 8 JVM, `MMM d, yyyy h:mm:ss a` in the
 * server's zone (`Aug 15, 2025 5:35:30 AM`), with no zone in the text. UTC (the default) is computed
 * directly: a query of 1000 inventories formats 2000 dates, and Intl is ten times slower.
 */
export function zstackDateFormatter(timeZone: string): (iso: string) => string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    return (iso) => {
      const d = new Date(iso);
      if (Number.isNaN(d.getTime())) return iso;
      return javaText(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
    };
  }
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', hour12: false,
  });
  return (iso) => {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) return iso;
    const p: Record<string, string> = {};
    for (const { type, value } of parts.formatToParts(ms)) p[type] = value;
    return javaText(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  };
}
