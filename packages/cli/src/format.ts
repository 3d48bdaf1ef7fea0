/** Seconds as a short human string: `850 µs`, `12.3 ms`, `1.24 s`. */
export function formatSeconds(s: number): string {
  if (s < 1e-3) return `${(s * 1e6).toPrecision(3)} µs`;
  if (s < 1) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${s.toPrecision(3)} s`;
}

/** A byte count as `812 B`, `1.0 KiB`, `3.4 MiB`, `2.1 GiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** A shape as `512×512` (`scalar` for []). */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

/**
 * A plain-text table with a header row and a rule under it; `align` is 'l' or 'r' per
 * column (default left). Columns are separated by two spaces; no trailing spaces.
 */
export function table(header: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, j) => (align[j] === 'r' ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
