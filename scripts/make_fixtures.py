#!/usr/bin/env python3
"""Independent numpy/scikit-learn reference for the `unlearn` crate's tests.

Writes tests/fixtures/toy.json and tests/fixtures/breast_cancer.json.  This
script imports nothing from the project; it re-implements the maths from

  A. Warnecke, L. Pirch, C. Wressnegger, K. Rieck,
  "Machine Unlearning of Features and Labels", NDSS 2023 (arXiv 2108.11577),

for L2-regularised binary logistic regression (labels y in {0, 1}):

  L(θ; D)  = Σ_i log(1 + exp(-s_i θᵀx̂_i)) + (λ/2)‖w‖²,   s_i = 2y_i - 1,
             θ = [w, b] (intercept last, never penalised), x̂ = [x, 1];
  ∇ℓ(x, y; θ) = (σ(θᵀx̂) - y) x̂;
  H(θ; D)  = Σ_i σ_i(1 - σ_i) x̂_i x̂_iᵀ + λ diag(1, …, 1, 0).

An edit replaces the affected points Z by Z̃ (feature replacement / relabel /
removal), D̃ = (D \\ Z) ∪ Z̃, and

  G = Σ_{Z̃} ∇ℓ(z̃; θ*) - Σ_Z ∇ℓ(z; θ*)            (gradient difference)
  lazy:          θ*
  first order:   θ* - τ G                            (paper, first-order update)
  second order:  θ* - H(θ*; D̃)⁻¹ G                  (paper, second-order update)
  retrain:       argmin L(·; D̃) by Newton's method
  residual:      ‖∇L(θ; D̃)‖₂                        (paper, gradient residual)

Toy data: shared/research/paper-digest.md §6 (data A); the digest's printed
values are asserted below.  Breast Cancer: www/data/breast_cancer.csv (from
scripts/derive_breast_cancer.py), SplitMix64 split, train-set standardisation.

Usage:  python3 scripts/make_fixtures.py
"""

import os

# Single-threaded BLAS so that repeated runs produce identical bytes.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import csv  # noqa: E402
import sys  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.linalg  # noqa: E402
import sklearn  # noqa: E402
from scipy.special import expit  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import FIXTURES, REPO, SplitMix64, damped_newton  # noqa: E402

BC_CSV = os.path.join(REPO, "www", "data", "breast_cancer.csv")
METHODS = ("lazy", "first_order", "second_order", "retrain")
GRAD_TARGET = 1e-12   # Newton stopping rule on ‖∇L‖₂
GRAD_ASSERT = 1e-10   # what float64 must at least reach

# ----------------------------------------------------------------------------
# Model: objective, gradient, Hessian (sum form, unpenalised intercept)
# ----------------------------------------------------------------------------


def augment(X, fit_intercept):
    """x̂ = [x, 1] when fitting an intercept (intercept is the LAST parameter)."""
    X = np.asarray(X, dtype=np.float64)
    return np.hstack([X, np.ones((X.shape[0], 1))]) if fit_intercept else X


def penalty_mask(dim, fit_intercept):
    mask = np.ones(dim)
    if fit_intercept:
        mask[-1] = 0.0
    return mask


def objective(theta, Xh, y, lam, mask):
    s = 2.0 * y - 1.0
    return float(np.sum(np.logaddexp(0.0, -s * (Xh @ theta))) + 0.5 * lam * np.sum(mask * theta**2))


def gradient(theta, Xh, y, lam, mask):
    return Xh.T @ (expit(Xh @ theta) - y) + lam * mask * theta


def hessian(theta, Xh, lam, mask):
    p = expit(Xh @ theta)
    return (Xh * (p * (1.0 - p))[:, None]).T @ Xh + np.diag(lam * mask)


def per_sample_grads(theta, Xh, y):
    """Rows are ∇ℓ(x_i, y_i; θ) = (σ(θᵀx̂_i) - y_i) x̂_i."""
    return (expit(Xh @ theta) - y)[:, None] * Xh


def newton(Xh, y, lam, mask, theta0=None, max_iter=200):
    """Damped Newton (Armijo step halving, Cholesky solves) to ‖∇L‖ < 1e-12.

    Stops early only when float64 can no longer reduce ‖∇L‖ (asserted < 1e-10).
    """
    theta = np.zeros(Xh.shape[1]) if theta0 is None else np.array(theta0, dtype=np.float64)
    theta = damped_newton(
        theta,
        lambda t: objective(t, Xh, y, lam, mask),
        lambda t: gradient(t, Xh, y, lam, mask),
        lambda t, g: scipy.linalg.cho_solve(scipy.linalg.cho_factor(hessian(t, Xh, lam, mask)), -g),
        max_iter,
        GRAD_TARGET,
    )
    gnorm = float(np.linalg.norm(gradient(theta, Xh, y, lam, mask)))
    assert gnorm < GRAD_ASSERT, f"Newton did not converge: ‖∇L‖ = {gnorm:.3e}"
    return theta, gnorm


def fit_sklearn(X, y, lam, fit_intercept):
    """sklearn LogisticRegression with the same objective; θ = [coef_, intercept_]."""
    for solver in ("newton-cholesky", "lbfgs"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            clf = LogisticRegression(C=1.0 / lam, fit_intercept=fit_intercept, tol=1e-12,
                                     max_iter=10000, solver=solver).fit(X, y.astype(int))
        theta = np.concatenate([clf.coef_.ravel(), clf.intercept_]) if fit_intercept else clf.coef_.ravel()
        failed = any(issubclass(w.category, ConvergenceWarning) for w in caught)
        if not failed:
            return theta, solver
    raise RuntimeError("scikit-learn did not converge with newton-cholesky or lbfgs")


# ----------------------------------------------------------------------------
# Edits and unlearning updates
# ----------------------------------------------------------------------------


def make_edit(features=(), feature_value=0.0, relabel=(), remove=()):
    return {"features": [int(j) for j in features], "feature_value": float(feature_value),
            "relabel": [[int(r), int(lbl)] for r, lbl in relabel], "remove": [int(r) for r in remove]}


def apply_features(X, edit):
    Xt = np.array(X, dtype=np.float64, copy=True)
    for j in edit["features"]:
        Xt[:, j] = edit["feature_value"]
    return Xt


def apply_edit(X, y, edit):
    """Return (X̃ all rows, ỹ all rows, keep mask, sorted affected rows Z)."""
    Xt = apply_features(X, edit)
    yt = np.array(y, dtype=np.float64, copy=True)
    for row, label in edit["relabel"]:
        yt[row] = label
    keep = np.ones(len(y), dtype=bool)
    keep[edit["remove"]] = False
    changed = np.any(Xt != X, axis=1) | (yt != y)
    affected = np.flatnonzero(changed | ~keep)
    return Xt, yt, keep, [int(i) for i in affected]


def gradient_difference(theta, X, y, Xt, yt, keep, affected, fit_intercept):
    """G = Σ_{i∈Z, kept} ∇ℓ(x̃_i, ỹ_i; θ*) - Σ_{i∈Z} ∇ℓ(x_i, y_i; θ*)."""
    Z = np.array(affected, dtype=int)
    G = np.zeros(len(theta))
    if Z.size == 0:
        return G
    Zk = Z[keep[Z]]
    G -= per_sample_grads(theta, augment(X[Z], fit_intercept), y[Z]).sum(axis=0)
    if Zk.size:
        G += per_sample_grads(theta, augment(Xt[Zk], fit_intercept), yt[Zk]).sum(axis=0)
    return G


def unlearn_all(model, edit):
    """All four methods for one edit: θ's, residuals, G, affected rows, D̃."""
    X, y, lam, fi, tau, theta_star = (model[k] for k in ("X", "y", "lam", "fit_intercept", "tau", "theta"))
    Xt, yt, keep, affected = apply_edit(X, y, edit)
    Xh_new, y_new = augment(Xt[keep], fi), yt[keep]
    mask = penalty_mask(len(theta_star), fi)
    G = gradient_difference(theta_star, X, y, Xt, yt, keep, affected, fi)
    H_new = hessian(theta_star, Xh_new, lam, mask)
    retrain, _ = newton(Xh_new, y_new, lam, mask)
    warm, _ = newton(Xh_new, y_new, lam, mask, theta0=theta_star)
    assert np.max(np.abs(retrain - warm)) < 1e-10, "cold and warm retrain disagree"
    thetas = {
        "lazy": theta_star.copy(),
        "first_order": theta_star - tau * G,
        "second_order": theta_star - scipy.linalg.cho_solve(scipy.linalg.cho_factor(H_new), G),
        "retrain": retrain,
    }
    residual = {m: float(np.linalg.norm(gradient(t, Xh_new, y_new, lam, mask))) for m, t in thetas.items()}
    return {"G": G, "affected": affected, "n_edited": int(keep.sum()), "theta": thetas, "residual": residual}


# ----------------------------------------------------------------------------
# Test metrics
# ----------------------------------------------------------------------------


def margins(theta, X, fit_intercept):
    return augment(X, fit_intercept) @ theta


def predict(theta, X, fit_intercept):
    return (margins(theta, X, fit_intercept) >= 0.0).astype(int)


def accuracy_and_log_loss(theta, X, y, fit_intercept):
    m, s = margins(theta, X, fit_intercept), 2.0 * y - 1.0
    acc = float(np.mean(predict(theta, X, fit_intercept) == y))
    return acc, float(np.mean(np.logaddexp(0.0, -s * m)))


def test_metrics(thetas, X_test, y_test, edit, fit_intercept):
    """Feature replacement is applied to the test features too (not relabel/remove)."""
    Xt = apply_features(X_test, edit)
    ref = predict(thetas["retrain"], Xt, fit_intercept)
    out = {}
    for m in METHODS:
        acc, ll = accuracy_and_log_loss(thetas[m], Xt, y_test, fit_intercept)
        agree = float(np.mean(predict(thetas[m], Xt, fit_intercept) == ref))
        out[m] = {"accuracy": acc, "log_loss": ll, "agreement": agree}
    return out


# ----------------------------------------------------------------------------
# Blocks
# ----------------------------------------------------------------------------


def fit_block(X, y, X_test, y_test, lam, fit_intercept, tau):
    Xh, mask = augment(X, fit_intercept), penalty_mask(X.shape[1] + int(fit_intercept), fit_intercept)
    theta, gnorm = newton(Xh, y, lam, mask)
    theta_sk, solver = fit_sklearn(X, y, lam, fit_intercept)
    diff = float(np.max(np.abs(theta_sk - theta)))
    assert diff < 1e-6, f"sklearn ({solver}) disagrees with Newton by {diff:.3e}"
    acc, ll = accuracy_and_log_loss(theta, X_test, y_test, fit_intercept)
    return {"X": X, "y": y, "X_test": X_test, "y_test": y_test, "lam": lam, "fit_intercept": fit_intercept,
            "tau": tau, "theta": theta, "grad_norm": gnorm, "theta_sklearn": theta_sk, "solver": solver,
            "sklearn_diff": diff, "train_metrics": {"test_accuracy": acc, "test_log_loss": ll}}


def run_case(model, name, edit):
    r = unlearn_all(model, edit)
    if not r["affected"]:  # digest §6.2: a no-op edit must return θ* bit-exactly
        assert all(np.array_equal(r["theta"][m], model["theta"]) for m in METHODS[:3]), name
    test = test_metrics(r["theta"], model["X_test"], model["y_test"], edit, model["fit_intercept"])
    dist = {m: float(np.linalg.norm(r["theta"][m] - r["theta"]["retrain"])) for m in METHODS[:3]}
    return {"name": name, "edit": edit, "affected_rows": r["affected"], "n_edited": r["n_edited"],
            "gradient_difference": r["G"], "theta": r["theta"], "residual": r["residual"], "test": test,
            "distance_to_retrain": dist}


def block_json(name, model, cases, extra=None):
    out = {"name": name, "l2": model["lam"], "fit_intercept": model["fit_intercept"], "tau": model["tau"],
           "x_train": model["X"], "y_train": model["y"].astype(int), "x_test": model["X_test"],
           "y_test": model["y_test"].astype(int)}
    out.update(extra or {})
    out.update({"theta_star": model["theta"], "theta_star_grad_norm": model["grad_norm"],
                "theta_sklearn": model["theta_sklearn"], "sklearn_solver": model["solver"],
                "train_metrics": model["train_metrics"], "cases": cases})
    return out


# ---- toy data (digest §6, data A) ------------------------------------------

TOY_X = np.array([[1, .5, 0], [.2, -1, 1], [-.5, .3, .8], [.9, .9, -.4],
                  [-1, -.2, .5], [.3, .7, .6], [0, -.6, -.9], [.6, -.3, .2]], dtype=np.float64)
TOY_Y = np.array([1, 0, 1, 0, 0, 1, 1, 0], dtype=np.float64)  # digest ±1 labels → 0/1


def toy_cases(y):
    return [("noop", make_edit()),
            ("relabel_0_3", make_edit(relabel=[(0, 1 - int(y[0])), (3, 1 - int(y[3]))])),
            ("zero_col_2", make_edit(features=[2], feature_value=0.0)),
            ("remove_4", make_edit(remove=[4]))]


def assert_printed(actual, printed, what):
    """|actual - printed| ≤ half a unit in the printed value's last digit."""
    for a, p in zip(np.atleast_1d(actual), np.atleast_1d(printed)):
        mant = p.split("e")[0].lstrip("-")
        decimals = len(mant.split(".")[1]) if "." in mant else 0
        exp = int(p.split("e")[1]) if "e" in p else 0
        tol = 0.5 * 10.0 ** (exp - decimals) * (1 + 1e-9)
        assert abs(a - float(p)) <= tol, f"{what}: {a!r} does not round to {p}"


def check_toy_digest(model, cases):
    """Digest §6 items 1, 3, 4, 5 (no-intercept block, H on D̃)."""
    assert_printed(model["theta"], ["-0.0617328", "0.4254502", "-0.2114305"], "θ*")
    c = {case["name"]: case for case in cases}
    rl, zc, rm = c["relabel_0_3"], c["zero_col_2"], c["remove_4"]
    assert_printed(rl["gradient_difference"], ["0.1", "-0.4", "0.4"], "relabel G")
    assert_printed(rl["theta"]["second_order"], ["-0.176177", "0.666638", "-0.440393"], "relabel 2nd")
    assert_printed(rl["residual"]["second_order"], ["1.531e-2"], "relabel 2nd resid")
    assert_printed(rl["theta"]["retrain"], ["-0.178597", "0.673595", "-0.446651"], "relabel retrain")
    assert_printed(rl["residual"]["first_order"], ["0.5257"], "relabel 1st resid")
    assert_printed(rl["residual"]["lazy"], ["0.5745"], "relabel lazy resid")
    assert zc["affected_rows"] == [1, 2, 3, 4, 5, 6, 7]
    assert_printed(zc["gradient_difference"], ["-0.0403668", "-0.0129768", "-0.2114305"], "zero-col G")
    assert_printed(zc["theta"]["second_order"], ["-0.0408551", "0.4293417", "0"], "zero-col 2nd")
    assert_printed(zc["residual"]["second_order"], ["1.958e-5"], "zero-col 2nd resid")
    assert_printed(zc["residual"]["first_order"], ["0.2044"], "zero-col 1st resid")
    assert_printed(zc["residual"]["lazy"], ["0.2156"], "zero-col lazy resid")
    assert_printed(zc["theta"]["retrain"], ["-0.0408486", "0.4293482", "0"], "zero-col retrain")
    assert_printed(rm["gradient_difference"], ["0.4677766", "0.0935553", "-0.2338883"], "remove G")
    assert_printed(rm["theta"]["second_order"], ["-0.3424875", "0.4129163", "-0.0869401"], "remove 2nd")
    assert_printed(rm["residual"]["second_order"], ["2.823e-3"], "remove 2nd resid")
    assert_printed(rm["theta"]["retrain"], ["-0.3417112", "0.4140597", "-0.0873254"], "remove retrain")


def toy_fixture():
    blocks = []
    for fi in (False, True):
        model = fit_block(TOY_X, TOY_Y, TOY_X, TOY_Y, lam=1.0, fit_intercept=fi, tau=0.05)
        cases = [run_case(model, n, e) for n, e in toy_cases(TOY_Y)]
        if not fi:
            check_toy_digest(model, cases)
        blocks.append(block_json("toy_intercept" if fi else "toy_no_intercept", model, cases))
    return blocks


# ---- Breast Cancer -----------------------------------------------------------




def split_indices(n, seed, test_fraction):
    rng, perm = SplitMix64(seed), list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.next() % (i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    n_test = round(n * test_fraction)
    return sorted(perm[n_test:]), sorted(perm[:n_test])


def load_breast_cancer_csv(path):
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert header[-1] == "malignant" and len(header) == 31 and len(body) == 569
    data = np.array([[float(v) for v in r] for r in body], dtype=np.float64)
    return data[:, :-1], data[:, -1]


def standardise(X_train, X_test):
    mean = X_train.mean(axis=0)
    scale = X_train.std(axis=0, ddof=0)
    scale[scale == 0.0] = 1.0
    return (X_train - mean) / scale, (X_test - mean) / scale, mean, scale


def bc_cases(y):
    flip = lambda r: (r, 1 - int(y[r]))  # noqa: E731
    return [("noop", make_edit()),
            ("features", make_edit(features=[0, 1], feature_value=0.0)),
            ("features_value", make_edit(features=[3], feature_value=1.5)),
            ("relabel", make_edit(relabel=[flip(5), flip(50), flip(200)])),
            ("remove", make_edit(remove=[10, 20, 30, 40, 50])),
            ("combined", make_edit(features=[2], feature_value=0.0, relabel=[flip(7)], remove=[100, 101])),
            ("zero_all_but_intercept", make_edit(features=range(30), feature_value=0.0))]


def check_tau(cases):
    """τ is sensible if first order beats lazy on the residual in most non-noop cases."""
    real = [c for c in cases if c["name"] != "noop"]
    wins = sum(c["residual"]["first_order"] < c["residual"]["lazy"] for c in real)
    return wins, len(real)


def breast_cancer_fixture():
    X, y = load_breast_cancer_csv(BC_CSV)
    seed, frac = 42, 0.2
    train_idx, test_idx = split_indices(len(y), seed, frac)
    rng = SplitMix64(seed)
    first5 = [str(rng.next()) for _ in range(5)]
    Xtr, Xte, mean, scale = standardise(X[train_idx], X[test_idx])
    ytr, yte = y[train_idx], y[test_idx]
    for tau in (1e-3, 1e-4, 1e-5):
        model = fit_block(Xtr, ytr, Xte, yte, lam=1.0, fit_intercept=True, tau=tau)
        cases = [run_case(model, n, e) for n, e in bc_cases(ytr)]
        wins, total = check_tau(cases)
        if 2 * wins > total:
            break
        print(f"breast_cancer: τ = {tau:g} only beats lazy in {wins}/{total} cases; trying smaller τ")
    zero = next(c for c in cases if c["name"] == "zero_all_but_intercept")
    max_w = float(np.max(np.abs(zero["theta"]["second_order"][:-1])))
    assert max_w < 1e-12, f"zero_all_but_intercept: second-order weights not zero ({max_w:.3e})"
    zero["max_abs_weight_second_order"] = max_w
    extra = {"split": {"seed": seed, "test_fraction": frac, "train_idx": train_idx, "test_idx": test_idx,
                       "splitmix64_seed42_first5": first5},
             "standardizer": {"mean": mean, "scale": scale}}
    return [block_json("breast_cancer", model, cases, extra)], (wins, total)


# ----------------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------------


def to_jsonable(obj):
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        assert np.isfinite(obj)
        return float(obj)
    return obj


def write_fixture(path, blocks, description):
    doc = {"source": "scripts/make_fixtures.py — independent numpy/scikit-learn implementation of "
                     "Warnecke et al., 'Machine Unlearning of Features and Labels', NDSS 2023 "
                     f"(sum-form L2 logistic regression, unpenalised intercept). {description}",
           "versions": {"python": platform.python_version(), "numpy": np.__version__,
                        "scipy": scipy.__version__, "sklearn": sklearn.__version__},
           "blocks": blocks}
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(to_jsonable(doc), fh, indent=2, ensure_ascii=False, allow_nan=False)
        fh.write("\n")


def summarise(blocks):
    for b in blocks:
        print(f"[{b['name']}] ‖∇L(θ*)‖ = {b['theta_star_grad_norm']:.2e}, solver {b['sklearn_solver']}, "
              f"max|θ_sk − θ*| = {np.max(np.abs(np.subtract(b['theta_sklearn'], b['theta_star']))):.1e}, "
              f"test acc {b['train_metrics']['test_accuracy']:.4f}, τ = {b['tau']:g}")
        print(f"  {'case':<24}{'|Z|':>4}  {'resid lazy / 1st / 2nd / retrain':<44}{'‖θ−θ_retrain‖ lazy / 1st / 2nd'}")
        for c in b["cases"]:
            r, d = c["residual"], c["distance_to_retrain"]
            print(f"  {c['name']:<24}{len(c['affected_rows']):>4}  "
                  + " ".join(f"{r[m]:.2e}" for m in METHODS) + "    "
                  + " ".join(f"{d[m]:.2e}" for m in METHODS[:3]))
            if c["name"] == "noop":
                continue
            assert d["second_order"] < d["first_order"] and d["second_order"] < d["lazy"], c["name"]
            if r["second_order"] >= min(r["first_order"], r["lazy"]):
                print(f"    note: {c['name']}: the full second-order step overshoots — its residual is "
                      "larger than lazy/first order although θ is closer to retrain")


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    toy = toy_fixture()
    write_fixture(os.path.join(FIXTURES, "toy.json"), toy,
                  "Toy data A from the paper digest §6 (n = 8, d = 3); the test set is the training set.")
    bc, (wins, total) = breast_cancer_fixture()
    write_fixture(os.path.join(FIXTURES, "breast_cancer.json"), bc,
                  "Breast Cancer Wisconsin (Diagnostic), www/data/breast_cancer.csv, SplitMix64 split "
                  "(seed 42, 20% test), standardised with training mean / population std.")
    summarise(toy + bc)
    print(f"breast_cancer: first order beats lazy on the residual in {wins}/{total} non-noop cases")
    print("digest §6 values reproduced; wrote tests/fixtures/toy.json and tests/fixtures/breast_cancer.json")


if __name__ == "__main__":
    main()
