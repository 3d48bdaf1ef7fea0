import { describe, expect, it } from 'vitest';
import { assetsDir } from '../src/paths.js';
import { buildReport } from '../src/report/build.js';
import { BUILTIN_SECTIONS } from '../src/report/sections/index.js';
import { curveFromSpectra, peftSection } from '../src/report/sections/peft.js';
import { checkSvg } from './helpers.js';

describe('tour section: peft (lr compress on stories260K)', () => {
  it('is a built-in section, after the weights section', () => {
    const ids = BUILTIN_SECTIONS.map((s) => s.id);
    expect(ids.indexOf('peft')).toBe(ids.indexOf('weights') + 1);
  });

  it('renders two well-formed plots, the budget table and one summary line', async () => {
    const report = await buildReport({ sections: [peftSection], assetsDir: assetsDir() });
    expect(report.errors).toEqual([]);
    const body = /<section id="peft">([\s\S]*?)<\/section>/.exec(report.html)![1]!;
    const svgs = body.match(/<svg [\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(2);
    for (const s of svgs) {
      expect(checkSvg(s)).toContain('text');
      expect(s).not.toMatch(/NaN|Infinity/);
    }
    expect(svgs[1]).toContain('size against error');
    // one row per budget; the stored fraction never exceeds the budget
    const rows = [...body.matchAll(/<tr><td>--ratio ([\d.]+)<\/td><td[^>]*>([\d.]+)%<\/td>/g)];
    expect(rows).toHaveLength(3);
    for (const [, ratio, stored] of rows)
      expect(Number(stored)).toBeLessThanOrEqual(100 * Number(ratio) + 0.05);
    // the error recomputed from the expanded weights equals the reported one
    const m = /recomputed from the expanded weights is ([\d.]+) against ([\d.]+) reported/.exec(
      body,
    )!;
    expect(Number(m[1])).toBeCloseTo(Number(m[2]), 5);
    expect(report.summary.filter((l) => l.startsWith('peft '))).toHaveLength(1);
  });

  it('curveFromSpectra: full rank is exact, rank 1 leaves the tail', () => {
    const S = Float64Array.from([3, 2, 1]);
    const sp = [{ rows: 3, cols: 100, S, total: 14 }];
    expect(curveFromSpectra(sp, () => 1)).toEqual({ size: 103 / 300, error: Math.sqrt(5 / 14) });
    // rank 3 stores more than dense: kept dense, no error
    expect(curveFromSpectra(sp, () => 3)).toEqual({ size: 1, error: 0 });
  });
});
