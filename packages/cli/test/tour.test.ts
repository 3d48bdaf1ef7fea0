import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Matrix, readNpy } from '@lr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportRegistry } from '../src/report/section.js';
import { BUILTIN_SECTIONS } from '../src/report/sections/index.js';
import {
  checkSvg,
  decodePngGray,
  isOneLineError,
  type RunResult,
  run,
  tempDir,
} from './helpers.js';

let dir: string;
let cleanup: () => void;
let first: RunResult;
let html: string;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  first = await run([], { cwd: dir }); // `lr` with no arguments is the tour
  html = existsSync(join(dir, 'lr-report/index.html'))
    ? readFileSync(join(dir, 'lr-report/index.html'), 'utf8')
    : '';
}, 60_000);
afterAll(() => cleanup());

describe('lr (the tour)', () => {
  it('prints a concise summary on stdout and nothing on a piped stderr', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^lr \d+\.\d+\.\d+ — /);
    expect(lines.some((l) => /^image\s+ascent 512×512: /.test(l))).toBe(true);
    expect(
      lines.some((l) =>
        /^\s+rank 5 \/ 20 \/ 50 → relative error 0\.\d+ \/ 0\.\d+ \/ 0\.\d+/.test(l),
      ),
    ).toBe(true);
    expect(
      lines.some((l) =>
        /^model\s+stories260K: 35 weight matrices \(5 layers × q k v o gate up down\)/.test(l),
      ),
    ).toBe(true);
    expect(
      lines.some((l) =>
        /^speed\s+gemm float64 up to 512³: TypeScript [\d.]+ GFLOP\/s, WebAssembly [\d.]+ GFLOP\/s$/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(lines.at(-1)).toMatch(/^report\s+lr-report\/index\.html \(\+4 images\) in /);
    // at most one line per section, plus the title and the report line
    expect(lines.length).toBeLessThanOrEqual(BUILTIN_SECTIONS.length + 2);
  });

  it('writes a self-contained page with every section', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const s of BUILTIN_SECTIONS) {
      expect(html).toContain(`<section id="${s.id}">`);
      expect(html).toContain(`href="#${s.id}"`);
    }
    // no scripts, no remote resources (the SVG namespace URI is not fetched)
    expect(html).not.toMatch(/<script|<link |@import|url\(/i);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(
      /(src|href)="(https?:)?\/\//,
    );
    // no temporary files left behind
    expect(readdirSync(join(dir, 'lr-report')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('inline SVG plots are well-formed, with axes labels and a log axis', () => {
    const svgs = html.match(/<svg [\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBeGreaterThanOrEqual(4);
    for (const svg of svgs) {
      const names = checkSvg(svg);
      expect(names).toContain('text');
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
    expect(svgs[0]).toContain('Singular values of the image');
    expect(svgs[0]).toContain('(log scale)');
  });

  it('images are valid PNGs: the original and rank-k approximations that improve with k', () => {
    const srcs = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs).toEqual([
      'img/ascent.png',
      'img/ascent-rank5.png',
      'img/ascent-rank20.png',
      'img/ascent-rank50.png',
    ]);
    const A = Matrix.fromTensor(
      readNpy(readFileSync(join(__dirname, '../assets/ascent.npy'))).tensor,
    );
    const errors = srcs.map((src) => {
      const png = decodePngGray(readFileSync(join(dir, 'lr-report', src)));
      expect([png.width, png.height, png.bitDepth, png.colorType]).toEqual([512, 512, 8, 0]);
      let e = 0;
      for (let i = 0; i < png.pixels.length; i++) e += Math.abs(png.pixels[i]! - A.data[i]!);
      return e / png.pixels.length;
    });
    expect(errors[0]).toBe(0); // the original is stored exactly
    expect(errors[1]!).toBeGreaterThan(errors[2]!);
    expect(errors[2]!).toBeGreaterThan(errors[3]!);
    expect(errors[3]!).toBeGreaterThan(0);
  });

  it('the weights section lists all 35 projections', () => {
    const weights = html.slice(
      html.indexOf('<section id="weights">'),
      html.indexOf('<section id="timing">'),
    );
    expect(
      weights.match(/<tr><td>layers\.\d\.(self_attn|mlp)\.\w+_proj\.weight<\/td>/g),
    ).toHaveLength(35);
  });

  it('refuses to overwrite an index.html that lr did not write, before any work', async () => {
    mkdirSync(join(dir, 'foreign'), { recursive: true });
    writeFileSync(join(dir, 'foreign/index.html'), '<p>mine</p>');
    const r = await run(['--out', 'foreign', '--sections', 'overview'], { cwd: dir });
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toBe(
      'lr: tour: foreign/index.html: already exists (use --force to overwrite)\n',
    );
    expect(readFileSync(join(dir, 'foreign/index.html'), 'utf8')).toBe('<p>mine</p>');
  });

  it('--out DIR --sections picks the directory and the sections; --force overwrites', async () => {
    const r = await run(['--out', 'other', '--sections', 'overview'], { cwd: dir });
    expect(r.code).toBe(0);
    const page = readFileSync(join(dir, 'other/index.html'), 'utf8');
    expect(page).toContain('<section id="overview">');
    expect(page).not.toContain('<section id="image">');
    // a report lr wrote itself is refreshed on the next run
    expect(
      (await run(['tour', '--out', 'other', '--sections', 'overview'], { cwd: dir })).code,
    ).toBe(0);
    expect(
      (await run(['tour', '--out', 'other', '--sections', 'overview', '--force'], { cwd: dir }))
        .code,
    ).toBe(0);
    const bad = await run(['tour', '--sections', 'nope'], { cwd: dir });
    expect(isOneLineError(bad)).toBe(true);
    const ids = [...BUILTIN_SECTIONS]
      .sort((a, b) => (a.order ?? 500) - (b.order ?? 500))
      .map((s) => s.id)
      .join(', ');
    expect(ids.startsWith('overview, image, weights')).toBe(true);
    expect(bad.stderr).toContain(`unknown section 'nope'; available: ${ids}`);
  });
});

describe('ReportRegistry', () => {
  it('orders by `order`, then registration; rejects duplicates and bad ids', () => {
    const mk = (id: string, order?: number) => ({
      id,
      title: id,
      intro: '',
      order,
      render: () => '',
    });
    const reg = new ReportRegistry([mk('b', 20), mk('a', 10), mk('c')]);
    reg.register(mk('d', 20));
    expect(reg.list().map((s) => s.id)).toEqual(['a', 'b', 'd', 'c']);
    expect(() => reg.register(mk('a'))).toThrow(/already registered/);
    reg.register(mk('a', 99), { replace: true });
    expect(reg.list().map((s) => s.id)).toEqual(['b', 'd', 'a', 'c']);
    expect(() => reg.register(mk('Bad Id'))).toThrow(/expected \[a-z0-9-\]/);
    expect(reg.unregister('b')).toBe(true);
    expect(reg.get('b')).toBeUndefined();
  });
});

describe('buildReport', () => {
  it('collects files, timings and summary lines; rejects unsafe or duplicate file names', async () => {
    const { buildReport } = await import('../src/report/build.js');
    const seen: string[] = [];
    const report = await buildReport({
      assetsDir: '/nowhere',
      sections: [
        {
          id: 'one',
          title: 'One & only',
          intro: 'intro <text>',
          render(ctx) {
            const href = ctx.addFile('img/a.png', new Uint8Array([1]));
            for (const bad of ['../evil.png', '/abs.png', 'img/a.png', 'a b.png']) {
              try {
                ctx.addFile(bad, 'x');
              } catch (e) {
                seen.push((e as Error).message);
              }
            }
            const v = ctx.time('square', () => 7 * 7);
            ctx.say(`answer ${v}`);
            ctx.shared.set('one.answer', v);
            return `<img src="${href}">`;
          },
        },
        {
          id: 'two',
          title: 'Two',
          intro: '',
          render: (ctx) => `<p>${String(ctx.shared.get('one.answer'))}</p>`,
        },
      ],
    });
    expect(seen).toHaveLength(4);
    expect(report.files.map((f) => f.name)).toEqual(['img/a.png']);
    expect(report.timings.map((t) => [t.section, t.label])).toEqual([['one', 'square']]);
    expect(report.summary).toEqual(['answer 49']);
    expect(report.errors).toEqual([]);
    expect(report.html).toContain('<h2>One &amp; only</h2>');
    expect(report.html).toContain('<p class="intro">intro &lt;text&gt;</p>');
    expect(report.html).toContain(
      '<section id="two">\n<h2>Two</h2>\n<p class="intro"></p>\n<p>49</p>',
    );
  });
});

describe('tour sections: completion, clustering, transport, kernels', () => {
  const sectionHtml = (id: string): string => {
    const m = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(html);
    return m ? m[1]! : '';
  };

  it('render without errors, each with a well-formed SVG plot and one summary line', () => {
    expect(html).not.toContain('This section failed');
    for (const [id, title, line] of [
      [
        'completion',
        'Exact recovery of a rank-2 40×40 matrix by AltMin',
        /^recover\s+rank-2 40×40: /,
      ],
      [
        'clustering',
        'Iris (150 × 4, k = 3): agreement with the species',
        /^cluster\s+iris k=3: ARI kmeans 0\.\d\d/,
      ],
      [
        'transport',
        'Marginal error per iteration',
        /^transport\s+80×80, reg 0\.002: Sinkhorn \d+ iterations/,
      ],
      ['kernels', 'GEMM throughput', /^speed\s+gemm float64/],
    ] as const) {
      const body = sectionHtml(id);
      expect(body, id).not.toBe('');
      const svgs = body.match(/<svg [\s\S]*?<\/svg>/g) ?? [];
      expect(svgs.length, id).toBe(1);
      expect(checkSvg(svgs[0]!)).toContain('text');
      expect(svgs[0]).not.toMatch(/NaN|Infinity/);
      expect(svgs[0]).toContain(title);
      expect(
        first.stdout.split('\n').some((l) => line.test(l)),
        id,
      ).toBe(true);
    }
    expect(sectionHtml('transport')).toContain('(log scale)');
    // the kernel plot has a line per path and dtype, and WebAssembly beats TypeScript
    const k = sectionHtml('kernels');
    for (const name of ['ts f64', 'wasm f64', 'ts f32', 'wasm f32']) expect(k).toContain(name);
    const m = /TypeScript ([\d.]+) GFLOP\/s, WebAssembly ([\d.]+) GFLOP\/s/.exec(first.stdout)!;
    expect(Number(m[2])).toBeGreaterThan(Number(m[1]));
  });

  it('report honest numbers: iris ARI, the data set used, a sane phase transition', () => {
    const c = sectionHtml('clustering');
    const ari = (m: string) =>
      Number(new RegExp(`<td>${m}</td><td>[^<]*</td><td class="num">([0-9.]+)</td>`).exec(c)?.[1]);
    expect(ari('kmeans')).toBeGreaterThan(0.6);
    expect(ari('gmm')).toBeGreaterThan(0.8);
    const m = sectionHtml('completion');
    expect(m).toMatch(/Held-out RMSE on (MovieLens ml-latest-small|a synthetic ratings set)/);
    // the last fraction (40%) of a rank-2 40×40 matrix is far above the threshold
    expect(m).toContain('<td>4/4</td>');
  });
});

describe('phaseTransition', () => {
  it('fails with too few entries and succeeds with most of them', async () => {
    const { phaseTransition } = await import('../src/report/sections/completion.js');
    const pts = phaseTransition({
      n: 20,
      rank: 1,
      fractions: [0.03, 0.8],
      trials: 2,
      tolerance: 1e-3,
    });
    expect(pts.map((p) => p.successes)).toEqual([0, 2]);
    expect(pts[1]!.medianError).toBeLessThan(1e-3);
  });
});
