import { createProgress, type Progress } from '../progress.js';
import { type RenderedSection, renderPage } from './html.js';
import type { ReportContext, ReportFile, ReportSection, Timing } from './section.js';
import { escapeXml } from './svg.js';

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  /** Sections to render, in this order. */
  sections: readonly ReportSection[];
  /** Directory of the shipped data, passed to every section. */
  assetsDir: string;
  /** Page title; default `lr — a tour`. */
  title?: string;
  /** Text under the title. */
  subtitle?: string;
  /** Trusted HTML footer. */
  footer?: string;
  /** Progress display; default none. */
  progress?: Progress;
}

/** A built report, not yet written anywhere. */
export interface Report {
  /** index.html. */
  html: string;
  /** Files beside index.html (images, data). */
  files: ReportFile[];
  timings: Timing[];
  /** The concise summary lines the sections said. */
  summary: string[];
  /** Sections that threw: they appear in the page with the error message. */
  errors: { section: string; error: unknown }[];
  /** Wall time of the whole build, seconds. */
  seconds: number;
}

/**
 * Renders every section (sequentially, so timings do not interfere) into one page. A
 * section that throws is shown with its error message and listed in `errors`; the
 * others still render.
 */
export async function buildReport(options: BuildReportOptions): Promise<Report> {
  const t0 = performance.now();
  const files: ReportFile[] = [];
  const names = new Set<string>(['index.html']);
  const timings: Timing[] = [];
  const summary: string[] = [];
  const errors: Report['errors'] = [];
  const shared = new Map<string, unknown>();
  const progress = options.progress ?? createProgress({ write() {} });
  const rendered: RenderedSection[] = [];
  const sections = options.sections;
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i]!;
    progress.update(`report: ${section.title}`, i + 1, sections.length);
    const ctx: ReportContext = {
      assetsDir: options.assetsDir,
      addFile(name, bytes) {
        if (
          !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(name) ||
          name.split('/').some((p) => p === '..' || p === '.')
        ) {
          throw new RangeError(
            `report file name ${JSON.stringify(name)}: expected a relative path of [A-Za-z0-9._-] parts`,
          );
        }
        if (names.has(name))
          throw new RangeError(`report file ${JSON.stringify(name)} was added twice`);
        names.add(name);
        files.push({ name, bytes });
        return name;
      },
      time(label, fn) {
        const s = performance.now();
        const v = fn();
        timings.push({ section: section.id, label, seconds: (performance.now() - s) / 1000 });
        return v;
      },
      say(line) {
        summary.push(line);
      },
      progress,
      timings,
      shared,
    };
    let body: string;
    try {
      body = await section.render(ctx);
    } catch (error) {
      errors.push({ section: section.id, error });
      const msg = error instanceof Error ? error.message : String(error);
      body = `<p class="error">This section failed: ${escapeXml(msg)}</p>`;
    }
    rendered.push({ id: section.id, title: section.title, intro: section.intro, body });
  }
  progress.done();
  const html = renderPage({
    title: options.title ?? 'lr — a tour',
    subtitle: options.subtitle ?? '',
    sections: rendered,
    footer: options.footer ?? '',
  });
  return { html, files, timings, summary, errors, seconds: (performance.now() - t0) / 1000 };
}
