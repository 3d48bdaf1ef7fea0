import type { Writer } from './io/types.js';

/** Reports progress of long work; a no-op unless the stream is a terminal. */
export interface Progress {
  /** Shows `label` (and `done/total` when given) on one self-overwriting line. */
  update(label: string, done?: number, total?: number): void;
  /** Clears the line. */
  done(): void;
}

/**
 * Progress on `stream` when `stream.isTTY` is true (never when piped or in tests): one
 * line rewritten with a carriage return, throttled to 10 updates a second.
 */
export function createProgress(stream: Writer, prefix = 'lr'): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(label, done, total) {
      const now = Date.now();
      if (now - last < 100 && done !== undefined && done !== total) return;
      last = now;
      const count = done !== undefined && total !== undefined ? ` ${done}/${total}` : '';
      const width = Math.max(20, (stream.columns || 80) - 1);
      stream.write(`\r\x1b[K${`${prefix}: ${label}${count}`.slice(0, width)}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
