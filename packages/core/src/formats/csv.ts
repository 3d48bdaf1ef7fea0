import { FormatError, InvalidArgumentError } from '../errors.js';
import { asMatrix, Matrix } from '../matrix.js';
import { assertInt, assertOneOf, describe, optionsObject } from '../validate.js';
import { decodeUtf8 } from './_bytes.js';

// Delimited numeric text, with fields quoted as RFC 4180 ("Common Format and MIME Type for
// Comma-Separated Values (CSV) Files", §2) describes: a field may be enclosed in double
// quotes, inside which a doubled quote stands for one quote and delimiters and line breaks
// are literal. Records end with CRLF or LF; the last one may lack it.

/** Options of {@link readCsv}. */
export interface ReadCsvOptions {
  /**
   * Field delimiter: one character (not `"`, CR or LF), or `'whitespace'` for runs of
   * spaces and tabs (leading and trailing ones ignored). Default: detected from the first
   * lines: the one of `,`, tab, `;` that appears the same nonzero number of times on each
   * of them (outside quotes); else `'whitespace'` if every line splits into the same number (> 1) of
   * blank-separated words; else the most frequent of `,`, tab, `;` on the first line;
   * else `,` (one column). Up to 10 non-empty lines are sampled.
   */
  delimiter?: string;
  /**
   * Whether the first record is a header: `true`, `false`, or `'auto'` (default): a header
   * when one of its fields is not empty and not a number.
   */
  header?: boolean | 'auto';
  /** Physical lines to skip before reading (before the header); default 0. */
  skipRows?: number;
  /** 0-based indices of the columns to keep, in the order given; default all. Other columns may hold text. */
  columns?: number[];
  /**
   * What an empty cell or `NaN`/`nan` means: `'error'` (default) rejects it with a
   * FormatError; `'nan'` reads it as NaN.
   */
  missing?: 'error' | 'nan';
}

/** The result of {@link readCsv}. */
export interface CsvData {
  /** Header names of the kept columns, or null without a header. */
  header: string[] | null;
  /** The values, rows × cols, float64, row-major. */
  matrix: Matrix;
  rows: number;
  cols: number;
}

/** Options of {@link writeCsv}. */
export interface WriteCsvOptions {
  /** Column names written as the first line (quoted where needed); default none. */
  header?: string[];
  /** One character, not a quote, line break, letter, digit, `.`, `+` or `-`; default `,`. */
  delimiter?: string;
  /**
   * Significant digits (1–100) of each value; default: the shortest text that reads back
   * to the same double (so a round trip is exact).
   */
  precision?: number;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITE = /^([+-]?)(?:inf|infinity)$/i;
const NAN = /^nan$/i;

type Parsed = number | 'empty' | 'nan' | 'bad';

function parseCell(raw: string): Parsed {
  const s = raw.trim();
  if (s === '') return 'empty';
  if (NUMBER.test(s)) return Number(s);
  const m = INFINITE.exec(s);
  if (m) return m[1] === '-' ? -Infinity : Infinity;
  if (NAN.test(s)) return 'nan';
  return 'bad';
}

interface CsvRecord {
  fields: string[];
  /** Whether each field was quoted (its text is then kept verbatim). */
  quoted: boolean[];
  line: number;
}

/** Streams records of `text` from `pos`, RFC 4180 quoting, with a one-char or whitespace delimiter. */
class RecordReader {
  pos: number;
  line: number;
  constructor(
    private readonly text: string,
    start: number,
    startLine: number,
    private readonly delim: string | null, // null: whitespace runs
  ) {
    this.pos = start;
    this.line = startLine;
  }

  private isSep(c: string | undefined): boolean {
    return this.delim === null ? c === ' ' || c === '\t' : c === this.delim;
  }

  private skipBlanks(): void {
    const t = this.text;
    // Blanks around fields; never the delimiter itself (a tab in TSV).
    for (;;) {
      const c = t[this.pos];
      if ((c !== ' ' && c !== '\t') || c === this.delim) return;
      this.pos++;
    }
  }

  /** The next non-empty record, or undefined at the end. */
  next(): CsvRecord | undefined {
    const t = this.text;
    while (this.pos < t.length) {
      const line = this.line;
      const fields: string[] = [];
      const quoted: boolean[] = [];
      if (this.delim === null) this.skipBlanks();
      for (;;) {
        let field: string;
        const isQuoted = t[this.pos] === '"';
        if (isQuoted) {
          const openLine = this.line;
          this.pos++;
          field = '';
          for (;;) {
            const q = t.indexOf('"', this.pos);
            if (q < 0) throw new FormatError(`CSV: line ${openLine}: unterminated quoted field`);
            const chunk = t.slice(this.pos, q);
            for (let k = chunk.indexOf('\n'); k >= 0; k = chunk.indexOf('\n', k + 1)) this.line++;
            field += chunk;
            if (t[q + 1] === '"') {
              field += '"';
              this.pos = q + 2;
            } else {
              this.pos = q + 1;
              break;
            }
          }
          this.skipBlanks();
          const c = t[this.pos];
          if (
            !(
              c === undefined ||
              c === '\n' ||
              (c === '\r' && (t[this.pos + 1] === '\n' || this.pos + 1 === t.length)) ||
              this.isSep(c)
            )
          ) {
            throw new FormatError(
              `CSV: line ${this.line}: unexpected ${JSON.stringify(c)} after a closing quote`,
            );
          }
        } else {
          const start = this.pos;
          while (this.pos < t.length) {
            const c = t[this.pos]!;
            if (c === '\n' || this.isSep(c)) break;
            if (c === '"')
              throw new FormatError(
                `CSV: line ${this.line}: a quote inside an unquoted field (field ${fields.length + 1})`,
              );
            this.pos++;
          }
          field = t.slice(start, this.pos);
          if (field.endsWith('\r') && (t[this.pos] === '\n' || this.pos === t.length))
            field = field.slice(0, -1);
        }
        fields.push(field);
        quoted.push(isQuoted);
        if (this.delim === null) this.skipBlanks();
        const c = t[this.pos];
        if (c === '\r' && (t[this.pos + 1] === '\n' || this.pos + 1 === t.length)) this.pos++;
        const d = t[this.pos];
        if (d === undefined) break;
        if (d === '\n') {
          this.pos++;
          this.line++;
          break;
        }
        if (this.delim !== null) this.pos++; // the delimiter
      }
      const blank =
        fields.length === 0 || (fields.length === 1 && !quoted[0] && fields[0]!.trim() === '');
      if (!blank) return { fields, quoted, line };
    }
    return undefined;
  }
}

/** Counts `c` outside double quotes in `line`. */
function countUnquoted(line: string, c: string): number {
  let n = 0;
  let inQuote = false;
  for (const ch of line) {
    if (ch === '"') inQuote = !inQuote;
    else if (ch === c && !inQuote) n++;
  }
  return n;
}

function detectDelimiter(sample: string[]): string | null {
  const candidates = [',', '\t', ';'];
  let best: string | undefined;
  let bestCount = 0;
  for (const c of candidates) {
    const counts = sample.map((l) => countUnquoted(l, c));
    if (counts[0]! > 0 && counts.every((k) => k === counts[0]) && counts[0]! > bestCount) {
      best = c;
      bestCount = counts[0]!;
    }
  }
  if (best !== undefined) return best;
  const words = sample.map((l) => l.trim().split(/[ \t]+/).length);
  if (words[0]! > 1 && words.every((k) => k === words[0])) return null;
  for (const c of candidates) {
    const k = countUnquoted(sample[0] ?? '', c);
    if (k > bestCount) {
      best = c;
      bestCount = k;
    }
  }
  if (best !== undefined) return best;
  return sample.some((l) => /\S[ \t]+\S/.test(l)) ? null : ',';
}

/**
 * Reads delimited numeric text (CSV, TSV, semicolon- or space-separated) into a float64
 * matrix, with RFC 4180 quoting, CRLF or LF line ends, an optional trailing newline, a
 * UTF-8 byte-order mark ignored and empty lines skipped. Numbers are decimal (`1`, `-2.5`,
 * `.5`, `1e-3`) or `inf`/`Infinity` with an optional sign; anything else is an error.
 *
 * @param input the text, or its UTF-8 bytes (not modified)
 * @param options `delimiter`, `header`, `skipRows`, `columns`, `missing` (see {@link ReadCsvOptions})
 * @returns the header (or null), the matrix and its size
 * @throws {FormatError} naming line and column for a non-numeric or (by default) empty or
 *   NaN cell, a row with a different number of fields, or broken quoting
 * @throws {InvalidArgumentError} for bad options or input, or a `columns` index out of range
 * @example
 * readCsv('a,b\n1,2\n3,4\n').matrix.toArray(); // [[1, 2], [3, 4]]
 * @see RFC 4180, §2
 */
export function readCsv(input: string | Uint8Array, options?: ReadCsvOptions): CsvData {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array) text = decodeUtf8(input, 'CSV: input');
  else
    throw new InvalidArgumentError(
      `input: expected a string or a Uint8Array, got ${describe(input)}`,
    );
  const opts = optionsObject('options', options);
  const skipRows = assertInt('options.skipRows', opts.skipRows ?? 0);
  const headerOpt = opts.header ?? 'auto';
  if (headerOpt !== true && headerOpt !== false && headerOpt !== 'auto') {
    throw new InvalidArgumentError(
      `options.header: expected true, false or 'auto', got ${describe(headerOpt)}`,
    );
  }
  const missing = assertOneOf('options.missing', opts.missing ?? 'error', [
    'error',
    'nan',
  ] as const);
  let delimOpt = opts.delimiter;
  if (
    delimOpt !== undefined &&
    delimOpt !== 'whitespace' &&
    (typeof delimOpt !== 'string' ||
      delimOpt.length !== 1 ||
      delimOpt === '"' ||
      delimOpt === '\r' ||
      delimOpt === '\n')
  ) {
    throw new InvalidArgumentError(
      `options.delimiter: expected one character (not a quote or line break) or 'whitespace', got ${describe(delimOpt)}`,
    );
  }
  if (opts.columns !== undefined && !Array.isArray(opts.columns)) {
    throw new InvalidArgumentError(
      `options.columns: expected an array of column indices, got ${describe(opts.columns)}`,
    );
  }

  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  for (let k = 0; k < skipRows && pos < text.length; k++) {
    const nl = text.indexOf('\n', pos);
    pos = nl < 0 ? text.length : nl + 1;
    line++;
  }

  if (delimOpt === undefined) {
    const sample: string[] = [];
    let p = pos;
    while (p < text.length && sample.length < 10) {
      let nl = text.indexOf('\n', p);
      if (nl < 0) nl = text.length;
      const l = text.slice(p, nl).replace(/\r$/, '');
      if (l.trim() !== '') sample.push(l);
      p = nl + 1;
    }
    delimOpt = detectDelimiter(sample) ?? 'whitespace';
  }
  const reader = new RecordReader(text, pos, line, delimOpt === 'whitespace' ? null : delimOpt);

  let first = reader.next();
  let header: string[] | null = null;
  if (first !== undefined) {
    const isHeader =
      headerOpt === true ||
      (headerOpt === 'auto' && first.fields.some((f) => parseCell(f) === 'bad'));
    if (isHeader) header = first.fields.map((f, k) => (first!.quoted[k] ? f : f.trim()));
  }
  const width = first?.fields.length ?? 0;
  const columns = opts.columns ?? Array.from({ length: width }, (_, i) => i);
  columns.forEach((c, k) => {
    if (!Number.isInteger(c) || c < 0 || (first !== undefined && c >= width)) {
      throw new InvalidArgumentError(
        `options.columns[${k}]: expected a column index in [0, ${width}), got ${describe(c)}`,
      );
    }
  });
  const cols = columns.length;

  // Start small (cols comes from the input, which may be hostile) and grow by doubling.
  let values = new Float64Array(Math.max(16, Math.min(cols * 64, 65536)));
  let n = 0;
  let rows = 0;
  let record = header === null ? first : reader.next();
  first = undefined;
  while (record !== undefined) {
    const { fields, line: at } = record;
    if (fields.length !== width) {
      throw new FormatError(
        `CSV: line ${at}: expected ${width} fields like the first row, got ${fields.length} (ragged row)`,
      );
    }
    if (n + cols > values.length) {
      const grown = new Float64Array(Math.max(values.length * 2, n + cols));
      grown.set(values);
      values = grown;
    }
    for (const c of columns) {
      const v = parseCell(fields[c]!);
      if (typeof v === 'number') values[n++] = v;
      else if (v !== 'bad' && missing === 'nan') values[n++] = Number.NaN;
      else {
        const what =
          v === 'bad'
            ? `non-numeric value ${JSON.stringify(fields[c]!.slice(0, 40))}`
            : `${v === 'empty' ? 'empty cell' : 'NaN'} (pass missing: 'nan' to read it as NaN)`;
        throw new FormatError(`CSV: line ${at}, column ${c + 1}: ${what}`);
      }
    }
    rows++;
    record = reader.next();
  }
  const data = n === values.length ? values : values.slice(0, n);
  return {
    header: header === null ? null : columns.map((c) => header![c]!),
    matrix: new Matrix(data, rows, cols),
    rows,
    cols,
  };
}

function quoteField(s: string, delim: string): string {
  if (s === '' || s.includes(delim) || /["\r\n]/.test(s) || s.trim() !== s)
    return `"${s.replaceAll('"', '""')}"`;
  return s;
}

/**
 * Writes a matrix as delimited text, one row per line (LF), with a trailing newline.
 * Values use the shortest text that reads back to the same double, or `precision`
 * significant digits; `-0`, `NaN`, `Infinity` and `-Infinity` are written as such (read
 * NaN back with `missing: 'nan'`). A matrix with no columns gives empty lines, which
 * {@link readCsv} skips.
 *
 * @param A the matrix (any strides; not modified)
 * @param options `header`, `delimiter`, `precision` (see {@link WriteCsvOptions})
 * @returns the text
 * @throws {InvalidArgumentError} if `A` is not a matrix, the header length differs from
 *   the column count, or an option is invalid
 * @example
 * writeCsv(Matrix.from([[1, 0.5]]), { header: ['a', 'b'] }); // 'a,b\n1,0.5\n'
 * @see RFC 4180, §2
 */
export function writeCsv(A: Matrix, options?: WriteCsvOptions): string {
  const M = asMatrix('A', A);
  const opts = optionsObject('options', options);
  const delim = opts.delimiter ?? ',';
  if (typeof delim !== 'string' || delim.length !== 1 || /[\w"\r\n.+-]/.test(delim)) {
    throw new InvalidArgumentError(
      `options.delimiter: expected one character that cannot occur in a number or a quote, got ${describe(delim)}`,
    );
  }
  const precision =
    opts.precision === undefined
      ? undefined
      : assertInt('options.precision', opts.precision, 1, 100);
  const out: string[] = [];
  if (opts.header !== undefined) {
    const h = opts.header;
    if (!Array.isArray(h) || h.length !== M.cols || !h.every((s) => typeof s === 'string')) {
      throw new InvalidArgumentError(
        `options.header: expected ${M.cols} strings, got ${describe(h)}`,
      );
    }
    out.push(h.map((s) => quoteField(s, delim)).join(delim));
  }
  const fmt = (v: number): string => {
    if (Object.is(v, -0)) return '-0';
    if (!Number.isFinite(v) || precision === undefined) return String(v);
    return String(Number(v.toPrecision(precision)));
  };
  const row: string[] = new Array(M.cols);
  for (let i = 0; i < M.rows; i++) {
    for (let j = 0; j < M.cols; j++) row[j] = fmt(M.get(i, j));
    out.push(row.join(delim));
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
