/** A Prometheus text page, as samples: `name{labels} value`. */
export async function metricsOf(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) });
  return res.text();
}

/** The sum of every sample of `name` (all label sets). */
export function sumOf(page: string, name: string): number {
  let total = 0;
  for (const line of page.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^(\w+)(\{[^}]*\})? ([-+\d.eE]+|NaN)$/.exec(line);
    if (m && m[1] === name) total += Number(m[3]);
  }
  return total;
}
