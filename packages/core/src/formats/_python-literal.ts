// A small strict parser for the Python literal subset numpy writes in .npy headers (not
// public API). It never evaluates anything: dicts with string keys, tuples, lists,
// strings, integers, True, False and None. Anything else is a FormatError.
import { FormatError } from '../errors.js';

/** A parsed Python literal. Tuples are marked so `(3,)` and `[3]` stay distinguishable. */
export type PyValue =
  | string
  | number
  | boolean
  | null
  | { kind: 'tuple'; items: PyValue[] }
  | { kind: 'list'; items: PyValue[] }
  | { kind: 'dict'; entries: [string, PyValue][] };

const MAX_DEPTH = 32;

/**
 * Parses `text` as one Python literal followed only by whitespace. `where(i)` describes
 * character position `i` for error messages (e.g. as a byte offset in the file).
 */
export function parsePythonLiteral(text: string, where: (i: number) => string): PyValue {
  let i = 0;
  const fail = (what: string, at = i): never => {
    throw new FormatError(`${what} ${where(at)}`);
  };
  const ws = (): void => {
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else break;
    }
  };

  const parseString = (): string => {
    const q = text[i]!;
    const start = i;
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string starting', start);
      const c = text[i]!;
      if (c === q) {
        i++;
        return out;
      }
      if (c === '\n' || c === '\r') fail('newline inside a string literal', i);
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = {
          '\\': '\\',
          "'": "'",
          '"': '"',
          n: '\n',
          t: '\t',
          r: '\r',
          '0': '\0',
        };
        if (e !== undefined && Object.hasOwn(simple, e)) {
          out += simple[e];
          i += 2;
        } else if (e === 'x' || e === 'u') {
          const len = e === 'x' ? 2 : 4;
          const hex = text.slice(i + 2, i + 2 + len);
          if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex))
            fail('bad escape in a string literal', i);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 2 + len;
        } else {
          fail('unsupported escape in a string literal', i);
        }
      } else {
        out += c;
        i++;
      }
    }
  };

  const parseSequence = (
    close: string,
    depth: number,
  ): { items: PyValue[]; trailingComma: boolean } => {
    const items: PyValue[] = [];
    let trailingComma = false;
    i++; // the opening bracket
    ws();
    if (text[i] === close) {
      i++;
      return { items, trailingComma };
    }
    for (;;) {
      items.push(parseValue(depth + 1));
      ws();
      if (text[i] === ',') {
        i++;
        ws();
        trailingComma = true;
        if (text[i] === close) {
          i++;
          return { items, trailingComma };
        }
        trailingComma = false;
        continue;
      }
      if (text[i] === close) {
        i++;
        return { items, trailingComma };
      }
      fail(`expected ',' or '${close}'`);
    }
  };

  const parseValue = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail(`literal nested deeper than ${MAX_DEPTH} levels`);
    ws();
    const c = text[i];
    if (c === undefined) return fail('unexpected end of the literal');
    if (c === "'" || c === '"') return parseString();
    if (c === '(') {
      const start = i;
      const { items, trailingComma } = parseSequence(')', depth);
      // (x) is a parenthesised value, not a tuple; () and (x,) and (x, y) are tuples.
      if (items.length === 1 && !trailingComma) {
        return fail('a parenthesised value is not a tuple (write (x,))', start);
      }
      return { kind: 'tuple', items };
    }
    if (c === '[') return { kind: 'list', items: parseSequence(']', depth).items };
    if (c === '{') {
      const entries: [string, PyValue][] = [];
      const seen = new Set<string>();
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'dict', entries };
      }
      for (;;) {
        ws();
        const keyAt = i;
        if (text[i] === '}' && entries.length > 0) {
          i++;
          return { kind: 'dict', entries };
        }
        const key = parseValue(depth + 1);
        if (typeof key !== 'string') fail('dict keys must be strings', keyAt);
        if (seen.has(key as string)) fail(`duplicate key '${key}'`, keyAt);
        seen.add(key as string);
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        entries.push([key as string, parseValue(depth + 1)]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'dict', entries };
        }
        fail("expected ',' or '}'");
      }
    }
    const m = /^[+-]?\d+[lL]?/.exec(text.slice(i, i + 40));
    if (m) {
      const digits = m[0].replace(/[lL]$/, '').replace(/^[+-]/, '');
      if (digits.length > 1 && digits[0] === '0' && /[1-9]/.test(digits))
        fail('integer literal with a leading zero');
      if (digits.length >= 30) fail('integer literal too long');
      const next = text[i + m[0].length];
      if (next !== undefined && /[\w.]/.test(next)) fail('malformed number');
      i += m[0].length;
      return Number(m[0].replace(/[lL]$/, ''));
    }
    for (const [word, value] of [
      ['True', true],
      ['False', false],
      ['None', null],
    ] as const) {
      if (text.startsWith(word, i) && !/\w/.test(text[i + word.length] ?? '')) {
        i += word.length;
        return value;
      }
    }
    return fail(`unexpected character ${JSON.stringify(c)}`);
  };

  const value = parseValue(0);
  ws();
  if (i < text.length) fail('unexpected text after the literal');
  return value;
}
