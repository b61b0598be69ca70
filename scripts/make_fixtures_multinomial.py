#!/usr/bin/env python3
"""Independent numpy/scikit-learn reference for MULTINOMIAL (softmax) logistic regression
unlearning → tests/fixtures/multinomial.json.

Warnecke et al., "Machine Unlearning of Features and Labels", NDSS 2023 (arXiv 2108.11577),
applied to the K-class softmax model.  Nothing is imported from the crate; the data helpers
(SplitMix64 split, standardisation, edits, JSON writer) come from scripts/reference.py.

Model, K ≥ 3 classes, labels y ∈ {0, …, K−1}, W ∈ ℝ^{K×d} (row k = class k, like sklearn's
coef_), intercepts b ∈ ℝᴷ:

  P(y = k | x)   = softmax(Wx + b)_k                 (stable: the max logit is subtracted)
  L(W, b; D)     = Σᵢ −log P(yᵢ | xᵢ) + (λ/2)‖W‖²_F    (sum form, intercepts not penalised)
  θ              = [W row by row (class 0's d weights, class 1's, …), b₀, …, b_{K−1}]
  ∇ℓ(x, y; θ)    = (pₖ − [y = k])·x for W's row k, (pₖ − [y = k]) for bₖ
  ∇²ℓ(x, y; θ)   = (diag(p) − ppᵀ) ⊗ x̂x̂ᵀ (x̂ = [x, 1]) permuted into θ's order;
  H              = Σ ∇²ℓ + λ on the W entries only.

L is invariant under b → b + c·1, so H is singular along u = (0, …, 0, 1, …, 1)/√K.
Convention: intercepts are reported CENTRED (Σₖ bₖ = 0); Σₖ Wₖ = 0 holds at any stationary
point (Σₖ ∂L/∂Wₖ = λΣₖWₖ), and G and every update keep it.

  θ*             Newton in reduced coordinates (b_{K−1} := 0 and dropped), Cholesky solves,
                 Armijo step halving, to ‖∇L‖₂ < 1e-12 (asserted < 1e-10), then b centred
  G              Σ_{Z̃}∇ℓ(z̃; θ*) − Σ_Z∇ℓ(z; θ*)     (full coordinates; Σ of its b part = 0)
  lazy           θ*
  first_order    θ* − τG
  second_order   θ* − H̃⁺G,  H̃ = ∇²L(θ*; D̃): solved in reduced coordinates (last b row and
                 column of H̃ and last entry of G dropped), step padded with 0, its b centred;
                 checked against an eigendecomposition pseudo-inverse
  hessian_on_d   θ* − H⁺G,  H = ∇²L(θ*; D)
  retrain        Newton on D̃ from 0 (reduced coordinates), centred
  residual       ‖∇L(θ; D̃)‖₂ in full coordinates

Blocks: `toy` (n = 12, d = 3, K = 3, inline), `digits` (www/data/digits.csv, SplitMix64 split
seed 42, 20 % test, standardised on the training rows), plus `binary_relation` (K = 2 against
the binary model of scripts/make_fixtures.py on Breast Cancer).

Usage:  python3 scripts/make_fixtures_multinomial.py
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import reference as ref  # noqa: E402  (pins BLAS threads before numpy loads)
from common import damped_newton  # noqa: E402

import csv  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import scipy.linalg  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

mf = ref.mf
DIGITS_CSV = os.path.join(ref.REPO, "www", "data", "digits.csv")
METHODS = ("lazy", "first_order", "second_order", "hessian_on_d", "retrain")
GRAD_TARGET, GRAD_ASSERT = 1e-12, 1e-10
SKLEARN_TOL = 1e-6

# ----------------------------------------------------------------------------
# Model
# ----------------------------------------------------------------------------


class Model:
    """Dimensions and the full ↔ per-class index maps."""

    def __init__(self, d, K, lam):
        self.d, self.K, self.lam = int(d), int(K), float(lam)
        self.dim = self.d * self.K + self.K
        self.wmask = np.r_[np.ones(self.d * self.K), np.zeros(self.K)]
        # Full coordinate of (class k, column j of x̂ = [x, 1]): W row-major, then b.
        self.full_index = np.array([[k * self.d + j for j in range(self.d)] + [self.d * self.K + k]
                                    for k in range(self.K)])  # K × (d+1)
        self.u = np.r_[np.zeros(self.d * self.K), np.ones(self.K)] / np.sqrt(self.K)

    def unpack(self, theta):
        return theta[:self.d * self.K].reshape(self.K, self.d), theta[self.d * self.K:]


def logits(theta, X, m):
    W, b = m.unpack(theta)
    return X @ W.T + b


def log_softmax(Z):
    Zs = Z - Z.max(axis=1, keepdims=True)
    return Zs - np.log(np.exp(Zs).sum(axis=1, keepdims=True))


def softmax(Z):
    Zs = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(Zs)
    return E / E.sum(axis=1, keepdims=True)


def onehot(y, K):
    Y = np.zeros((len(y), K))
    Y[np.arange(len(y)), np.asarray(y, dtype=int)] = 1.0
    return Y


def objective(theta, X, y, m):
    lp = log_softmax(logits(theta, X, m))
    W, _ = m.unpack(theta)
    return float(-lp[np.arange(len(y)), np.asarray(y, dtype=int)].sum() + 0.5 * m.lam * np.sum(W * W))


def per_sample_grads(theta, X, y, m):
    """Rows are ∇ℓ(xᵢ, yᵢ; θ) in full coordinates."""
    R = softmax(logits(theta, X, m)) - onehot(y, m.K)  # n × K
    return np.hstack([(R[:, :, None] * X[:, None, :]).reshape(len(y), m.K * m.d), R])


def gradient(theta, X, y, m):
    R = softmax(logits(theta, X, m)) - onehot(y, m.K)
    W, _ = m.unpack(theta)
    return np.r_[(R.T @ X + m.lam * W).ravel(), R.sum(axis=0)]


def hessian(theta, X, m):
    """Σᵢ (diag(pᵢ) − pᵢpᵢᵀ) ⊗ x̂ᵢx̂ᵢᵀ in θ's order, + λ on the W diagonal."""
    P = softmax(logits(theta, X, m))
    Xh = np.hstack([X, np.ones((X.shape[0], 1))])
    H = np.zeros((m.dim, m.dim))
    for k in range(m.K):
        for l in range(k, m.K):
            a = (P[:, k] if k == l else 0.0) - P[:, k] * P[:, l]
            block = (Xh * a[:, None]).T @ Xh
            H[np.ix_(m.full_index[k], m.full_index[l])] = block
            if l != k:
                H[np.ix_(m.full_index[l], m.full_index[k])] = block.T
    return H + np.diag(m.lam * m.wmask)


def centre(theta, m):
    out = np.array(theta, dtype=np.float64, copy=True)
    out[m.d * m.K:] -= out[m.d * m.K:].mean()
    return out


def reduced_solve(H, g, m):
    """Solve H δ = g with δ's last intercept fixed to 0 (Cholesky on the reduced system), then
    centre δ's intercepts: this is H⁺g whenever g ⊥ u."""
    delta = np.r_[scipy.linalg.cho_solve(scipy.linalg.cho_factor(H[:-1, :-1]), g[:-1]), 0.0]
    return centre(delta, m)


def pinv_solve(H, g, m):
    """H⁺g by a symmetric eigendecomposition with the single null direction dropped."""
    w, V = np.linalg.eigh(H)
    i0 = int(np.argmin(np.abs(w)))
    keep = np.arange(len(w)) != i0
    info = {"null_eigenvalue": float(w[i0]), "smallest_other_eigenvalue": float(np.min(np.abs(w[keep]))),
            "largest_eigenvalue": float(np.max(w)), "null_vector_alignment": float(abs(V[:, i0] @ m.u))}
    return V[:, keep] @ ((V[:, keep].T @ g) / w[keep]), info


def newton(X, y, m, theta0=None, max_iter=200):
    """Damped Newton in reduced coordinates (b_{K−1} = 0) to ‖∇L‖₂ < 1e-12; returns centred θ."""
    theta = np.zeros(m.dim) if theta0 is None else np.array(theta0, dtype=np.float64)
    theta[m.d * m.K:] -= theta[-1]  # b_{K−1} := 0 (a shift of b, L unchanged)
    def direction(t, g):
        H = hessian(t, X, m)  # the last intercept stays at 0: solve for the others
        return np.r_[scipy.linalg.cho_solve(scipy.linalg.cho_factor(H[:-1, :-1]), -g[:-1]), 0.0]

    theta = damped_newton(
        theta,
        lambda t: objective(t, X, y, m),
        lambda t: gradient(t, X, y, m),
        direction,
        max_iter,
        GRAD_TARGET,
    )
    theta = centre(theta, m)
    gnorm = float(np.linalg.norm(gradient(theta, X, y, m)))
    assert gnorm < GRAD_ASSERT, f"Newton did not converge: ‖∇L‖ = {gnorm:.3e}"
    return theta, gnorm


def centring_stats(theta, m):
    W, b = m.unpack(theta)
    return {"max_abs_weight_column_sum": float(np.max(np.abs(W.sum(axis=0)))),
            "abs_intercept_sum": float(abs(b.sum()))}


# ----------------------------------------------------------------------------
# scikit-learn
# ----------------------------------------------------------------------------


def fit_sklearn(X, y, m, solver, X_test, theta_star):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf = LogisticRegression(C=1.0 / m.lam, solver=solver, tol=1e-12, max_iter=10000).fit(X, y.astype(int))
    assert list(clf.classes_) == list(range(m.K))
    assert clf.coef_.shape == (m.K, m.d) and clf.intercept_.shape == (m.K,), "not a multinomial fit"
    raw = np.r_[clf.coef_.ravel(), clf.intercept_]
    return {"theta": centre(raw, m), "solver": solver, "n_iter": int(np.max(clf.n_iter_)),
            "raw_intercept_sum": float(clf.intercept_.sum()),
            "raw_max_abs_weight_column_sum": float(np.max(np.abs(clf.coef_.sum(axis=0)))),
            "converged": not any(issubclass(w.category, ConvergenceWarning) for w in caught),
            # softmax of θ* vs sklearn's predict_proba (confirms the multinomial, not one-vs-rest, model)
            "predict_proba_max_abs_diff": float(np.max(np.abs(clf.predict_proba(X_test)
                                                              - softmax(logits(theta_star, X_test, m))))),
            "warnings": sorted({w.category.__name__ for w in caught})}


def sklearn_block(X, y, m, theta_star, X_test):
    out = {}
    for solver in ("newton-cholesky", "lbfgs"):
        r = fit_sklearn(X, y, m, solver, X_test, theta_star)
        r["max_abs_diff"] = float(np.max(np.abs(r["theta"] - theta_star)))
        out[solver] = r
    nc = out["newton-cholesky"]
    assert nc["converged"] and nc["max_abs_diff"] < SKLEARN_TOL, f"sklearn newton-cholesky: {nc['max_abs_diff']:.2e}"
    assert nc["predict_proba_max_abs_diff"] < SKLEARN_TOL
    return out


# ----------------------------------------------------------------------------
# Edits and updates
# ----------------------------------------------------------------------------


def active_rows(state):
    return state.X[state.active], state.y[state.active]


def gradient_difference(theta, old, new, affected, m):
    Z = np.array(affected, dtype=int)
    G = np.zeros(m.dim)
    if Z.size:
        G -= per_sample_grads(theta, old.X[Z], old.y[Z], m).sum(axis=0)
        Zk = Z[new.active[Z]]
        if Zk.size:
            G += per_sample_grads(theta, new.X[Zk], new.y[Zk], m).sum(axis=0)
    direct = gradient(theta, *active_rows(new), m) - gradient(theta, *active_rows(old), m)
    assert np.max(np.abs(direct - G)) <= 1e-9 * max(1.0, np.max(np.abs(G))), "G ≠ ∇L(D̃) − ∇L(D)"
    assert abs(G[m.d * m.K:].sum()) <= 1e-12 * max(1.0, np.max(np.abs(G))), "Σ G_b ≠ 0"
    return G


def predict(theta, X, m):
    return np.argmax(logits(theta, X, m), axis=1)  # ties → lowest class


def metrics(theta, X, y, m):
    Z = logits(theta, X, m)
    lp = log_softmax(Z)
    acc = float(np.mean(np.argmax(Z, axis=1) == y))
    return acc, float(-np.mean(lp[np.arange(len(y)), np.asarray(y, dtype=int)]))


def top2_gap(theta, X, m):
    Z = np.sort(logits(theta, X, m), axis=1)
    return float(np.min(Z[:, -1] - Z[:, -2]))


def run_case(block, name, edit):
    m, theta_star, tau = block["model"], block["theta"], block["tau"]
    old = ref.State(block["X"], block["y"])
    new, affected = ref.apply_edit(old, edit)
    Xn, yn = active_rows(new)
    assert set(np.unique(yn).astype(int)) == set(range(m.K)), "a class lost all its rows"
    G = gradient_difference(theta_star, old, new, affected, m)
    H_new, H_old = hessian(theta_star, Xn, m), hessian(theta_star, old.X, m)  # old: all rows active
    d_new, d_old = reduced_solve(H_new, G, m), reduced_solve(H_old, G, m)
    p_new, info = pinv_solve(H_new, G, m)
    pinv_diff = float(np.max(np.abs(d_new - p_new)))
    assert pinv_diff < 1e-10 * max(1.0, np.max(np.abs(d_new))), f"{name}: reduced solve ≠ H̃⁺G ({pinv_diff:.2e})"
    assert info["null_vector_alignment"] > 1 - 1e-10
    retrain, _ = newton(Xn, yn, m)
    warm, _ = newton(Xn, yn, m, theta0=theta_star)
    assert np.max(np.abs(retrain - warm)) < 1e-10, "cold and warm retrain disagree"
    thetas = {"lazy": theta_star.copy(), "first_order": theta_star - tau * G,
              "second_order": theta_star - d_new, "hessian_on_d": theta_star - d_old, "retrain": retrain}
    if not affected:
        assert all(np.array_equal(thetas[k], theta_star) for k in METHODS[:4]), name
    residual = {k: float(np.linalg.norm(gradient(t, Xn, yn, m))) for k, t in thetas.items()}
    Xte = mf.apply_features(block["X_test"], edit)
    ref_pred = predict(retrain, Xte, m)
    test = {}
    for k in METHODS:
        acc, ll = metrics(thetas[k], Xte, block["y_test"], m)
        test[k] = {"accuracy": acc, "log_loss": ll,
                   "agreement": float(np.mean(predict(thetas[k], Xte, m) == ref_pred))}
    return {"name": name, "edit": edit, "affected_rows": affected, "n_edited": new.n,
            "gradient_difference": G, "theta": thetas, "residual": residual, "test": test,
            "distance_to_retrain": {k: float(np.linalg.norm(thetas[k] - retrain)) for k in METHODS[:4]},
            "checks": {"pinv_max_abs_diff": pinv_diff,
                       "hessian_edited_null_residual": float(np.linalg.norm(H_new @ m.u)),
                       "hessian_edited_eigen": info,
                       "gradient_difference_intercept_sum": float(G[m.d * m.K:].sum()),
                       "centring": {k: centring_stats(t, m) for k, t in thetas.items()},
                       "test_min_top2_logit_gap": {k: top2_gap(t, Xte, m) for k, t in thetas.items()}}}


def fit_block(name, X, y, X_test, y_test, K, lam, tau, extra):
    m = Model(X.shape[1], K, lam)
    theta, gnorm = newton(X, y, m)
    cs = centring_stats(theta, m)
    assert cs["max_abs_weight_column_sum"] < 1e-10, cs
    sk = sklearn_block(X, y, m, theta, X_test)
    H = hessian(theta, X, m)
    acc, ll = metrics(theta, X_test, y_test, m)
    block = {"model": m, "X": X, "y": y, "X_test": X_test, "y_test": y_test, "tau": tau, "theta": theta}
    out = {"name": name, "n_classes": K, "n_features": m.d, "l2": lam, "fit_intercept": True, "tau": tau}
    out.update(extra)
    out.update({"theta_star": theta, "theta_star_grad_norm": gnorm, "theta_star_centring": cs,
                "hessian_null_residual": float(np.linalg.norm(H @ m.u)),
                "theta_sklearn": sk["newton-cholesky"]["theta"], "theta_sklearn_lbfgs": sk["lbfgs"]["theta"],
                "sklearn": {s: {k: v for k, v in r.items() if k != "theta"} for s, r in sk.items()},
                "train_metrics": {"test_accuracy": acc, "test_log_loss": ll}})
    return block, out


# ----------------------------------------------------------------------------
# Toy block
# ----------------------------------------------------------------------------

# Twelve points, four per class, interleaved labels.  Classes 0, 1, 2 point roughly to
# 90°, 210° and 330° in the first two features; rows 9, 10, 11 sit inside another class's
# region (overlap); feature 2 is mostly noise.
TOY_X = np.array([[0.1, 1.2, 0.3], [-1.0, -0.5, -0.2], [1.0, -0.6, 0.4],
                  [0.4, 0.9, -0.5], [-0.7, -0.9, 0.6], [0.8, -1.0, -0.7],
                  [-0.5, 0.8, 0.1], [-1.2, 0.1, -0.8], [1.3, 0.0, 0.2],
                  [0.6, -0.4, 0.7], [0.2, 0.6, -0.3], [-0.3, -0.7, 0.9]], dtype=np.float64)
TOY_Y = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], dtype=np.float64)


def self_check(X, y, m):
    """Gradient and Hessian against central differences, and the Hessian against an explicit
    Kronecker product per row, at a fixed non-optimal θ."""
    theta = np.linspace(-0.7, 0.9, m.dim)
    h = 1e-6
    eye = np.eye(m.dim)
    num_g = np.array([(objective(theta + h * e, X, y, m) - objective(theta - h * e, X, y, m)) / (2 * h) for e in eye])
    num_H = np.array([(gradient(theta + h * e, X, y, m) - gradient(theta - h * e, X, y, m)) / (2 * h) for e in eye])
    g, H = gradient(theta, X, y, m), hessian(theta, X, m)
    assert np.max(np.abs(num_g - g)) < 1e-6 * max(1.0, np.max(np.abs(g))), "gradient ≠ finite differences"
    assert np.max(np.abs(num_H - H)) < 1e-6 * max(1.0, np.max(np.abs(H))), "Hessian ≠ finite differences"
    # (diag(p) − ppᵀ) ⊗ x̂x̂ᵀ is ordered (class, column of x̂); θ's order is W row-major then b.
    perm = np.argsort(m.full_index.ravel())  # θ coordinate → (class, column) position
    P = softmax(logits(theta, X, m))
    Hk = sum(np.kron(np.diag(p) - np.outer(p, p), np.outer(xh, xh))
             for p, xh in zip(P, np.hstack([X, np.ones((len(y), 1))])))
    assert np.max(np.abs(Hk[np.ix_(perm, perm)] + np.diag(m.lam * m.wmask) - H)) < 1e-12, "Kronecker form"
    assert np.max(np.abs(per_sample_grads(theta, X, y, m).sum(axis=0) + m.lam * m.wmask * theta - g)) < 1e-12


def toy_block():
    block, out = fit_block("toy", TOY_X, TOY_Y, TOY_X, TOY_Y, K=3, lam=1.0, tau=0.05,
                           extra={"data": "inline; no split: the test set is the training set",
                                  "x_train": TOY_X, "y_train": TOY_Y.astype(int),
                                  "x_test": TOY_X, "y_test": TOY_Y.astype(int)})
    specs = [("noop", ref.make_edit()),
             ("relabel", ref.make_edit(relabel=[(0, 2), (4, 0)])),
             ("zero_col_2", ref.make_edit(features=[2], feature_value=0.0)),
             ("remove", ref.make_edit(remove=[5])),
             ("combined", ref.make_edit(features=[2], feature_value=0.25, cells=[(3, 0, -0.2)],
                                        relabel=[(10, 0)], remove=[7]))]
    self_check(TOY_X, TOY_Y, block["model"])
    out["cases"] = [run_case(block, n, e) for n, e in specs]
    return out


# ----------------------------------------------------------------------------
# Digits block
# ----------------------------------------------------------------------------


def load_digits_csv(path):
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert header == [f"px_{r}_{c}" for r in range(8) for c in range(8)] + ["digit"]
    assert len(body) == 1797
    data = np.array([[int(v) for v in r] for r in body], dtype=np.float64)
    return data[:, :-1], data[:, -1]


def digits_block():
    X, y = load_digits_csv(DIGITS_CSV)
    seed, frac = 42, 0.2
    train_idx, test_idx = ref.split_indices(len(y), seed, frac)
    rng = ref.SplitMix64(seed)
    first5 = [str(rng.next()) for _ in range(5)]
    Xtr, Xte, mean, scale = ref.standardise(X[train_idx], X[test_idx])
    ytr, yte = y[train_idx], y[test_idx]
    constant = [int(j) for j in np.flatnonzero(X[train_idx].std(axis=0) == 0.0)]
    extra = {"data": "www/data/digits.csv (not repeated): SplitMix64 split, standardised with the training "
                     "mean / population std (scale 1 for constant columns); edits act on standardised values",
             "split": {"seed": seed, "test_fraction": frac, "train_idx": train_idx, "test_idx": test_idx,
                       "splitmix64_seed42_first5": first5},
             "standardizer": {"mean": mean, "scale": scale, "constant_columns": constant},
             "data_check": {"csv_rows": len(y), "csv_pixel_sum": int(X.sum()),
                            "csv_class_counts": np.bincount(y.astype(int), minlength=10),
                            "n_train": len(ytr), "n_test": len(yte),
                            "train_class_counts": np.bincount(ytr.astype(int), minlength=10),
                            "x_train_abs_sum": float(np.abs(Xtr).sum()), "x_test_sum": float(Xte.sum()),
                            "x_train_0": Xtr[0], "x_test_0": Xte[0]}}
    block, out = fit_block("digits", Xtr, ytr, Xte, yte, K=10, lam=1.0, tau=1e-3, extra=extra)
    nxt = lambda r: (r, (int(ytr[r]) + 1) % 10)  # noqa: E731
    specs = [("relabel", ref.make_edit(relabel=[nxt(r) for r in (0, 100, 500, 900, 1300)])),
             ("features", ref.make_edit(features=range(8), feature_value=0.0)),  # px_0_0 … px_0_7
             ("remove", ref.make_edit(remove=[5, 55, 155, 255, 355, 555, 755, 955, 1155, 1355])),
             ("combined", ref.make_edit(features=[27, 28], feature_value=0.0,  # px_3_3, px_3_4
                                        cells=[(2, 20, 1.5), (3, 43, -1.0)],
                                        relabel=[nxt(7), nxt(8)], remove=[11, 12, 13]))]
    out["cases"] = [run_case(block, n, e) for n, e in specs]
    return out


# ----------------------------------------------------------------------------
# K = 2 against the binary model (information)
# ----------------------------------------------------------------------------


def to_binary(theta, m):
    """w = W₁ − W₀, b = b₁ − b₀."""
    W, b = m.unpack(theta)
    return np.r_[W[1] - W[0], b[1] - b[0]]


def binary_relation():
    Xtr, ytr, _, _ = ref.load_breast_cancer_split()
    lam, tau = 1.0, 1e-3
    m = Model(Xtr.shape[1], 2, lam)
    theta_m, gnorm = newton(Xtr, ytr, m)
    W, b = m.unpack(theta_m)
    Xh = ref.augment(Xtr, True)
    mask = mf.penalty_mask(Xh.shape[1], True)
    theta_half, _ = mf.newton(Xh, ytr, lam / 2, mask)
    theta_same, _ = mf.newton(Xh, ytr, lam, mask)
    mapped = to_binary(theta_m, m)
    out = {"data": "x_train / y_train of tests/fixtures/breast_cancer.json (K = 2, d = 30)",
           "l2_multinomial": lam, "l2_binary_equivalent": lam / 2,
           "multinomial_grad_norm": gnorm,
           "antisymmetry_max_abs": float(max(np.max(np.abs(W[0] + W[1])), abs(b[0] + b[1]))),
           "max_abs_diff_binary_half_l2": float(np.max(np.abs(mapped - theta_half))),
           "max_abs_diff_binary_same_l2": float(np.max(np.abs(mapped - theta_same)))}
    assert out["antisymmetry_max_abs"] < 1e-10 and out["max_abs_diff_binary_half_l2"] < 1e-8
    # Updates for one edit: second order maps exactly (Newton steps are affine invariant);
    # first order with τ maps to the binary first order with 2τ.
    edit = ref.make_edit(relabel=[(5, 1 - int(ytr[5]))], remove=[10, 20, 30])
    old = ref.State(Xtr, ytr)
    new, affected = ref.apply_edit(old, edit)
    G = gradient_difference(theta_m, old, new, affected, m)
    Xn, yn = active_rows(new)
    so = theta_m - reduced_solve(hessian(theta_m, Xn, m), G, m)
    Gb = mf.gradient_difference(theta_half, Xtr, ytr, new.X, new.y, new.active, affected, True)
    so_b = theta_half - scipy.linalg.cho_solve(
        scipy.linalg.cho_factor(mf.hessian(theta_half, ref.augment(Xn, True), lam / 2, mask)), Gb)
    out.update({"edit": edit,
                "gradient_difference_relation_max_abs": float(np.max(np.abs(to_binary(G, m) - 2 * Gb))),
                "second_order_max_abs_diff": float(np.max(np.abs(to_binary(so, m) - so_b))),
                "first_order_tau_multinomial": tau, "first_order_tau_binary_equivalent": 2 * tau,
                "first_order_max_abs_diff": float(np.max(np.abs(to_binary(theta_m - tau * G, m)
                                                                - (theta_half - 2 * tau * Gb))))})
    # Residuals: the W₁ (b₁) gradient is the binary gradient at λ/2 and the W₀ (b₀) gradient its negative.
    res_m = float(np.linalg.norm(gradient(so, Xn, yn, m)))
    res_b = float(np.linalg.norm(mf.gradient(so_b, ref.augment(Xn, True), yn, lam / 2, mask)))
    out.update({"second_order_residual_multinomial": res_m, "second_order_residual_binary": res_b,
                "residual_ratio": res_m / res_b})
    assert abs(res_m / res_b - np.sqrt(2.0)) < 1e-8
    assert out["gradient_difference_relation_max_abs"] < 1e-10
    assert out["second_order_max_abs_diff"] < 1e-8 and out["first_order_max_abs_diff"] < 1e-8
    return out


# ----------------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------------


def summarise(blocks, rel):
    for b in blocks:
        sk = b["sklearn"]
        print(f"[{b['name']}] K = {b['n_classes']}, d = {b['n_features']}, λ = {b['l2']:g}, τ = {b['tau']:g}, "
              f"‖∇L(θ*)‖ = {b['theta_star_grad_norm']:.1e}, max|ΣₖWₖ| = "
              f"{b['theta_star_centring']['max_abs_weight_column_sum']:.1e}, "
              f"‖H u‖ = {b['hessian_null_residual']:.1e}, test acc {b['train_metrics']['test_accuracy']:.4f}")
        for s, r in sk.items():
            print(f"  sklearn {s:<15} n_iter {r['n_iter']:>4}, converged {r['converged']}, max|θ_sk − θ*| = "
                  f"{r['max_abs_diff']:.1e}, raw Σ intercept_ = {r['raw_intercept_sum']:.1e}, "
                  f"raw max|Σ coef_| = {r['raw_max_abs_weight_column_sum']:.1e}, "
                  f"max|predict_proba − softmax(θ*)| = {r['predict_proba_max_abs_diff']:.1e}")
        print(f"  {'case':<12}{'|Z|':>5}  {'residual lazy / 1st / 2nd / H on D / retrain':<52}"
              f"{'‖θ−θ_retrain‖ lazy / 1st / 2nd / H on D':<44}{'pinv diff'}")
        wins = 0
        for c in b["cases"]:
            r, d = c["residual"], c["distance_to_retrain"]
            print(f"  {c['name']:<12}{len(c['affected_rows']):>5}  " + " ".join(f"{r[k]:.2e}" for k in METHODS)
                  + "   " + " ".join(f"{d[k]:.2e}" for k in METHODS[:4]) + f"   {c['checks']['pinv_max_abs_diff']:.1e}")
            if c["affected_rows"]:
                wins += r["first_order"] < r["lazy"]
                if not (d["second_order"] < d["first_order"] and d["second_order"] < d["lazy"]):
                    print(f"    note: {c['name']}: second order is not the closest to retrain")
                if r["second_order"] >= min(r["first_order"], r["lazy"]):
                    print(f"    note: {c['name']}: second-order residual above lazy/first order (overshoot)")
        real = sum(1 for c in b["cases"] if c["affected_rows"])
        gaps = min(min(c["checks"]["test_min_top2_logit_gap"].values()) for c in b["cases"])
        print(f"  first order beats lazy on the residual in {wins}/{real} cases; smallest test top-2 logit gap "
              f"over all cases and methods: {gaps:.2e}")
    print(f"[binary_relation] K = 2 multinomial (λ = {rel['l2_multinomial']:g}) ↔ binary: max|Δ| = "
          f"{rel['max_abs_diff_binary_half_l2']:.1e} at λ/2, {rel['max_abs_diff_binary_same_l2']:.2e} at λ; "
          f"G_bin = (G_W₁ − G_W₀)/2 to {rel['gradient_difference_relation_max_abs']:.1e}; 2nd order "
          f"{rel['second_order_max_abs_diff']:.1e}; 1st order (τ ↔ 2τ) {rel['first_order_max_abs_diff']:.1e}; "
          f"residual ratio {rel['residual_ratio']:.12f} (√2)")


def main():
    blocks = [toy_block(), digits_block()]
    rel = binary_relation()
    doc = {"source": "scripts/make_fixtures_multinomial.py — independent numpy/scikit-learn implementation of "
                     "Warnecke et al., 'Machine Unlearning of Features and Labels', NDSS 2023, for multinomial "
                     "(softmax) logistic regression (sum form, (λ/2)‖W‖²_F, unpenalised intercepts, centred "
                     "intercepts). See tests/fixtures/README.md.",
           "versions": ref.versions(),
           "layout": "theta = [W row by row (class 0's d weights, class 1's, …), b_0, …, b_{K-1}], length dK + K; "
                     "intercepts centred (sum 0)",
           "methods": list(METHODS), "blocks": blocks, "binary_relation": rel}
    ref.write_json(os.path.join(ref.FIXTURES, "multinomial.json"), doc)
    summarise(blocks, rel)
    print("wrote tests/fixtures/multinomial.json")


if __name__ == "__main__":
    main()
