import { describe, expect, it } from 'vitest';
import {
  barPlot,
  escapeXml,
  formatTick,
  linearTicks,
  linePlot,
  logTicks,
  scatterPlot,
} from '../src/report/svg.js';
import { checkSvg } from './helpers.js';

describe('ticks', () => {
  it('linear ticks are 1-2-5 steps inside the range', () => {
    expect(linearTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(0, 512)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(linearTicks(-3, 7)).toEqual([-2, 0, 2, 4, 6]);
  });
  it('log ticks are powers of ten, thinned over many decades', () => {
    expect(logTicks(1e-2, 1e3)).toEqual([1e-2, 1e-1, 1, 10, 100, 1000]);
    const wide = logTicks(1e-16, 1e4);
    expect(wide.length).toBeLessThanOrEqual(11);
    expect(wide[0]).toBe(1e-16);
    expect(logTicks(1, 10)).toEqual([1, 2, 5, 10]);
  });
  it('formats tick labels compactly', () => {
    expect(formatTick(0)).toBe('0');
    expect(formatTick(0.2)).toBe('0.2');
    expect(formatTick(1e5)).toBe('1e5');
    expect(formatTick(1e-6)).toBe('1e-6');
    expect(formatTick(2.5e7)).toBe('2.5e7');
    expect(formatTick(1234)).toBe('1234');
  });
});

describe('charts', () => {
  it('line plot: well-formed, one path per series, labels escaped', () => {
    const svg = linePlot(
      [
        { name: 'a<b', y: [3, 2, 1] },
        { name: 'c & d', y: [1, 2, 3], dashed: true },
      ],
      { title: 'T "q"', x: { label: 'i' }, y: { label: 'σ' } },
    );
    const names = checkSvg(svg);
    expect(names.filter((n) => n === 'path')).toHaveLength(2);
    expect(svg).toContain('a&lt;b');
    expect(svg).toContain('c &amp; d');
    expect(svg).toContain('T &quot;q&quot;');
    expect(svg).toContain('stroke-dasharray');
  });

  it('log axis drops non-positive points and labels decades', () => {
    const svg = linePlot([{ name: 's', y: [100, 10, 1, 0, 0.01] }], { y: { log: true } });
    checkSvg(svg);
    const d = /<path d="([^"]+)"/.exec(svg)![1]!;
    expect(d.match(/[ML]/g)).toHaveLength(4);
    for (const t of ['0.01', '0.1', '1', '10', '100']) expect(svg).toContain(`>${t}</text>`);
  });

  it('maps data into the plot frame (larger y is higher)', () => {
    const svg = linePlot([{ name: 's', x: [0, 10], y: [0, 10] }], { width: 400, height: 300 });
    const [, x0, y0, x1, y1] = /d="M([\d.]+) ([\d.]+)L([\d.]+) ([\d.]+)"/.exec(svg)!.map(Number);
    expect(x1).toBeGreaterThan(x0!);
    expect(y1).toBeLessThan(y0!);
    for (const v of [x0, x1]) expect(v).toBeLessThanOrEqual(400);
    for (const v of [y0, y1]) expect(v).toBeLessThanOrEqual(300);
  });

  it('scatter plot draws one circle per finite point', () => {
    const svg = scatterPlot([{ name: 'p', x: [1, 2, 3, Number.NaN], y: [1, 4, 9, 16] }]);
    checkSvg(svg);
    expect(svg.match(/<circle /g)).toHaveLength(3);
  });

  it('grouped bars: one rect per finite value, legend for several series', () => {
    const svg = barPlot(
      {
        categories: ['layer 0', 'layer 1'],
        series: [
          { name: 'q', values: [10, 20] },
          { name: 'k', values: [30, Number.NaN] },
        ],
      },
      { title: 'bars', y: { min: 0, max: 100 } },
    );
    checkSvg(svg);
    // 3 bars + 2 legend swatches + background
    expect(svg.match(/<rect /g)).toHaveLength(6);
    expect(svg).toContain('>q</text>');
  });

  it('handles empty and constant data without NaN coordinates', () => {
    for (const svg of [
      linePlot([]),
      linePlot([{ name: 'c', y: [5, 5, 5] }]),
      barPlot({ categories: [], series: [] }),
    ]) {
      checkSvg(svg);
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
  });

  it('escapeXml escapes the five XML characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
