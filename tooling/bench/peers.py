#!/usr/bin/python3
"""Times the Python reference implementations for tooling/bench/run.mjs.

Protocol: one JSON object on stdin, one JSON object on stdout; progress on stderr.

    in:  {"cases": [{"id", "op", "m", "n", "k"?, "dtype", "power_iters"?}, ...],
          "budget_s": float, "max_reps": int, "skip_s": float}
    out: {"env": {...versions, BLAS...}, "notes": [...],
          "results": {case_id: {peer: {"median_ms", "min_ms", "runs"} | {"skipped": reason}}}}

ops: gemm (numpy), qr (numpy, scipy), svd (numpy, scipy), eigh (numpy, scipy),
rsvd (scikit-learn); package cases (their own fields, see run_pkg): als (numpy ALS on
MovieLens), kmeans and gmm (scikit-learn on digits). A peer that is not installed is reported once in "notes" and its
cells are left out. The BLAS thread settings are left as the environment has them.
"""

import json
import statistics
import sys
import time


def log(msg):
    print(f"[peers] {msg}", file=sys.stderr, flush=True)


def try_import(name):
    try:
        return __import__(name), None
    except Exception as e:  # ImportError, or a broken install
        return None, f"{name} is not installed ({type(e).__name__}: {e})"


np, np_err = try_import("numpy")
scipy_mod, scipy_err = (None, "scipy needs numpy") if np is None else try_import("scipy")
if scipy_mod is not None:
    import scipy.linalg  # noqa: E402
sk, sk_err = (None, "scikit-learn needs numpy") if np is None else try_import("sklearn")
if sk is not None:
    from sklearn.utils.extmath import randomized_svd  # noqa: E402


def blas_info():
    try:
        from threadpoolctl import threadpool_info

        return [
            {k: d.get(k) for k in ("internal_api", "version", "num_threads", "architecture", "threading_layer")}
            for d in threadpool_info()
            if d.get("user_api") == "blas"
        ]
    except Exception as e:
        return f"unknown (threadpoolctl unavailable: {type(e).__name__})"


def time_it(fn, budget_s, max_reps):
    """Median of up to max_reps runs after one warm-up; a warm-up longer than the budget is the only sample."""
    t0 = time.perf_counter()
    fn()
    warm = time.perf_counter() - t0
    if warm >= budget_s:
        samples = [warm]
    else:
        reps = max(1, min(max_reps, int(budget_s / max(warm, 1e-9))))
        samples = []
        for _ in range(reps):
            t0 = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t0)
    return {
        "median_ms": statistics.median(samples) * 1e3,
        "min_ms": min(samples) * 1e3,
        "runs": len(samples),
    }


def make_inputs(case):
    rng = np.random.default_rng(12345)
    dt = np.float32 if case["dtype"] == "float32" else np.float64
    m, n = case["m"], case["n"]
    op = case["op"]
    if op == "gemm":
        return (rng.standard_normal((m, n)).astype(dt), rng.standard_normal((n, m)).astype(dt))
    if op == "eigh":
        b = rng.standard_normal((n, n)).astype(dt)
        return ((b + b.T) / 2,)
    return (rng.standard_normal((m, n)).astype(dt),)


def peers_for(case):
    """(peer name, zero-argument callable) for each installed peer that does this op."""
    op = case["op"]
    inputs = make_inputs(case)
    out = []
    if op == "gemm":
        a, b = inputs
        out.append(("numpy", lambda: a @ b))
    elif op == "qr":
        (a,) = inputs
        out.append(("numpy", lambda: np.linalg.qr(a, mode="reduced")))
        if scipy_mod is not None:
            out.append(("scipy", lambda: scipy.linalg.qr(a, mode="economic", check_finite=False)))
    elif op == "svd":
        (a,) = inputs
        out.append(("numpy", lambda: np.linalg.svd(a, full_matrices=False)))
        if scipy_mod is not None:
            out.append(("scipy", lambda: scipy.linalg.svd(a, full_matrices=False, check_finite=False)))
    elif op == "eigh":
        (a,) = inputs
        out.append(("numpy", lambda: np.linalg.eigh(a)))
        if scipy_mod is not None:
            out.append(("scipy", lambda: scipy.linalg.eigh(a, check_finite=False)))
    elif op == "rsvd":
        (a,) = inputs
        if sk is not None:
            k, q = case["k"], case["power_iters"]
            out.append(
                ("sklearn", lambda: randomized_svd(a, n_components=k, n_oversamples=10, n_iter=q, random_state=0))
            )
    return out


# ------------------------------------------------------------------ package cases

PKG_OPS = ("als", "kmeans", "gmm")


def load_digits_csv(path):
    import gzip

    with gzip.open(path, "rt") as f:
        a = np.loadtxt(f, delimiter=",")
    return a[:, :-1].copy(), a[:, -1].astype(int)


def load_ratings(path):
    """user,item,rating[,...] with a header; ids mapped to dense indices in order of appearance."""
    import csv

    users, items, rows, cols, vals = {}, {}, [], [], []
    with open(path, newline="") as f:
        rd = csv.reader(f)
        next(rd)
        for rec in rd:
            if not rec:
                continue
            rows.append(users.setdefault(rec[0], len(users)))
            cols.append(items.setdefault(rec[1], len(items)))
            vals.append(float(rec[2]))
    return np.array(rows), np.array(cols), np.array(vals), len(users), len(items)


class RowIndex:
    """Entries grouped by target row (a user for the U-step, an item for the V-step)."""

    def __init__(self, target, n_target):
        self.order = np.argsort(target, kind="stable")
        counts = np.bincount(target, minlength=n_target)
        ptr = np.concatenate(([0], np.cumsum(counts)))
        self.nonempty = np.flatnonzero(counts)
        self.starts = ptr[:-1][self.nonempty]
        self.n = n_target


def ridge_rows(idx, other, t, W, lam):
    """For every target row r: argmin_x sum_{entries of r} (t - W[other].x)^2 + lam |x|^2."""
    d = W.shape[1]
    B = W[other[idx.order]]  # nnz x d design rows, grouped by target
    y = t[idx.order]
    outer = (B[:, :, None] * B[:, None, :]).reshape(len(y), d * d)
    G = np.zeros((idx.n, d * d))
    rhs = np.zeros((idx.n, d))
    G[idx.nonempty] = np.add.reduceat(outer, idx.starts, axis=0)
    rhs[idx.nonempty] = np.add.reduceat(B * y[:, None], idx.starts, axis=0)
    G = G.reshape(idx.n, d, d)
    G[:, np.arange(d), np.arange(d)] += lam
    return np.linalg.solve(G, rhs[:, :, None])[:, :, 0]


def als_numpy(rows, cols, vals, m, n, k, lam, iters):
    """The ALS of @lr/recovery's completeMatrix(method 'altmin', biases: true) in numpy.

    Returns (seconds of the init + first iteration, [seconds per later iteration], train RMSEs)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.linalg import svds

    t0 = time.perf_counter()
    mu = vals.mean()
    cnt_r = np.bincount(rows, minlength=m)
    cnt_c = np.bincount(cols, minlength=n)
    b = np.zeros(m)
    c = np.zeros(n)
    for _ in range(3):  # ridge biases, 3 sweeps
        b = np.bincount(rows, vals - mu - c[cols], minlength=m) / (cnt_r + lam)
        c = np.bincount(cols, vals - mu - b[rows], minlength=n) / (cnt_c + lam)
    scale = m * n / len(vals)
    S = csr_matrix((scale * (vals - mu - b[rows] - c[cols]), (rows, cols)), shape=(m, n))
    u, s, vt = svds(S, k=k, random_state=0)
    U = u * np.sqrt(s)
    V = vt.T * np.sqrt(s)
    by_r = RowIndex(rows, m)
    by_c = RowIndex(cols, n)
    times, rmse = [], []
    start = t0
    for _ in range(iters):
        # U-step: targets r - mu - c_j, design [V, 1] -> [U, b]
        X = ridge_rows(by_r, cols, vals - mu - c[cols], np.hstack([V, np.ones((n, 1))]), lam)
        U, b = X[:, :k], X[:, k]
        # V-step: targets r - mu - b_i, design [U, 1] -> [V, c]
        Y = ridge_rows(by_c, rows, vals - mu - b[rows], np.hstack([U, np.ones((m, 1))]), lam)
        V, c = Y[:, :k], Y[:, k]
        pred = mu + b[rows] + c[cols] + np.einsum("ij,ij->i", U[rows], V[cols])
        rmse.append(float(np.sqrt(np.mean((vals - pred) ** 2))))
        now = time.perf_counter()
        times.append(now - start)
        start = now
    return times[0], times[1:], rmse


def run_pkg(case, budget_s, max_reps):
    """{peer: result} for a package case; result has median_ms etc. plus quality/details."""
    import os

    op = case["op"]
    path = case.get("path")
    if path and not os.path.exists(path):
        return {"peer": {"name": "numpy" if op == "als" else "scikit-learn", "skipped": f"{path} is absent"}}
    if op == "als":
        rows, cols, vals, m, n = load_ratings(path)
        a = case["als"]
        firsts, per = [], []
        for _ in range(int(case.get("reps", 2))):
            first, later, rmse = als_numpy(rows, cols, vals, m, n, a["rank"], a["lambda"], 1 + a["timed_iterations"])
            firsts.append(first)
            per.extend(later)
        return {
            "peer": {
                "name": "numpy",
                "median_ms": statistics.median(per) * 1e3,
                "min_ms": min(per) * 1e3,
                "runs": len(per),
                "quality": f"train RMSE {rmse[-1]:.4f} after {len(rmse)} it; init + 1st it {statistics.median(firsts):.2f} s",
                "details": {"trainRmse": rmse, "firstS": firsts, "perIterationS": per, "shape": [m, n, len(vals)]},
            }
        }
    if sk is None:
        return {"peer": {"name": "scikit-learn", "skipped": sk_err}}
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score
    from sklearn.mixture import GaussianMixture

    X, y = load_digits_csv(path)
    s = case["settings"]
    if op == "kmeans":
        make = lambda: KMeans(
            n_clusters=s["k"], init="k-means++", n_init=s["nInit"], max_iter=s["maxIterations"],
            tol=s["tol"], algorithm="lloyd", random_state=0,
        )
    else:
        make = lambda: GaussianMixture(
            n_components=s["k"], covariance_type="full", reg_covar=s["regCovar"], tol=s["tol"],
            max_iter=s["maxIterations"], n_init=s["nInit"], init_params="kmeans", random_state=0,
        )
    t = time_it(lambda: make().fit(X), budget_s, max_reps)
    est = make().fit(X)
    ari = float(adjusted_rand_score(y, est.predict(X) if op == "gmm" else est.labels_))
    if op == "kmeans":
        extra = f"inertia {est.inertia_:.4e}"
    else:
        extra = f"lower bound {est.lower_bound_:.2f}" + ("" if est.converged_ else ", not converged")
    t.update(
        name="scikit-learn",
        quality=f"ARI {ari:.3f}, {est.n_iter_} it, {extra}",
        details={"ari": ari, "iterations": int(est.n_iter_)},
    )
    return {"peer": t}


def main():
    req = json.load(sys.stdin)
    budget_s = float(req.get("budget_s", 3.0))
    max_reps = int(req.get("max_reps", 5))
    notes = [e for e in (np_err, scipy_err, sk_err) if e]
    env = {"python": sys.version.split()[0]}
    results = {}
    if np is None:
        print(json.dumps({"env": env, "notes": notes, "results": results}))
        return
    env.update({"numpy": np.__version__, "blas": blas_info()})
    if scipy_mod is not None:
        env["scipy"] = scipy_mod.__version__
    if sk is not None:
        env["sklearn"] = sk.__version__
    for case in req["cases"]:
        if case["op"] in PKG_OPS:
            log(f"{case['id']}")
            try:
                results[case["id"]] = run_pkg(case, budget_s, max_reps)
            except Exception as e:
                results[case["id"]] = {"peer": {"name": "python", "skipped": f"{type(e).__name__}: {e}"}}
            continue
        cell = {}
        for peer, fn in peers_for(case):
            log(f"{case['id']} {peer}")
            try:
                cell[peer] = time_it(fn, budget_s, max_reps)
            except Exception as e:
                cell[peer] = {"skipped": f"{type(e).__name__}: {e}"}
        results[case["id"]] = cell
    print(json.dumps({"env": env, "notes": notes, "results": results}))


if __name__ == "__main__":
    main()
