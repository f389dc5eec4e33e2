const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * ZStack's timestamps: gson's default Date format on a Java 8 JVM, `MMM d, yyyy h:mm:ss a` in the
 * server's zone (`Aug 15, 2025 5:35:30 AM`), with no zone in the text.
 */
export function zstackDateFormatter(timeZone: string): (iso: string) => string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', hour12: false,
  });
  return (iso) => {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) return iso;
    const p: Record<string, string> = {};
    for (const { type, value } of parts.formatToParts(ms)) p[type] = value;
    const hour24 = Number(p.hour) % 24;
    const hour12 = hour24 % 12 === 0 ? 12 : hour24 % 12;
    return `${MONTHS[Number(p.month) - 1]} ${Number(p.day)}, ${p.year} ${hour12}:${p.minute}:${p.second} ${hour24 < 12 ? 'AM' : 'PM'}`;
  };
}
