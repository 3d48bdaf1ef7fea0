import { escapeXml } from './svg.js';

/** A rendered section, ready for the page. */
export interface RenderedSection {
  id: string;
  title: string;
  intro: string;
  /** Trusted HTML. */
  body: string;
}

/** What {@link renderPage} lays out. */
export interface PageContent {
  title: string;
  /** Plain text under the title. */
  subtitle: string;
  sections: RenderedSection[];
  /** Trusted HTML for the footer. */
  footer: string;
}

const CSS = `
:root { color-scheme: light; --fg: #1d1d1f; --muted: #5f6368; --rule: #e3e3e3; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fafafa; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { margin: 0 0 4px; font-size: 28px; }
header p { margin: 0; color: var(--muted); }
nav { margin: 16px 0 8px; font-size: 14px; }
nav a { margin-right: 14px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
section { background: #fff; border: 1px solid var(--rule); border-radius: 8px; padding: 18px 22px; margin: 18px 0; }
section h2 { margin: 0 0 6px; font-size: 20px; }
section > p.intro { margin: 0 0 14px; color: var(--muted); max-width: 80ch; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 12px; }
figure { margin: 0; }
figure img { display: block; width: 206px; height: auto; image-rendering: auto; border: 1px solid var(--rule); }
figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; max-width: 206px; }
.plots { display: flex; flex-wrap: wrap; gap: 12px; }
svg.plot { max-width: 100%; height: auto; border: 1px solid var(--rule); border-radius: 4px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--rule); text-align: left; }
th.num, td.num { text-align: right; }
th { font-weight: 600; background: #f5f5f5; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f2f2f2; padding: 1px 4px; border-radius: 3px; }
pre { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f2f2f2; padding: 8px 10px; border-radius: 4px; overflow-x: auto; }
details summary { cursor: pointer; color: var(--accent); margin: 8px 0; }
.note { font-size: 13px; color: var(--muted); }
.error { color: #b00020; }
footer { color: var(--muted); font-size: 13px; margin-top: 28px; }
`;

/**
 * A self-contained HTML page (inline CSS, no scripts, no network): a header, a table of
 * contents, one `<section>` per rendered section, and a footer.
 */
export function renderPage(content: PageContent): string {
  const nav = content.sections
    .map((s) => `<a href="#${escapeXml(s.id)}">${escapeXml(s.title)}</a>`)
    .join('\n');
  const sections = content.sections
    .map(
      (s) => `<section id="${escapeXml(s.id)}">
<h2>${escapeXml(s.title)}</h2>
<p class="intro">${escapeXml(s.intro)}</p>
${s.body}
</section>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lr">
<title>${escapeXml(content.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeXml(content.title)}</h1>
<p>${escapeXml(content.subtitle)}</p>
</header>
<nav>
${nav}
</nav>
${sections}
<footer>
${content.footer}
</footer>
</main>
</body>
</html>
`;
}

const NUMERIC = /^(?:[-+>]?\d[\d.,]*(?:e[-+]?\d+)?(?:%| ?[µm]?s|×\d+)?|–|)$/;

/**
 * An HTML table; cells are escaped. Columns whose cells are all numbers (optionally with
 * %, a time unit or ×n) are right-aligned, others left-aligned.
 */
export function htmlTable(header: string[], rows: (string | number)[][]): string {
  const right = header.map(
    (_, j) => rows.length > 0 && rows.every((r) => NUMERIC.test(String(r[j] ?? ''))),
  );
  const cls = (j: number) => (right[j] ? ' class="num"' : '');
  const th = header.map((h, j) => `<th${cls(j)}>${escapeXml(h)}</th>`).join('');
  const trs = rows
    .map((r) => `<tr>${r.map((c, j) => `<td${cls(j)}>${escapeXml(String(c))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${trs}\n</tbody>\n</table>`;
}
