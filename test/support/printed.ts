/**
 * Everything this process prints from now on (stdout and stderr, the apps' logs included), kept for
 * the secret scans at the end of an e2e file; the output still goes through.
 */
export function capturePrinted(): string[] {
  const printed: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      printed.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  }
  return printed;
}
