#!/usr/bin/python3
"""numpy peer of tooling/bench/ssm.mjs: the same S4D kernel and FFT convolution.

Reads one JSON object on stdin: {"H", "M", "L", "repeats", "seed"} and prints one JSON
object: median milliseconds of the Vandermonde kernel K[h, l] = 2 Re sum_n C B (e^{dtA} - 1)/A
e^{l dt A} (ZOH, S4D's computation: exp of the outer product, then a contraction) and of
the causal convolution y = irfft(rfft(K, 2L) * rfft(u, 2L))[:L] + D u for H channels.
"""
import json
import sys
import time

import numpy as np


def median_ms(fn, repeats):
    fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(ts))


def main():
    cfg = json.load(sys.stdin)
    H, M, L, reps = cfg["H"], cfg["M"], cfg["L"], cfg["repeats"]
    rng = np.random.default_rng(cfg.get("seed", 0))
    A = -0.5 + 1j * np.pi * np.arange(M)
    A = np.tile(A, (H, 1))
    B = np.ones((H, M), dtype=complex)
    C = (rng.standard_normal((H, M)) + 1j * rng.standard_normal((H, M))) * np.sqrt(0.5)
    D = rng.standard_normal(H)
    dt = np.exp(rng.uniform(np.log(1e-3), np.log(1e-1), H))
    u = rng.standard_normal((L, H))

    ell = np.arange(L)

    def kernel():
        # S4D's Vandermonde: exp of the (H, M, L) outer product, contracted over M; in
        # blocks of 16 channels so that the complex intermediate stays ~130 MB at L = 16k
        dtA = A * dt[:, None]
        W = C * B * (np.exp(dtA) - 1) / A
        out = np.empty((H, L))
        for h0 in range(0, H, 16):
            V = np.exp(dtA[h0 : h0 + 16, :, None] * ell)
            out[h0 : h0 + 16] = 2 * np.einsum("hn,hnl->hl", W[h0 : h0 + 16], V).real
        return out

    K = kernel()

    def conv():
        kf = np.fft.rfft(K, n=2 * L, axis=1)
        uf = np.fft.rfft(u.T, n=2 * L, axis=1)
        return np.fft.irfft(kf * uf, n=2 * L, axis=1)[:, :L].T + u * D

    out = {
        "kernel_ms": median_ms(kernel, reps),
        "conv_ms": median_ms(conv, reps),
        "numpy": np.__version__,
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
