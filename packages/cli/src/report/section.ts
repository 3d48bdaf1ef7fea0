import type { Progress } from '../progress.js';

/** A file a section adds beside index.html (an image, a data file). */
export interface ReportFile {
  /** Path relative to the report directory, `/`-separated, e.g. `img/ascent-k5.png`. */
  name: string;
  bytes: Uint8Array | string;
}

/** One timed step, shown in the timing section and summed into the total. */
export interface Timing {
  section: string;
  label: string;
  seconds: number;
}

/** What a section's `render` gets: shared data, file output, timing, the text summary. */
export interface ReportContext {
  /** Directory of the shipped data (`packages/cli/assets`). */
  readonly assetsDir: string;
  /** Adds a file beside index.html and returns its relative URL. Names must be unique. */
  addFile(name: string, bytes: Uint8Array | string): string;
  /** Runs `fn`, records its wall time under `label`, returns its value. */
  time<T>(label: string, fn: () => T): T;
  /** Adds one line to the concise summary printed on stdout. */
  say(line: string): void;
  /** Progress on stderr (a no-op unless stderr is a terminal). */
  readonly progress: Progress;
  /** Every timing recorded so far, in order. */
  readonly timings: readonly Timing[];
  /** Values earlier sections published with `share` (for sections that build on others). */
  readonly shared: Map<string, unknown>;
}

/**
 * One section of the HTML report. The tour renders every registered section in `order`,
 * each as `<section id="{id}"><h2>{title}</h2><p>{intro}</p>{render()}</section>`.
 * Later packages add theirs with {@link ReportRegistry.register}.
 *
 * @example
 * reportSections.register({
 *   id: 'completion', title: 'Matrix completion', order: 40,
 *   intro: 'Recovering a ratings matrix from 2 % of its entries.',
 *   render: (ctx) => `<p>${ctx.time('fit', () => fit()).rmse}</p>`,
 * });
 */
export interface ReportSection {
  /** Unique id: the HTML anchor (`[a-z0-9-]+`). */
  id: string;
  /** Heading. */
  title: string;
  /** One or two sentences: what the section shows and why it matters (plain text). */
  intro: string;
  /** Sort key; built-in sections use 10, 20, …, 90 (timing last at 1000). Default 500. */
  order?: number;
  /** The section's HTML body (trusted markup: escape data with `escapeXml`). */
  render(ctx: ReportContext): string | Promise<string>;
}

/**
 * An ordered set of report sections. `reportSections` is the one the tour uses; a
 * fresh registry is handy in tests or for a custom report.
 */
export class ReportRegistry {
  private readonly items = new Map<string, ReportSection>();

  constructor(sections: readonly ReportSection[] = []) {
    for (const s of sections) this.register(s);
  }

  /**
   * Adds a section.
   * @throws {Error} if the id is malformed or already registered (unless `replace`)
   */
  register(section: ReportSection, options: { replace?: boolean } = {}): this {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(section.id)) {
      throw new RangeError(`section.id: expected [a-z0-9-]+, got ${JSON.stringify(section.id)}`);
    }
    if (this.items.has(section.id) && !options.replace) {
      throw new RangeError(
        `section '${section.id}' is already registered (pass { replace: true })`,
      );
    }
    this.items.set(section.id, section);
    return this;
  }

  /** Removes a section; returns whether it was there. */
  unregister(id: string): boolean {
    return this.items.delete(id);
  }

  /** The section with this id. */
  get(id: string): ReportSection | undefined {
    return this.items.get(id);
  }

  /** Sections sorted by `order`, then by registration order. */
  list(): ReportSection[] {
    return [...this.items.values()]
      .map((s, i) => ({ s, i }))
      .sort((a, b) => (a.s.order ?? 500) - (b.s.order ?? 500) || a.i - b.i)
      .map(({ s }) => s);
  }
}
