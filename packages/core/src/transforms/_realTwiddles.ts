// Twiddles ω_n^k = cos(2πk/n) − i·sin(2πk/n) for k = 0…n/2 (n even), cached per n: the
// split step that turns a half-length complex FFT into a real FFT (rfft, irfft).
const cache = new Map<number, { cos: Float64Array; sin: Float64Array }>();
const CACHE_SIZE = 16;

export function realTwiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  const hit = cache.get(n);
  if (hit !== undefined) return hit;
  const h = n / 2;
  const cos = new Float64Array(h + 1);
  const sin = new Float64Array(h + 1);
  for (let k = 0; k <= h; k++) {
    // reflect about the quarter point so that both halves are equally accurate
    if (4 * k <= n) {
      const t = (2 * Math.PI * k) / n;
      cos[k] = Math.cos(t);
      sin[k] = Math.sin(t);
    } else {
      const t = (2 * Math.PI * (h - k)) / n;
      cos[k] = -Math.cos(t);
      sin[k] = Math.sin(t);
    }
  }
  const entry = { cos, sin };
  cache.set(n, entry);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return entry;
}
