#!/usr/bin/python3
"""Builds the accuracy zoo: packages/core/test/zoo/zoo.json.

Run from anywhere with the Debian numpy (no other dependency):

    /usr/bin/python3 packages/core/test/zoo/make_zoo.py

Every matrix comes from numpy's default_rng with a fixed seed or from a closed formula,
so the output is the same on every run with the same numpy. For each case the file holds
the matrix (row-major, shape), numpy's singular values, eigenvalues for symmetric cases,
the 2-norm condition number, the numerical rank, the determinant for square cases and
flags for which decompositions the test applies. Floats are written with repr precision
(json uses float.__repr__, which round-trips exactly); non-finite values are written as
null.
"""

import json
import math
import os
import subprocess
import sys

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zoo.json")
EPS = np.finfo(np.float64).eps


def rng(seed):
    return np.random.default_rng(seed)


def orthogonal(n, seed):
    """A random n×n orthogonal matrix (Q of a Gaussian matrix, signs fixed by diag(R))."""
    q, r = np.linalg.qr(rng(seed).standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def hilbert(n):
    i = np.arange(n)
    # 1 / (i + j + 1) exactly as the TypeScript helper computes it
    return 1.0 / (i[:, None] + i[None, :] + 1.0)


def sym(a):
    return (a + a.T) / 2


def build_cases():
    cases = []

    def add(name, a, note, symmetric=False, spd=False):
        cases.append((name, np.ascontiguousarray(a, dtype=np.float64), note, symmetric, spd))

    add("random_30x30", rng(1).standard_normal((30, 30)), "Gaussian square")
    add("tall_40x12", rng(2).standard_normal((40, 12)), "Gaussian tall")
    add("wide_12x40", rng(3).standard_normal((12, 40)), "Gaussian wide")
    add("one_1x1", np.array([[-2.5]]), "1×1")
    add("empty_0x5", np.zeros((0, 5)), "no rows")
    add("empty_5x0", np.zeros((5, 0)), "no columns")
    add("zero_6x6", np.zeros((6, 6)), "all zeros", symmetric=True)
    r = rng(4)
    add("rankdef_20x15", r.standard_normal((20, 3)) @ r.standard_normal((3, 15)), "rank 3 product of Gaussians")
    add("hilbert_10", hilbert(10), "Hilbert, κ ≈ 1.6e13", symmetric=True, spd=True)
    add("hilbert_12", hilbert(12), "Hilbert, κ ≈ 1.7e16 (numerically singular)", symmetric=True)
    d = 10.0 ** -np.arange(10)
    add("graded_10x10", d[:, None] * rng(5).standard_normal((10, 10)) * d[None, :], "diag(10^-k)·G·diag(10^-k)")
    # singular values in clusters: five equal ones, four within 1e-10 of 0.5, the rest spread
    s = np.array([1, 1, 1, 1, 1, 0.5, 0.5 + 1e-10, 0.5 + 2e-10, 0.5 - 1e-10, 0.1, 0.1, 0.1, 1e-3, 1e-3, 1e-6])
    u = orthogonal(20, 6)[:, :15]
    v = orthogonal(15, 7)
    add("clustered_20x15", (u * s) @ v.T, "clustered and repeated singular values")
    add("sym_random_20", sym(rng(8).standard_normal((20, 20))), "random symmetric", symmetric=True)
    q = orthogonal(16, 9)
    lam = np.array([-8.0, -3, -1, -0.5, -1e-3, 1e-3, 0.25, 0.5, 1, 2, 3, 4, 5, 6, 7, 9])
    add("sym_indefinite_16", sym((q * lam) @ q.T), "symmetric indefinite, eigenvalues ±", symmetric=True)
    q = orthogonal(15, 10)
    lam = np.array([-3.0, -3, -3, 1, 1, 1, 1, 2, 2, 5, 5, 5, 5, 5, 7])
    add("sym_repeated_15", sym((q * lam) @ q.T), "symmetric with repeated eigenvalues", symmetric=True)
    b = rng(11).standard_normal((20, 20))
    b = sym(b)
    b = b + np.diag(np.abs(b).sum(axis=1) + 1.0)
    add("spd_diagdom_20", b, "symmetric diagonally dominant, positive diagonal (SPD)", symmetric=True, spd=True)
    return cases


def finite_or_none(x):
    x = float(x)
    return x if math.isfinite(x) else None


def describe(name, a, note, symmetric, spd):
    m, n = a.shape
    square = m == n
    k = min(m, n)
    sv = np.linalg.svd(a, compute_uv=False) if k > 0 else np.zeros(0)
    smax = float(sv[0]) if k > 0 else 0.0
    rank = int(np.linalg.matrix_rank(a)) if k > 0 else 0
    cond = float(sv[0] / sv[-1]) if k > 0 and sv[-1] > 0 else math.inf
    # The numerical rank is unambiguous when the gap around numpy's tolerance is wide:
    # σ_rank ≥ 1e3·tol and σ_{rank+1} ≤ 0.1·tol (tol = σmax·max(m, n)·ε). An exactly
    # rank-r product in floating point has σ_{r+1} ≈ ε·σmax, well under tol.
    tol = smax * max(m, n) * EPS
    rank_clear = bool(
        k == 0
        or smax == 0
        or ((rank == 0 or sv[rank - 1] >= 1e3 * tol) and (rank == k or sv[rank] <= 0.1 * tol))
    )
    entry = {
        "name": name,
        "note": note,
        "shape": [m, n],
        "data": [float(x) for x in a.ravel()],
        "singularValues": [float(x) for x in sv],
        "cond": finite_or_none(cond),
        "rank": rank,
        "rankClear": rank_clear,
        "wellConditioned": bool(math.isfinite(cond) and cond <= 10.0),
        "symmetric": symmetric,
        "applies": {
            "qr": True,
            "qrPivoted": True,
            "lu": square and m > 0,
            "det": square and m > 0,
            "cholesky": spd,
            "eigh": symmetric,
            "svd": True,
            "pinv": True,
        },
    }
    if square and m > 0:
        entry["det"] = float(np.linalg.det(a))
    if symmetric:
        entry["eigenvalues"] = [float(x) for x in np.linalg.eigh(a)[0]]
    if spd:
        np.linalg.cholesky(a)  # fails loudly if a case marked SPD is not
    return entry


def main():
    cases = [describe(*c) for c in build_cases()]
    doc = {
        "generator": "packages/core/test/zoo/make_zoo.py",
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "eps": float(EPS),
        "cases": cases,
    }
    text = json.dumps(doc, allow_nan=False, separators=(",", ":"))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
        f.write("\n")
    # `pnpm lint` checks formatting of every JSON file: hand the file to the repo's biome
    # (formatting does not touch the numbers' digits).
    root = os.path.abspath(os.path.join(os.path.dirname(OUT), "..", "..", "..", ".."))
    biome = os.path.join(root, "node_modules", ".bin", "biome")
    if os.path.exists(biome):
        subprocess.run([biome, "format", "--write", OUT], cwd=root, check=True, capture_output=True)
    else:
        print(f"note: {biome} not found; run `pnpm format` before committing", file=sys.stderr)
    print(f"wrote {OUT}: {len(cases)} cases, {os.path.getsize(OUT) // 1024} KiB")
    for c in cases:
        print(f"  {c['name']:<18} {c['shape'][0]:>3}×{c['shape'][1]:<3} rank {c['rank']:>2} κ {c['cond']}")


if __name__ == "__main__":
    main()
