/**
 * Small, dependency-free SVG charts for the HTML report: line, scatter and grouped bar
 * plots with axes, ticks, labels, a legend and an optional log scale. Every function
 * returns one `<svg>` element as a string (UTF-8, no external references), sized by
 * `width`×`height` in CSS pixels and scaling with its container through `viewBox`.
 */

/** One data series: `y[i]` at `x[i]` (default x = 1, 2, 3, …). */
export interface Series {
  name: string;
  y: ArrayLike<number>;
  x?: ArrayLike<number>;
  /** CSS colour; default the next colour of the palette. */
  color?: string;
  /** Draw with a dashed line (line plots). */
  dashed?: boolean;
  /** How to draw it: default `'line'` in {@link linePlot}, `'points'` in {@link scatterPlot}. */
  mode?: 'line' | 'points';
  /** Show in the legend; default true (set false for repeated series of one colour). */
  legend?: boolean;
}

/** Axis settings. */
export interface AxisOptions {
  label?: string;
  /** Base-10 logarithmic scale; values ≤ 0 are left out. Default false. */
  log?: boolean;
  /** Axis range; default the data range (padded to nice numbers on linear axes). */
  min?: number;
  max?: number;
}

/** Options shared by every chart. */
export interface PlotOptions {
  title?: string;
  /** Default 560. */
  width?: number;
  /** Default 320. */
  height?: number;
  x?: AxisOptions;
  y?: AxisOptions;
  /** Short text for screen readers; default the title. */
  description?: string;
}

/** Okabe & Ito (2008) colour-blind safe palette. */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
];

/** Escapes text for SVG/HTML element content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/** Shortest readable label for a tick value. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const e = Math.floor(Math.log10(a) + 1e-9);
    const m = v / 10 ** e;
    const ms = Number(m.toPrecision(3)).toString();
    return ms === '1' ? `1e${e}` : ms === '-1' ? `-1e${e}` : `${ms}e${e}`;
  }
  return Number(v.toPrecision(4)).toString();
}

/** "Nice" linear ticks (steps of 1, 2 or 5 × 10^k) covering [lo, hi], about `count` of them. */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const r = raw / mag;
  // round the raw step to the nearest of 1, 2, 5, 10 on a log scale (geometric midpoints)
  const step = (r >= Math.sqrt(50) ? 10 : r >= Math.sqrt(10) ? 5 : r >= Math.sqrt(2) ? 2 : 1) * mag;
  const out: number[] = [];
  const start = Math.ceil(lo / step - 1e-9);
  for (let k = start; k * step <= hi + step * 1e-9; k++)
    out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** Ticks for a log axis: powers of ten (every few decades on wide ranges, 1-2-5 on narrow ones). */
export function logTicks(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(lo) + 1e-9);
  const b = Math.ceil(Math.log10(hi) - 1e-9);
  const decades = b - a;
  if (decades <= 1) {
    const out: number[] = [];
    for (let e = a; e <= b; e++)
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
      }
    return out;
  }
  const every = Math.max(1, Math.ceil(decades / 6));
  const out: number[] = [];
  for (let e = a; e <= b; e += every) out.push(10 ** e);
  return out;
}

interface Scale {
  lo: number;
  hi: number;
  log: boolean;
  ticks: number[];
  map(v: number): number;
}

function makeScale(
  values: number[],
  axis: AxisOptions | undefined,
  p0: number,
  p1: number,
  pad: boolean,
): Scale {
  const log = axis?.log ?? false;
  const vals = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  let lo = axis?.min ?? (vals.length ? Math.min(...vals) : log ? 1 : 0);
  let hi = axis?.max ?? (vals.length ? Math.max(...vals) : log ? 10 : 1);
  if (log) {
    if (axis?.min === undefined) lo = 10 ** Math.floor(Math.log10(lo) + 1e-9);
    if (axis?.max === undefined) hi = 10 ** Math.ceil(Math.log10(hi) - 1e-9);
    if (!(hi > lo)) {
      lo /= 10;
      hi *= 10;
    }
  } else {
    if (!(hi > lo)) {
      const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
      lo -= d;
      hi += d;
    }
    if (pad) {
      const t = linearTicks(lo, hi);
      const step = t.length > 1 ? t[1]! - t[0]! : (hi - lo) / 5;
      if (axis?.min === undefined) lo = Math.floor(lo / step + 1e-9) * step;
      if (axis?.max === undefined) hi = Math.ceil(hi / step - 1e-9) * step;
    }
  }
  const f = log ? Math.log10 : (v: number) => v;
  const flo = f(lo);
  const fhi = f(hi);
  return {
    lo,
    hi,
    log,
    ticks: log ? logTicks(lo, hi) : linearTicks(lo, hi),
    map: (v: number) => p0 + ((f(v) - flo) / (fhi - flo)) * (p1 - p0),
  };
}

const r2 = (v: number): string => (Math.round(v * 100) / 100).toString();

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function frame(options: PlotOptions, legendRows: number, bottomExtra = 0): Frame {
  const width = options.width ?? 560;
  const height = options.height ?? 320;
  return {
    width,
    height,
    left: 64,
    right: width - 16,
    top: (options.title ? 30 : 12) + legendRows * 16,
    bottom: height - 44 - bottomExtra,
  };
}

function open(options: PlotOptions, fr: Frame): string[] {
  const desc = options.description ?? options.title ?? 'chart';
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="plot" width="${fr.width}" height="${fr.height}" viewBox="0 0 ${fr.width} ${fr.height}" role="img" aria-label="${escapeXml(desc)}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="11">`,
    `<rect x="0" y="0" width="${fr.width}" height="${fr.height}" fill="#fff"/>`,
  ];
  if (options.title) {
    out.push(
      `<text x="${fr.width / 2}" y="18" text-anchor="middle" font-size="13" font-weight="600">${escapeXml(options.title)}</text>`,
    );
  }
  return out;
}

function yAxis(out: string[], ys: Scale, fr: Frame, label: string | undefined): void {
  for (const t of ys.ticks) {
    const y = r2(ys.map(t));
    out.push(`<line x1="${fr.left}" x2="${fr.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(
      `<text x="${fr.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#333">${formatTick(t)}</text>`,
    );
  }
  out.push(
    `<line x1="${fr.left}" x2="${fr.left}" y1="${fr.top}" y2="${fr.bottom}" stroke="#333"/>`,
  );
  if (label) {
    const cy = (fr.top + fr.bottom) / 2;
    out.push(
      `<text transform="translate(14 ${r2(cy)}) rotate(-90)" text-anchor="middle" fill="#333">${escapeXml(label)}</text>`,
    );
  }
}

function xAxisNumeric(out: string[], xs: Scale, fr: Frame, label: string | undefined): void {
  for (const t of xs.ticks) {
    const x = r2(xs.map(t));
    out.push(`<line x1="${x}" x2="${x}" y1="${fr.bottom}" y2="${fr.bottom + 4}" stroke="#333"/>`);
    out.push(
      `<text x="${x}" y="${fr.bottom + 16}" text-anchor="middle" fill="#333">${formatTick(t)}</text>`,
    );
  }
  out.push(
    `<line x1="${fr.left}" x2="${fr.right}" y1="${fr.bottom}" y2="${fr.bottom}" stroke="#333"/>`,
  );
  if (label) {
    out.push(
      `<text x="${r2((fr.left + fr.right) / 2)}" y="${fr.height - 8}" text-anchor="middle" fill="#333">${escapeXml(label)}</text>`,
    );
  }
}

function legend(
  out: string[],
  items: { name: string; color: string }[],
  fr: Frame,
  hasTitle: boolean,
): void {
  if (items.length < 2) return;
  let x = fr.left;
  let y = hasTitle ? 34 : 14;
  for (const it of items) {
    const w = 22 + it.name.length * 6.2;
    if (x + w > fr.right) {
      x = fr.left;
      y += 16;
    }
    out.push(
      `<rect x="${r2(x)}" y="${y - 5}" width="12" height="10" fill="${escapeXml(it.color)}"/>`,
    );
    out.push(
      `<text x="${r2(x + 16)}" y="${y}" dominant-baseline="middle" fill="#333">${escapeXml(it.name)}</text>`,
    );
    x += w + 10;
  }
}

function legendRowCount(names: string[], fr: { left: number; right: number }): number {
  if (names.length < 2) return 0;
  let rows = 1;
  let x = fr.left;
  for (const n of names) {
    const w = 22 + n.length * 6.2;
    if (x + w > fr.right) {
      rows++;
      x = fr.left;
    }
    x += w + 10;
  }
  return rows;
}

function seriesPoints(s: Series, xlog: boolean, ylog: boolean): [number, number][] {
  const pts: [number, number][] = [];
  for (let i = 0; i < s.y.length; i++) {
    const x = s.x ? s.x[i]! : i + 1;
    const y = s.y[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if ((xlog && x <= 0) || (ylog && y <= 0)) continue;
    pts.push([x, y]);
  }
  return pts;
}

function xyChart(kind: 'line' | 'scatter', series: Series[], options: PlotOptions): string {
  const width = options.width ?? 560;
  const rows = legendRowCount(
    series.filter((s) => s.legend !== false).map((s) => s.name),
    { left: 64, right: width - 16 },
  );
  const fr = frame(options, rows);
  const xlog = options.x?.log ?? false;
  const ylog = options.y?.log ?? false;
  const pts = series.map((s) => seriesPoints(s, xlog, ylog));
  const xs = makeScale(
    pts.flatMap((p) => p.map((q) => q[0])),
    options.x,
    fr.left,
    fr.right,
    false,
  );
  const ys = makeScale(
    pts.flatMap((p) => p.map((q) => q[1])),
    options.y,
    fr.bottom,
    fr.top,
    true,
  );
  const out = open(options, fr);
  yAxis(out, ys, fr, options.y?.label);
  xAxisNumeric(out, xs, fr, options.x?.label);
  const colors = series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]!);
  out.push('<g>');
  series.forEach((s, i) => {
    const p = pts[i]!.filter(([x, y]) => x >= xs.lo && x <= xs.hi && y >= ys.lo && y <= ys.hi);
    if (p.length === 0) return;
    if ((s.mode ?? (kind === 'line' ? 'line' : 'points')) === 'line') {
      const d = p
        .map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${r2(xs.map(x))} ${r2(ys.map(y))}`)
        .join('');
      const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
      const w = series.length > 12 ? 1.2 : 1.8;
      out.push(
        `<path d="${d}" fill="none" stroke="${escapeXml(colors[i]!)}" stroke-width="${w}" stroke-opacity="${series.length > 12 ? 0.75 : 1}"${dash}><title>${escapeXml(s.name)}</title></path>`,
      );
    } else {
      const dots = p
        .map(([x, y]) => `<circle cx="${r2(xs.map(x))}" cy="${r2(ys.map(y))}" r="3.5"/>`)
        .join('');
      out.push(
        `<g fill="${escapeXml(colors[i]!)}" fill-opacity="0.85"><title>${escapeXml(s.name)}</title>${dots}</g>`,
      );
    }
  });
  out.push('</g>');
  legend(out, legendItems(series, colors), fr, !!options.title);
  out.push('</svg>');
  return out.join('\n');
}

function legendItems(series: Series[], colors: string[]): { name: string; color: string }[] {
  return series.flatMap((s, i) =>
    s.legend === false ? [] : [{ name: s.name, color: colors[i]! }],
  );
}

/**
 * A line chart of one or more series.
 *
 * @example linePlot([{ name: 'σ', y: S }], { title: 'Spectrum', y: { log: true, label: 'σ_i' } })
 */
export function linePlot(series: Series[], options: PlotOptions = {}): string {
  return xyChart('line', series, options);
}

/** A scatter chart (one dot per point) of one or more series. */
export function scatterPlot(series: Series[], options: PlotOptions = {}): string {
  return xyChart('scatter', series, options);
}

/** Bars grouped by category: `series[s].values[c]` is the bar of series s in category c. */
export interface BarData {
  categories: string[];
  series: { name: string; values: ArrayLike<number>; color?: string }[];
}

/**
 * A grouped vertical bar chart. Category labels are rotated when they would overlap.
 *
 * @example barPlot({ categories: ['q', 'k'], series: [{ name: 'rank', values: [40, 20] }] })
 */
export function barPlot(data: BarData, options: PlotOptions = {}): string {
  const width = options.width ?? 560;
  const rows = legendRowCount(
    data.series.map((s) => s.name),
    { left: 64, right: width - 16 },
  );
  const nc = data.categories.length;
  const longest = Math.max(0, ...data.categories.map((c) => c.length));
  const slot0 = (width - 80) / Math.max(1, nc);
  const rotate = longest * 6.2 > slot0 - 4;
  const extra = rotate ? Math.min(80, longest * 4.6) : 0;
  const fr = frame(options, rows, extra);
  const ylog = options.y?.log ?? false;
  const all: number[] = [];
  for (const s of data.series) for (let i = 0; i < s.values.length; i++) all.push(s.values[i]!);
  if (!ylog && options.y?.min === undefined) all.push(0);
  const ys = makeScale(all, options.y, fr.bottom, fr.top, true);
  const out = open(options, fr);
  yAxis(out, ys, fr, options.y?.label);
  out.push(
    `<line x1="${fr.left}" x2="${fr.right}" y1="${fr.bottom}" y2="${fr.bottom}" stroke="#333"/>`,
  );
  const slot = (fr.right - fr.left) / Math.max(1, nc);
  const ns = Math.max(1, data.series.length);
  const bw = (slot * 0.8) / ns;
  const base = ylog ? fr.bottom : ys.map(Math.max(ys.lo, Math.min(ys.hi, 0)));
  const colors = data.series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]!);
  for (let c = 0; c < nc; c++) {
    const x0 = fr.left + c * slot + slot * 0.1;
    data.series.forEach((s, si) => {
      const v = s.values[c];
      if (v === undefined || !Number.isFinite(v) || (ylog && v <= 0)) return;
      const y = ys.map(Math.max(ys.lo, Math.min(ys.hi, v)));
      const top = Math.min(y, base);
      const h = Math.abs(base - y);
      out.push(
        `<rect x="${r2(x0 + si * bw)}" y="${r2(top)}" width="${r2(Math.max(0.5, bw - 1))}" height="${r2(h)}" fill="${escapeXml(colors[si]!)}"><title>${escapeXml(`${data.categories[c]} · ${s.name}: ${formatTick(v)}`)}</title></rect>`,
      );
    });
    const cx = r2(fr.left + (c + 0.5) * slot);
    const label = escapeXml(data.categories[c]!);
    out.push(
      rotate
        ? `<text transform="translate(${cx} ${fr.bottom + 10}) rotate(-50)" text-anchor="end" fill="#333">${label}</text>`
        : `<text x="${cx}" y="${fr.bottom + 16}" text-anchor="middle" fill="#333">${label}</text>`,
    );
  }
  if (options.x?.label) {
    out.push(
      `<text x="${r2((fr.left + fr.right) / 2)}" y="${fr.height - 8}" text-anchor="middle" fill="#333">${escapeXml(options.x.label)}</text>`,
    );
  }
  legend(
    out,
    data.series.map((s, i) => ({ name: s.name, color: colors[i]! })),
    fr,
    !!options.title,
  );
  out.push('</svg>');
  return out.join('\n');
}
