// A line cursor over text for the line-oriented readers (not public API). It never copies
// the whole input into an array of lines, and reports 1-based line numbers.

/** Iterates the lines of `text` (separated by '\n'; a trailing '\r' is dropped). */
export class LineCursor {
  private pos = 0;
  /** 1-based number of the line last returned by {@link next} (0 before the first). */
  lineNo = 0;
  constructor(private readonly text: string) {}

  /** The next line, or undefined at the end of the text. */
  next(): string | undefined {
    if (this.pos > this.text.length || (this.pos === this.text.length && this.lineNo > 0))
      return undefined;
    let end = this.text.indexOf('\n', this.pos);
    if (end < 0) end = this.text.length;
    let line = this.text.slice(this.pos, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.pos = end + 1;
    this.lineNo++;
    return line;
  }

  /** Characters not yet consumed. */
  get remaining(): number {
    return Math.max(0, this.text.length - this.pos);
  }
}
