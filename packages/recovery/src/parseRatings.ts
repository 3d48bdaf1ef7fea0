import { describe, FormatError, InvalidArgumentError, optionsObject } from '@lr/core';
import { orDefault } from './_args.js';
import { ObservedEntries } from './observed.js';

/** Options of {@link parseRatings}. */
export interface ParseRatingsOptions {
  /** Column of the user (row) id: a 0-based index or a header name; default 0. */
  userColumn?: number | string;
  /** Column of the item (column) id: index or header name; default 1. */
  itemColumn?: number | string;
  /** Column of the rating: index or header name; default 2. */
  ratingColumn?: number | string;
  /**
   * Whether the first line is a header: `true`, `false` or `'auto'` (default): a header
   * when its rating field is not a number.
   */
  header?: boolean | 'auto';
  /** Field delimiter (one character); default: `,` if the first line has one, else tab, else `;`, else whitespace. */
  delimiter?: string;
}

/** Result of {@link parseRatings}. */
export interface ParsedRatings {
  /** The ratings as observed entries, users × items. */
  observed: ObservedEntries;
  /** Original id of each row (user), in order of first appearance. */
  userIds: string[];
  /** Original id of each column (item), in order of first appearance. */
  itemIds: string[];
  /** Header names, or null without a header. */
  header: string[] | null;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"')
    ? t.slice(1, -1).replace(/""/g, '"')
    : t;
}

/**
 * Parses a ratings file (`user,item,rating[,…]` lines, as MovieLens or lme4's InstEval)
 * into observed entries, mapping arbitrary user and item ids (numbers or strings) to
 * dense indices in order of first appearance. Quoted fields without embedded delimiters
 * are supported; blank lines are skipped.
 *
 * @param text the file's text
 * @param options see {@link ParseRatingsOptions}
 * @returns `{ observed, userIds, itemIds, header }`
 * @throws {FormatError} `FORMAT` for a line with too few fields or a rating that is not a finite number (naming the line)
 * @throws {InvalidArgumentError} for a bad option or a header name that does not exist
 * @example
 * const { observed, userIds } = parseRatings('user,item,rating\nann,x,4\nbob,x,3\nann,y,5\n');
 * observed.rows; // 2 (ann, bob)
 * userIds;       // ['ann', 'bob']
 */
export function parseRatings(text: string, options?: ParseRatingsOptions): ParsedRatings {
  if (typeof text !== 'string')
    throw new InvalidArgumentError(`text: expected a string, got ${describe(text)}`);
  const opts = optionsObject('options', options);
  const defaults = { userColumn: 0, itemColumn: 1, ratingColumn: 2, header: 'auto' } as const;
  const lines = text.split(/\r?\n/);
  let first = 0;
  while (first < lines.length && lines[first]!.trim() === '') first++;
  const firstLine = lines[first] ?? '';
  let delim: string | RegExp;
  if (opts.delimiter !== undefined) {
    if (
      typeof opts.delimiter !== 'string' ||
      opts.delimiter.length !== 1 ||
      opts.delimiter === '"'
    ) {
      throw new InvalidArgumentError(
        `options.delimiter: expected one character other than '"', got ${describe(opts.delimiter)}`,
      );
    }
    delim = opts.delimiter;
  } else {
    delim = firstLine.includes(',')
      ? ','
      : firstLine.includes('\t')
        ? '\t'
        : firstLine.includes(';')
          ? ';'
          : /\s+/;
  }
  const split = (line: string): string[] =>
    (typeof delim === 'string' ? line.split(delim) : line.trim().split(delim)).map(unquote);
  const headerOpt = orDefault(opts.header, defaults.header);
  if (headerOpt !== true && headerOpt !== false && headerOpt !== 'auto') {
    throw new InvalidArgumentError(
      `options.header: expected true, false or 'auto', got ${describe(headerOpt)}`,
    );
  }
  const firstFields = split(firstLine);
  const resolve = (name: string, v: number | string): number => {
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v) || v < 0) {
        throw new InvalidArgumentError(
          `options.${name}: expected a column index ≥ 0, got ${describe(v)}`,
        );
      }
      return v;
    }
    if (typeof v === 'string') {
      const k = firstFields.indexOf(v);
      if (k < 0) {
        throw new InvalidArgumentError(
          `options.${name}: no header field named ${describe(v)} (header: ${firstFields.join(', ')})`,
        );
      }
      return k;
    }
    throw new InvalidArgumentError(
      `options.${name}: expected a column index or header name, got ${describe(v)}`,
    );
  };
  const uc = resolve('userColumn', orDefault(opts.userColumn, defaults.userColumn));
  const ic = resolve('itemColumn', orDefault(opts.itemColumn, defaults.itemColumn));
  const rc = resolve('ratingColumn', orDefault(opts.ratingColumn, defaults.ratingColumn));
  const byName = [opts.userColumn, opts.itemColumn, opts.ratingColumn].some(
    (v) => typeof v === 'string',
  );
  const hasHeader =
    headerOpt === 'auto'
      ? byName || firstLine.trim() === '' || !Number.isFinite(Number(firstFields[rc] ?? ''))
      : headerOpt;
  const need = Math.max(uc, ic, rc) + 1;
  const users = new Map<string, number>();
  const items = new Map<string, number>();
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let l = hasHeader ? first + 1 : first; l < lines.length; l++) {
    const line = lines[l]!;
    if (line.trim() === '') continue;
    const f = split(line);
    if (f.length < need) {
      throw new FormatError(`line ${l + 1}: expected at least ${need} fields, got ${f.length}`);
    }
    const rating = Number(f[rc]);
    if (f[rc] === '' || !Number.isFinite(rating)) {
      throw new FormatError(`line ${l + 1}: rating ${describe(f[rc])} is not a finite number`);
    }
    let i = users.get(f[uc]!);
    if (i === undefined) {
      i = users.size;
      users.set(f[uc]!, i);
    }
    let j = items.get(f[ic]!);
    if (j === undefined) {
      j = items.size;
      items.set(f[ic]!, j);
    }
    r.push(i);
    c.push(j);
    v.push(rating);
  }
  return {
    observed: new ObservedEntries(
      users.size,
      items.size,
      Int32Array.from(r),
      Int32Array.from(c),
      Float64Array.from(v),
    ),
    userIds: [...users.keys()],
    itemIds: [...items.keys()],
    header: hasHeader ? firstFields : null,
  };
}
