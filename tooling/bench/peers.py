#!/usr/bin/python3
"""Times the Python reference implementations for tooling/bench/run.mjs.

Protocol: one JSON object on stdin, one JSON object on stdout; progress on stderr.

    in:  {"cases": [{"id", "op", "m", "n", "k"?, "dtype", "power_iters"?}, ...],
          "budget_s": float, "max_reps": int, "skip_s": float}
    out: {"env": {...versions, BLAS...}, "notes": [...],
          "results": {case_id: {peer: {"median_ms", "min_ms", "runs"} | {"skipped": reason}}}}

ops: gemm (numpy), qr (numpy, scipy), svd (numpy, scipy), eigh (numpy, scipy),
rsvd (scikit-learn). A peer that is not installed is reported once in "notes" and its
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
