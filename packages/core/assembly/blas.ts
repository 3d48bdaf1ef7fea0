// Level-1 and level-2 BLAS on WebAssembly SIMD: dot, axpy and GEMV in f64 (f64x2) and f32
// (f32x4). Vectors are contiguous (the JS side copies strided vectors in); matrices are
// strided. Sizes in elements, pointers in bytes, strides in elements.

/** Σ x[i]·y[i] over n contiguous doubles, with four independent partial sums. */
export function ddot(n: i32, x: usize, y: usize): f64 {
  let s0 = f64x2.splat(0);
  let s1 = s0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 = f64x2.add(s0, f64x2.mul(v128.load(x), v128.load(y)));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(x, 16), v128.load(y, 16)));
    x += 32;
    y += 32;
  }
  s0 = f64x2.add(s0, s1);
  let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
  for (; i < n; i++) {
    s += load<f64>(x) * load<f64>(y);
    x += 8;
    y += 8;
  }
  return s;
}

/** Σ x[i]·y[i] over n contiguous floats, accumulated in f32 lanes. */
export function sdot(n: i32, x: usize, y: usize): f32 {
  let s0 = f32x4.splat(0);
  let s1 = s0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(x), v128.load(y)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(x, 16), v128.load(y, 16)));
    x += 32;
    y += 32;
  }
  s0 = f32x4.add(s0, s1);
  let s =
    f32x4.extract_lane(s0, 0) +
    f32x4.extract_lane(s0, 1) +
    (f32x4.extract_lane(s0, 2) + f32x4.extract_lane(s0, 3));
  for (; i < n; i++) {
    s += load<f32>(x) * load<f32>(y);
    x += 4;
    y += 4;
  }
  return s;
}

/** y[i] += α·x[i] over n contiguous doubles. */
export function daxpy(n: i32, alpha: f64, x: usize, y: usize): void {
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(y, f64x2.add(v128.load(y), f64x2.mul(va, v128.load(x))));
    v128.store(y, f64x2.add(v128.load(y, 16), f64x2.mul(va, v128.load(x, 16))), 16);
    x += 32;
    y += 32;
  }
  for (; i < n; i++) {
    store<f64>(y, load<f64>(y) + alpha * load<f64>(x));
    x += 8;
    y += 8;
  }
}

/** y[i] += α·x[i] over n contiguous floats. */
export function saxpy(n: i32, alpha: f32, x: usize, y: usize): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    v128.store(y, f32x4.add(v128.load(y), f32x4.mul(va, v128.load(x))));
    v128.store(y, f32x4.add(v128.load(y, 16), f32x4.mul(va, v128.load(x, 16))), 16);
    x += 32;
    y += 32;
  }
  for (; i < n; i++) {
    store<f32>(y, load<f32>(y) + alpha * load<f32>(x));
    x += 4;
    y += 4;
  }
}

/**
 * y ← α·A·x + β·y for A m×n at `a` with element strides (ars, acs); x (n) and y (m)
 * contiguous doubles. β = 0 overwrites y without reading it. Rows of A that are
 * contiguous (acs = 1) go four at a time as dot products; contiguous columns (ars = 1)
 * four at a time as axpys; anything else element by element.
 */
export function dgemv(
  m: i32,
  n: i32,
  alpha: f64,
  a: usize,
  ars: i32,
  acs: i32,
  x: usize,
  beta: f64,
  y: usize,
): void {
  const rs = (<usize>ars) << 3;
  const cs = (<usize>acs) << 3;
  if (acs === 1) {
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const r0 = a + <usize>i * rs;
      const r1 = r0 + rs;
      const r2 = r1 + rs;
      const r3 = r2 + rs;
      let s0 = f64x2.splat(0);
      let s1 = s0;
      let s2 = s0;
      let s3 = s0;
      let j = 0;
      for (; j + 2 <= n; j += 2) {
        const o = (<usize>j) << 3;
        const xv = v128.load(x + o);
        s0 = f64x2.add(s0, f64x2.mul(v128.load(r0 + o), xv));
        s1 = f64x2.add(s1, f64x2.mul(v128.load(r1 + o), xv));
        s2 = f64x2.add(s2, f64x2.mul(v128.load(r2 + o), xv));
        s3 = f64x2.add(s3, f64x2.mul(v128.load(r3 + o), xv));
      }
      let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
      let t1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
      let t2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
      let t3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
      if (j < n) {
        const o = (<usize>j) << 3;
        const xj = load<f64>(x + o);
        t0 += load<f64>(r0 + o) * xj;
        t1 += load<f64>(r1 + o) * xj;
        t2 += load<f64>(r2 + o) * xj;
        t3 += load<f64>(r3 + o) * xj;
      }
      const yp = y + ((<usize>i) << 3);
      if (beta === 0) {
        store<f64>(yp, alpha * t0);
        store<f64>(yp, alpha * t1, 8);
        store<f64>(yp, alpha * t2, 16);
        store<f64>(yp, alpha * t3, 24);
      } else {
        store<f64>(yp, alpha * t0 + beta * load<f64>(yp));
        store<f64>(yp, alpha * t1 + beta * load<f64>(yp, 8), 8);
        store<f64>(yp, alpha * t2 + beta * load<f64>(yp, 16), 16);
        store<f64>(yp, alpha * t3 + beta * load<f64>(yp, 24), 24);
      }
    }
    for (; i < m; i++) {
      const t = ddot(n, a + <usize>i * rs, x);
      const yp = y + ((<usize>i) << 3);
      store<f64>(yp, beta === 0 ? alpha * t : alpha * t + beta * load<f64>(yp));
    }
    return;
  }
  // Column-oriented: y ← β·y first, then y += (α·x_j)·A[:, j].
  for (let i = 0; i < m; i++) {
    const yp = y + ((<usize>i) << 3);
    store<f64>(yp, beta === 0 ? 0.0 : beta * load<f64>(yp));
  }
  if (ars === 1) {
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const c0 = a + <usize>j * cs;
      const c1 = c0 + cs;
      const c2 = c1 + cs;
      const c3 = c2 + cs;
      const xp = x + ((<usize>j) << 3);
      const x0 = f64x2.splat(alpha * load<f64>(xp));
      const x1 = f64x2.splat(alpha * load<f64>(xp, 8));
      const x2 = f64x2.splat(alpha * load<f64>(xp, 16));
      const x3 = f64x2.splat(alpha * load<f64>(xp, 24));
      let i = 0;
      for (; i + 2 <= m; i += 2) {
        const o = (<usize>i) << 3;
        let v = v128.load(y + o);
        v = f64x2.add(v, f64x2.mul(x0, v128.load(c0 + o)));
        v = f64x2.add(v, f64x2.mul(x1, v128.load(c1 + o)));
        v = f64x2.add(v, f64x2.mul(x2, v128.load(c2 + o)));
        v = f64x2.add(v, f64x2.mul(x3, v128.load(c3 + o)));
        v128.store(y + o, v);
      }
      if (i < m) {
        const o = (<usize>i) << 3;
        let v = load<f64>(y + o);
        v += f64x2.extract_lane(x0, 0) * load<f64>(c0 + o);
        v += f64x2.extract_lane(x1, 0) * load<f64>(c1 + o);
        v += f64x2.extract_lane(x2, 0) * load<f64>(c2 + o);
        v += f64x2.extract_lane(x3, 0) * load<f64>(c3 + o);
        store<f64>(y + o, v);
      }
    }
    for (; j < n; j++) daxpy(m, alpha * load<f64>(x + ((<usize>j) << 3)), a + <usize>j * cs, y);
    return;
  }
  for (let j = 0; j < n; j++) {
    const s = alpha * load<f64>(x + ((<usize>j) << 3));
    let q = a + <usize>j * cs;
    for (let i = 0; i < m; i++) {
      const yp = y + ((<usize>i) << 3);
      store<f64>(yp, load<f64>(yp) + s * load<f64>(q));
      q += rs;
    }
  }
}

/** y ← α·A·x + β·y in single precision; the contract of {@link dgemv} with floats. */
export function sgemv(
  m: i32,
  n: i32,
  alpha: f32,
  a: usize,
  ars: i32,
  acs: i32,
  x: usize,
  beta: f32,
  y: usize,
): void {
  const rs = (<usize>ars) << 2;
  const cs = (<usize>acs) << 2;
  if (acs === 1) {
    for (let i = 0; i < m; i++) {
      const t = sdot(n, a + <usize>i * rs, x);
      const yp = y + ((<usize>i) << 2);
      store<f32>(yp, beta === 0 ? alpha * t : alpha * t + beta * load<f32>(yp));
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const yp = y + ((<usize>i) << 2);
    store<f32>(yp, beta === 0 ? <f32>0 : beta * load<f32>(yp));
  }
  if (ars === 1) {
    for (let j = 0; j < n; j++)
      saxpy(m, alpha * load<f32>(x + ((<usize>j) << 2)), a + <usize>j * cs, y);
    return;
  }
  for (let j = 0; j < n; j++) {
    const s = alpha * load<f32>(x + ((<usize>j) << 2));
    let q = a + <usize>j * cs;
    for (let i = 0; i < m; i++) {
      const yp = y + ((<usize>i) << 2);
      store<f32>(yp, load<f32>(yp) + s * load<f32>(q));
      q += rs;
    }
  }
}
