import {
  assertFiniteArray,
  assertInt,
  assertOneOf,
  FormatError,
  gemmStrided,
  InvalidArgumentError,
  NonFiniteError,
  optionsObject,
  Rng,
  type Seed,
  ShapeError,
  Tensor,
  writeSafetensors,
} from '@lr/core';
import { _readSequences, type _Sequences, _writeSequences, type SequenceLayout } from './_io.js';
import { _Weights } from './_weights.js';
import {
  assertComplex,
  type ComplexArray,
  type ComplexMatrix,
  cdivInto,
  expm1OverInto,
} from './complex.js';
import type { DiscretizeMethod } from './discretize.js';
import { nplrLegS } from './hippo.js';
import { logUniformDt, S4D_INIT_DEFAULTS } from './inits.js';
import { _blellochExclusive } from './scan.js';

/**
 * Parameters of an S5 layer (Smith, Warrington & Linderman 2023): one multi-input
 * multi-output diagonal SSM with P complex states shared by the H channels,
 * x′ = diag(Λ)·x + B̃·u, y = f·Re(C̃·x) + D ⊙ u, f = 2 with `conjSym` (the P states are one
 * member of each conjugate pair of a real 2P-state system, S5's `conj_sym`), else 1.
 * Each state has its own step Δ_p = exp(logStep[p]).
 */
export interface S5Params {
  /** H, input/output channels. */
  H: number;
  /** P, complex states. */
  P: number;
  /** Λ, length P. */
  Lambda: ComplexArray;
  /** B̃, P×H complex (row-major). */
  B: ComplexMatrix;
  /** C̃, H×P complex (row-major). */
  C: ComplexMatrix;
  /** D, length H. */
  D: Float64Array;
  /** log Δ, length P. */
  logStep: Float64Array;
  /** y = 2·Re(C̃x) when true (default in S5), Re(C̃x) when false. */
  conjSym: boolean;
}

function checkParams(p: S5Params): S5Params {
  if (p === null || typeof p !== 'object')
    throw new InvalidArgumentError('params: expected S5Params');
  const H = assertInt('params.H', p.H, 1);
  const P = assertInt('params.P', p.P, 1);
  const cplx = (name: string, z: ComplexArray | undefined, n: number) => {
    assertComplex(`params.${name}`, z, n);
    assertFiniteArray(`params.${name}.re`, z!.re);
    assertFiniteArray(`params.${name}.im`, z!.im);
  };
  cplx('Lambda', p.Lambda, P);
  cplx('B', p.B, P * H);
  cplx('C', p.C, H * P);
  for (const [k, n] of [
    ['D', H],
    ['logStep', P],
  ] as const) {
    const v = p[k];
    if (!(v instanceof Float64Array))
      throw new InvalidArgumentError(`params.${k}: expected a Float64Array`);
    if (v.length !== n) throw new ShapeError(`params.${k}: expected length ${n}, got ${v.length}`);
    assertFiniteArray(`params.${k}`, v);
  }
  for (const v of p.logStep) if (v > 700) throw new NonFiniteError('params.logStep: exp overflows');
  return p;
}

/** Options of {@link s5Init}. */
export interface S5InitOptions {
  /** Channels H (required). */
  H: number;
  /** Complex states P (the real system has 2P); default 32. */
  P?: number;
  /** Smallest step; default 0.001 (S5's `dt_min`). */
  dtMin?: number;
  /** Largest step; default 0.1 (S5's `dt_max`). */
  dtMax?: number;
  /** Seed; default 0. */
  seed?: Seed;
}

/**
 * S5's initialization (one block): Λ = the eigenvalues of the normal part of HiPPO-LegS of
 * size 2P ({@link nplrLegS}, the P with negative imaginary part), B̃ = V*·B₀ with
 * B₀ ~ N(0, 1/H) (LeCun normal, 2P×H), C̃ = C₀·V with C₀ ~ N(0, 1/(2P)) (H×2P),
 * D ~ N(0, 1), log Δ log-uniform in [dtMin, dtMax] per state; `conjSym` true. Draw order:
 * log Δ, B₀, C₀, D.
 *
 * @param options see {@link S5InitOptions}
 * @returns fresh {@link S5Params}
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad sizes or dt range
 * @example const params = s5Init({ H: 16, P: 32, seed: 1 });
 */
export function s5Init(options: S5InitOptions): S5Params {
  const o = optionsObject('options', options);
  const H = assertInt('options.H', o.H, 1, 1 << 16);
  const P = assertInt('options.P', o.P ?? 32, 1, 1024);
  const rng = Rng.from(o.seed ?? 0);
  const logStep = logUniformDt(
    P,
    o.dtMin ?? S4D_INIT_DEFAULTS.dtMin,
    o.dtMax ?? S4D_INIT_DEFAULTS.dtMax,
    rng,
  );
  const r = nplrLegS(2 * P);
  const N = 2 * P;
  const B0 = rng.fillNormal(new Float64Array(N * H), 0, 1 / Math.sqrt(H));
  const C0 = rng.fillNormal(new Float64Array(H * N), 0, 1 / Math.sqrt(N));
  const D = rng.fillNormal(new Float64Array(H));
  const B: ComplexMatrix = {
    re: new Float64Array(P * H),
    im: new Float64Array(P * H),
    rows: P,
    cols: H,
  };
  const C: ComplexMatrix = {
    re: new Float64Array(H * P),
    im: new Float64Array(H * P),
    rows: H,
    cols: P,
  };
  // B̃ = Vᴴ·B0 (P×N · N×H), C̃ = C0·V (H×N · N×P), V = r.V row-major N×P: four real GEMMs.
  gemmStrided(P, H, N, 1, r.V.re, 0, 1, P, B0, 0, H, 1, 0, B.re, 0, H, 1);
  gemmStrided(P, H, N, -1, r.V.im, 0, 1, P, B0, 0, H, 1, 0, B.im, 0, H, 1);
  gemmStrided(H, P, N, 1, C0, 0, N, 1, r.V.re, 0, P, 1, 0, C.re, 0, P, 1);
  gemmStrided(H, P, N, 1, C0, 0, N, 1, r.V.im, 0, P, 1, 0, C.im, 0, P, 1);
  return { H, P, Lambda: r.lambda, B, C, D, logStep, conjSym: true };
}

/** Options of {@link S5Layer}. */
export interface S5LayerOptions {
  /** Discretization; default `'zoh'` (S5's default). */
  method?: DiscretizeMethod;
  /** Layout of `forward`'s input and output; default `'BLH'`. */
  layout?: SequenceLayout;
}

/**
 * An S5 layer's SSM (Smith et al. 2023): MIMO diagonal SSM run by the associative parallel
 * scan (Blelloch up/down-sweep, {@link ssmScan}'s kernel) over B̄·u_k, or by the
 * recurrence; `step` for streaming. ZOH: Λ̄ = exp(Λ·Δ), B̄ = (Λ̄ − 1)/Λ·B̃ (row p scaled);
 * bilinear: Λ̄ = (1 + ΔΛ/2)/(1 − ΔΛ/2), B̄ = Δ/(1 − ΔΛ/2)·B̃.
 *
 * Weights (safetensors, the S5 reference code's parameter names; leading 1s ignored):
 * `Lambda_re` [P], `Lambda_im` [P], `B` [P, H, 2], `C` [H, P, 2] (re, im pairs), `D` [H],
 * `log_step` [P] or [P, 1]. Metadata `conj_sym` = `"false"` selects y = Re(C̃x)
 * (default `"true"`: 2·Re).
 *
 * @example
 * const layer = new S5Layer(s5Init({ H: 4, P: 16 }));
 * const y = layer.forward(new Tensor(new Float64Array(100 * 4), [100, 4])); // [L, H]
 */
export class S5Layer {
  readonly params: S5Params;
  readonly method: DiscretizeMethod;
  readonly layout: SequenceLayout;
  /** Λ̄, length P. */
  readonly Lbar: ComplexArray;
  /** B̄, P×H. */
  readonly Bbar: ComplexMatrix;
  private streamState: ComplexArray | null = null;
  private streamBatch = 0;

  /**
   * @param params the parameters (copied)
   * @param options `method` (default `'zoh'`), `layout` (default `'BLH'`)
   */
  constructor(params: S5Params, options?: S5LayerOptions) {
    const o = optionsObject('options', options);
    const p = checkParams(params);
    const cm = (z: ComplexMatrix): ComplexMatrix => ({
      re: Float64Array.from(z.re),
      im: Float64Array.from(z.im),
      rows: z.rows,
      cols: z.cols,
    });
    this.params = {
      H: p.H,
      P: p.P,
      Lambda: { re: Float64Array.from(p.Lambda.re), im: Float64Array.from(p.Lambda.im) },
      B: cm({ ...p.B, rows: p.P, cols: p.H }),
      C: cm({ ...p.C, rows: p.H, cols: p.P }),
      D: Float64Array.from(p.D),
      logStep: Float64Array.from(p.logStep),
      conjSym: p.conjSym !== false,
    };
    this.method = assertOneOf('options.method', o.method ?? 'zoh', ['zoh', 'bilinear'] as const);
    this.layout = assertOneOf('options.layout', o.layout ?? 'BLH', ['BLH', 'BHL'] as const);
    const { H, P, Lambda, B, logStep } = this.params;
    this.Lbar = { re: new Float64Array(P), im: new Float64Array(P) };
    this.Bbar = { re: new Float64Array(P * H), im: new Float64Array(P * H), rows: P, cols: H };
    const t = new Float64Array(2);
    for (let q = 0; q < P; q++) {
      const dt = Math.exp(logStep[q]!);
      const xr = dt * Lambda.re[q]!;
      const xi = dt * Lambda.im[q]!;
      let fr: number;
      let fi: number;
      if (this.method === 'zoh') {
        const e = Math.exp(xr);
        this.Lbar.re[q] = e * Math.cos(xi);
        this.Lbar.im[q] = e * Math.sin(xi);
        expm1OverInto(xr, xi, t);
        fr = dt * t[0]!;
        fi = dt * t[1]!;
      } else {
        cdivInto(1 + 0.5 * xr, 0.5 * xi, 1 - 0.5 * xr, -0.5 * xi, t);
        this.Lbar.re[q] = t[0]!;
        this.Lbar.im[q] = t[1]!;
        cdivInto(dt, 0, 1 - 0.5 * xr, -0.5 * xi, t);
        fr = t[0]!;
        fi = t[1]!;
      }
      for (let h = 0; h < H; h++) {
        const br = B.re[q * H + h]!;
        const bi = B.im[q * H + h]!;
        this.Bbar.re[q * H + h] = fr * br - fi * bi;
        this.Bbar.im[q * H + h] = fr * bi + fi * br;
      }
    }
  }

  /** H, the number of channels. */
  get channels(): number {
    return this.params.H;
  }

  /**
   * Loads a layer from a safetensors file (see the class doc for the names).
   * @throws {FormatError} `FORMAT` for a corrupt file, missing tensors or wrong shapes
   */
  static fromSafetensors(
    bytes: Uint8Array,
    options?: S5LayerOptions & { prefix?: string },
  ): S5Layer {
    const o = optionsObject('options', options);
    const w = new _Weights(bytes, o.prefix);
    const lr = w.dims('Lambda_re').filter((d, i, a) => !(d === 1 && i < a.length - 1));
    if (lr.length !== 1)
      throw new FormatError(`tensor 'Lambda_re': expected shape [P], got [${lr.join(', ')}]`);
    const P = lr[0]!;
    const cd = w.dims('C');
    while (cd.length > 3 && cd[0] === 1) cd.shift();
    if (cd.length !== 3)
      throw new FormatError(`tensor 'C': expected shape [H, P, 2], got [${cd.join(', ')}]`);
    const H = cd[0]!;
    const Lre = w.get('Lambda_re', [P])!;
    const Lim = w.get('Lambda_im', [P])!;
    const Bp = w.get('B', [P, H, 2])!;
    const Cp = w.get('C', [H, P, 2])!;
    const D = w.get('D', [H], true) ?? new Float64Array(H);
    const ls =
      w.has('log_step') && w.dims('log_step').length === 2
        ? w.get('log_step', [P, 1])!
        : w.get('log_step', [P])!;
    const pairs = (v: Float64Array, rows: number, cols: number): ComplexMatrix => {
      const re = new Float64Array(rows * cols);
      const im = new Float64Array(rows * cols);
      for (let k = 0; k < rows * cols; k++) {
        re[k] = v[2 * k]!;
        im[k] = v[2 * k + 1]!;
      }
      return { re, im, rows, cols };
    };
    const conjSym = w.file.metadata.conj_sym !== 'false';
    return new S5Layer(
      {
        H,
        P,
        Lambda: { re: Lre, im: Lim },
        B: pairs(Bp, P, H),
        C: pairs(Cp, H, P),
        D,
        logStep: ls,
        conjSym,
      },
      { method: o.method, layout: o.layout },
    );
  }

  /** The parameters as safetensors (names as {@link S5Layer.fromSafetensors} reads), float64. */
  toSafetensors(): Uint8Array {
    return s5ToSafetensors(this.params);
  }

  /**
   * Runs whole sequences from a zero state.
   *
   * @param u [batch, L, H] or [batch, H, L] as the layer's layout; 2-d = batch 1
   * @param mode `'scan'` (default, S5's parallel scan) or `'recurrence'`
   * @returns y, a fresh float64 tensor of u's shape
   * @throws {ShapeError} `SHAPE_MISMATCH` / {@link NonFiniteError} `NON_FINITE` for bad input
   */
  forward(u: Tensor, mode: 'scan' | 'recurrence' = 'scan'): Tensor {
    const m = assertOneOf('mode', mode, ['scan', 'recurrence'] as const);
    const seq = _readSequences('u', u, this.params.H, this.layout);
    const n = seq.batch * this.params.P;
    const x = { re: new Float64Array(n), im: new Float64Array(n) };
    return _writeSequences(seq, this.run(seq, x, m === 'scan'));
  }

  /** Clears the streaming state for `batch` sequences (default 1). */
  reset(batch = 1): void {
    if (!Number.isSafeInteger(batch) || batch < 1)
      throw new InvalidArgumentError(`batch: expected an integer ≥ 1, got ${batch}`);
    const n = batch * this.params.P;
    this.streamState = { re: new Float64Array(n), im: new Float64Array(n) };
    this.streamBatch = batch;
  }

  /**
   * One recurrent step: x ← Λ̄·x + B̄·u_k, y_k = f·Re(C̃·x) + D ⊙ u_k.
   * @param uk [batch, H] row-major
   * @returns y_k, [batch, H]
   */
  step(uk: Float64Array | Float32Array): Float64Array {
    if (!(uk instanceof Float64Array || uk instanceof Float32Array))
      throw new InvalidArgumentError('uk: expected a Float64Array of length batch·H');
    const H = this.params.H;
    if (uk.length === 0 || uk.length % H !== 0)
      throw new ShapeError(
        `uk: expected a length that is a positive multiple of H = ${H}, got ${uk.length}`,
      );
    assertFiniteArray('uk', uk);
    const batch = uk.length / H;
    if (this.streamState === null || this.streamBatch !== batch) this.reset(batch);
    // one step = L = 1 with layout (b, h, l): data index (b·H + h)
    const seq: _Sequences = {
      batch,
      L: 1,
      H,
      data: Float64Array.from(uk),
      shape: [batch, 1, H],
      layout: 'BLH',
    };
    return this.run(seq, this.streamState!, false);
  }

  /** Core: (b, h, l) data in, (b, h, l) data out; advances x ([batch, P]) in place. */
  private run(seq: _Sequences, x: ComplexArray, scan: boolean): Float64Array {
    const { batch, L, data } = seq;
    const { H, P, C, D } = this.params;
    const f = this.params.conjSym ? 2 : 1;
    const y = new Float64Array(batch * H * L);
    let Pp = 1;
    while (Pp < L) Pp *= 2;
    const len = scan ? Pp : L;
    // U [L×H] for one sequence, V = U·B̄ᵀ: [L×P] (re, im)
    const U = new Float64Array(L * H);
    const ar = new Float64Array(len * P);
    const ai = new Float64Array(len * P);
    const br = new Float64Array(len * P);
    const bi = new Float64Array(len * P);
    const X = new Float64Array(L * 2 * P); // [Re x | Im x] per step
    const Ct = new Float64Array(2 * P * H); // [Re C̃ᵀ; −Im C̃ᵀ]
    for (let h = 0; h < H; h++) {
      for (let q = 0; q < P; q++) {
        Ct[q * H + h] = f * C.re[h * P + q]!;
        Ct[(P + q) * H + h] = -f * C.im[h * P + q]!;
      }
    }
    const Y = new Float64Array(L * H);
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < H; h++) {
        const o = (b * H + h) * L;
        for (let l = 0; l < L; l++) U[l * H + h] = data[o + l]!;
      }
      // b_k = B̄·u_k (GEMMs: U·B̄ᵀ with B̄ stored P×H → transposed strides)
      gemmStrided(L, P, H, 1, U, 0, H, 1, this.Bbar.re, 0, 1, H, 0, br, 0, P, 1);
      gemmStrided(L, P, H, 1, U, 0, H, 1, this.Bbar.im, 0, 1, H, 0, bi, 0, P, 1);
      const xo = b * P;
      if (scan) {
        for (let k = 0; k < Pp; k++) {
          for (let q = 0; q < P; q++) {
            const e = k * P + q;
            if (k < L) {
              ar[e] = this.Lbar.re[q]!;
              ai[e] = this.Lbar.im[q]!;
            } else {
              ar[e] = 1;
              ai[e] = 0;
              br[e] = 0;
              bi[e] = 0;
            }
          }
        }
        // keep b_k (B̄u_k) for the final combine: copy before the scan overwrites it
        const vr = br.slice(0, L * P);
        const vi = bi.slice(0, L * P);
        _blellochExclusive(ar, ai, br, bi, Pp, P);
        for (let k = 0; k < L; k++) {
          for (let q = 0; q < P; q++) {
            const e = k * P + q;
            const x0r = x.re[xo + q]!;
            const x0i = x.im[xo + q]!;
            const pr = ar[e]! * x0r - ai[e]! * x0i + br[e]!;
            const pi = ar[e]! * x0i + ai[e]! * x0r + bi[e]!;
            const lr = this.Lbar.re[q]!;
            const li = this.Lbar.im[q]!;
            X[k * 2 * P + q] = lr * pr - li * pi + vr[e]!;
            X[k * 2 * P + P + q] = lr * pi + li * pr + vi[e]!;
          }
        }
        for (let q = 0; q < P; q++) {
          x.re[xo + q] = X[(L - 1) * 2 * P + q]!;
          x.im[xo + q] = X[(L - 1) * 2 * P + P + q]!;
        }
      } else {
        for (let k = 0; k < L; k++) {
          for (let q = 0; q < P; q++) {
            const xr = x.re[xo + q]!;
            const xi = x.im[xo + q]!;
            const lr = this.Lbar.re[q]!;
            const li = this.Lbar.im[q]!;
            const nr = lr * xr - li * xi + br[k * P + q]!;
            const ni = lr * xi + li * xr + bi[k * P + q]!;
            x.re[xo + q] = nr;
            x.im[xo + q] = ni;
            X[k * 2 * P + q] = nr;
            X[k * 2 * P + P + q] = ni;
          }
        }
      }
      // Y = f·Re(X·C̃ᵀ) = [Re X | Im X]·[f·Re C̃ᵀ; −f·Im C̃ᵀ]
      gemmStrided(L, H, 2 * P, 1, X, 0, 2 * P, 1, Ct, 0, H, 1, 0, Y, 0, H, 1);
      for (let h = 0; h < H; h++) {
        const o = (b * H + h) * L;
        for (let l = 0; l < L; l++) y[o + l] = Y[l * H + h]! + D[h]! * U[l * H + h]!;
      }
    }
    return y;
  }
}

/**
 * Serializes S5 parameters with the names {@link S5Layer.fromSafetensors} reads
 * (`Lambda_re`, `Lambda_im`, `B` [P, H, 2], `C` [H, P, 2], `D`, `log_step`; metadata `conj_sym`).
 * @example const bytes = s5ToSafetensors(s5Init({ H: 4 }));
 */
export function s5ToSafetensors(params: S5Params): Uint8Array {
  const p = checkParams(params);
  const pairs = (z: ComplexArray, shape: number[]): Tensor => {
    const v = new Float64Array(2 * z.re.length);
    for (let k = 0; k < z.re.length; k++) {
      v[2 * k] = z.re[k]!;
      v[2 * k + 1] = z.im[k]!;
    }
    return new Tensor(v, shape);
  };
  return writeSafetensors(
    {
      Lambda_re: new Tensor(Float64Array.from(p.Lambda.re), [p.P]),
      Lambda_im: new Tensor(Float64Array.from(p.Lambda.im), [p.P]),
      B: pairs(p.B, [p.P, p.H, 2]),
      C: pairs(p.C, [p.H, p.P, 2]),
      D: new Tensor(Float64Array.from(p.D), [p.H]),
      log_step: new Tensor(Float64Array.from(p.logStep), [p.P]),
    },
    { dtype: 'F64', metadata: { format: 'lr-ssm-s5', conj_sym: String(p.conjSym !== false) } },
  );
}
