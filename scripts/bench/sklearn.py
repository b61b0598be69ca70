"""Times scikit-learn and a numpy second-order update on the benchmark data, and prints JSON.

Reads the files that `cargo run --release --example bench_data` writes (default
target/bench-data/: manifest.json, <id>.x.f64 row-major n x d little-endian float64, <id>.y.f64),
so it sees bit for bit the data of the Rust benches and of the browser page.

For every size, with the BLAS/OpenMP thread pools as installed and again limited to 1 thread
(threadpoolctl), it times
  - LogisticRegression(C=1, tol, solver).fit for solver in {lbfgs, newton-cholesky} and
    tol in {1e-10, 1e-4 (the default)}, max_iter=10000;
  - the paper's second-order update in numpy for the label request (m rows flipped) and the
    point request (m rows removed) of the manifest: G = sum grad l(Z~) - sum grad l(Z) at the
    native theta*, the Hessian on the edited data, Cholesky, solve. Timed: G, the Hessian build,
    the factorisation and the solve; not timed: building the edited arrays (as in the Rust core).
and checks the results against the native ones in the manifest.

    python3 scripts/bench/sklearn.py [--data DIR] [--sizes id,id] [--threads default,1] [--out FILE]

Requires the packages of scripts/requirements.txt (numpy, scipy, scikit-learn; threadpoolctl
comes with scikit-learn).
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
import warnings

# This file is named sklearn.py: keep its own folder off the import path so that `import sklearn`
# finds scikit-learn, not this script.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.linalg  # noqa: E402
import sklearn  # noqa: E402
import threadpoolctl  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def bench(f, min_time=0.3, max_runs=200):
    """Median seconds of f() over repeated runs: at least 3 runs and min_time in total for fast
    calls, fewer for slow ones (2 runs from 1 s, 1 run from 5 s). Returns (median, runs, last)."""
    times = []
    result = None
    while True:
        start = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - start)
        first = times[0]
        min_runs = 3 if first < 1.0 else (2 if first < 5.0 else 1)
        if len(times) >= min_runs and (sum(times) >= min_time or len(times) >= max_runs):
            break
    return statistics.median(times), len(times), result


def sigmoid(t):
    # Stable for large |t|, like the core's.
    out = np.empty_like(t)
    pos = t >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-t[pos]))
    e = np.exp(t[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def data_gradient(x, y, theta):
    """sum_i (sigma(theta . x^_i) - y_i) x^_i with x^ = [x; 1]."""
    r = sigmoid(x @ theta[:-1] + theta[-1]) - y
    return np.concatenate([x.T @ r, [r.sum()]])


def full_gradient(x, y, theta, lam):
    g = data_gradient(x, y, theta)
    g[:-1] += lam * theta[:-1]
    return g


def hessian(x, theta, lam):
    """sum_i s_i(1 - s_i) x^_i x^_i^T + lam diag(1, ..., 1, 0), built by blocks (no [x, 1] copy)."""
    s = sigmoid(x @ theta[:-1] + theta[-1])
    c = s * (1.0 - s)
    d = x.shape[1]
    h = np.empty((d + 1, d + 1))
    scaled = x * c[:, None]
    h[:d, :d] = x.T @ scaled
    cross = scaled.sum(axis=0)
    h[:d, d] = cross
    h[d, :d] = cross
    h[d, d] = c.sum()
    h[np.arange(d), np.arange(d)] += lam
    return h


def second_order(x_before, y_before, x_after, y_after, x_edited, theta, lam):
    """theta - H~^{-1} G (Warnecke et al., Eq. 6) with H~ on the edited data."""
    g = data_gradient(x_after, y_after, theta) - data_gradient(x_before, y_before, theta)
    factor = scipy.linalg.cho_factor(hessian(x_edited, theta, lam), lower=True, check_finite=False)
    return theta - scipy.linalg.cho_solve(factor, g, check_finite=False)


def label_request(x, y, rows, theta, lam):
    """Flip the labels of `rows`: Z = Z~ except for y; the Hessian does not involve y."""
    y_edited = y.copy()
    y_edited[rows] = 1.0 - y[rows]

    def run():
        xz = x[rows]
        return second_order(xz, y[rows], xz, y_edited[rows], x, theta, lam)

    return run, y_edited


def point_request(x, y, rows, theta, lam):
    keep = np.ones(len(y), dtype=bool)
    keep[rows] = False
    x_edited, y_edited = x[keep], y[keep]
    empty_x, empty_y = np.empty((0, x.shape[1])), np.empty(0)

    def run():
        return second_order(x[rows], y[rows], empty_x, empty_y, x_edited, theta, lam)

    return run, x_edited, y_edited


def fit_sklearn(x, labels, solver, tol):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf = LogisticRegression(C=1.0, tol=tol, solver=solver, max_iter=10000).fit(x, labels)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return clf, converged


def run_size(entry, data_dir, lam, thread_settings):
    n, d = entry["n"], entry["d"]
    x = np.fromfile(os.path.join(data_dir, entry["x"]), dtype="<f8").reshape(n, d)
    y = np.fromfile(os.path.join(data_dir, entry["y"]), dtype="<f8")
    if x.size != n * d or y.size != n:
        raise SystemExit(f"{entry['id']}: files do not match n = {n}, d = {d}; rerun bench_data")
    if float(y.sum()) != float(entry["positives"]):
        raise SystemExit(f"{entry['id']}: labels differ from the manifest; rerun bench_data")
    labels = y.astype(np.int64)
    rows = np.asarray(entry["rows"], dtype=np.int64)
    theta_native = np.asarray(entry["theta"])
    out = {"id": entry["id"], "n": n, "d": d, "m": len(rows), "threads": {}}

    label_run, y_label = label_request(x, y, rows, theta_native, lam)
    point_run, x_point, y_point = point_request(x, y, rows, theta_native, lam)
    for threads in thread_settings:
        limit = None if threads == "default" else int(threads)
        with threadpool_limits(limits=limit):
            result = {"fit": [], "second_order": {}}
            for solver in ("newton-cholesky", "lbfgs"):
                for tol in (1e-10, 1e-4):
                    seconds, runs, (clf, converged) = bench(lambda: fit_sklearn(x, labels, solver, tol))
                    theta = np.concatenate([clf.coef_.ravel(), clf.intercept_])
                    result["fit"].append({
                        "solver": solver,
                        "tol": tol,
                        "seconds": seconds,
                        "runs": runs,
                        "iterations": int(np.max(clf.n_iter_)),
                        "converged": converged,
                        "maxAbsDiffToNative": float(np.max(np.abs(theta - theta_native))),
                        "gradNorm": float(np.linalg.norm(full_gradient(x, y, theta, lam))),
                    })
                    print(f"  {entry['id']} threads={threads} {solver} tol={tol:g}: "
                          f"{seconds * 1e3:.2f} ms ({runs} runs, {result['fit'][-1]['iterations']} it)",
                          file=sys.stderr)
            for kind, run, native_key in (("label", label_run, "secondOrderLabel"),
                                          ("point", point_run, "secondOrderPoint")):
                seconds, runs, theta = bench(run)
                native = np.asarray(entry[native_key])
                diff = float(np.max(np.abs(theta - native)) / max(1.0, float(np.max(np.abs(native)))))
                result["second_order"][kind] = {"seconds": seconds, "runs": runs, "relDiffToNative": diff}
                print(f"  {entry['id']} threads={threads} numpy second-order {kind}: "
                      f"{seconds * 1e3:.3f} ms ({runs} runs, rel. diff to native {diff:.1e})",
                      file=sys.stderr)
            out["threads"][threads] = result
    # Sanity: the native θ* is the optimum of this data (checks that the files were read right).
    out["nativeGradNorm"] = float(np.linalg.norm(full_gradient(x, y, theta_native, lam)))
    del x_point, y_point, y_label
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=os.path.join(REPO, "target", "bench-data"))
    parser.add_argument("--sizes", default="", help="comma-separated size ids (default: all in the manifest)")
    parser.add_argument("--threads", default="default,1", help="thread settings: 'default' and/or counts")
    parser.add_argument("--out", default="", help="also write the JSON here")
    args = parser.parse_args()

    with open(os.path.join(args.data, "manifest.json")) as f:
        manifest = json.load(f)
    wanted = [s for s in args.sizes.split(",") if s]
    entries = [e for e in manifest["sizes"] if not wanted or e["id"] in wanted]
    missing = set(wanted) - {e["id"] for e in entries}
    if missing:
        raise SystemExit(f"sizes not in {args.data}/manifest.json: {', '.join(sorted(missing))}")
    thread_settings = [t for t in args.threads.split(",") if t]

    report = {
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "scikit-learn": sklearn.__version__,
            "threadpoolctl": threadpoolctl.__version__,
        },
        "threadpools": [
            {k: p.get(k) for k in ("user_api", "internal_api", "num_threads", "prefix", "version", "architecture")}
            for p in threadpool_info()
        ],
        "env": {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS",
                                           "OPENBLAS_NUM_THREADS") if k in os.environ},
        "l2": manifest["l2"],
        "sizes": [],
    }
    for entry in entries:
        print(f"{entry['id']}: n = {entry['n']}, d = {entry['d']}", file=sys.stderr)
        report["sizes"].append(run_size(entry, args.data, manifest["l2"], thread_settings))
    text = json.dumps(report, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    print(text)


if __name__ == "__main__":
    main()
