/** Milliseconds from a monotonic clock where there is one (`performance.now`). @internal */
export const now = (): number =>
  typeof performance !== 'undefined' ? performance.now() : Date.now();
