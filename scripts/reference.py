"""Shared numpy reference model for the fixture scripts (imports nothing from the crate).

`make_fixtures.py` (toy.json, breast_cancer.json) is left untouched, so its output stays
byte-identical; this module imports its data helpers (toy data, SplitMix64 split, Breast
Cancer loading, standardisation, JSON conversion, digest assertions) and adds the
generalised objective needed by make_fixtures_variants.py and make_fixtures_certified.py:

  L(θ; D) = Σ_i ℓ(x_i, y_i; θ) + (λ_eff/2)‖θ_pen‖² + bᵀθ,
  ℓ = log(1 + exp(-s θᵀx̂)),  s = 2y - 1,  ∇ℓ = (σ(θᵀx̂) - y) x̂,
  θ_pen = w (intercept free) unless penalize_intercept, then θ_pen = θ,
  λ_eff = λ ("total") or λ·n_rows ("per_sample", Guo et al. 2020),
  b = 0 unless given (objective perturbation, Guo et al. 2020).

Edits: {"features": [j…], "feature_value": v, "cells": [[row, col, value]…],
        "relabel": [[row, label]…], "remove": [row…]}
applied in the order features → cells → relabel, removal wins.  Rows index the ORIGINAL
training set and keep their indices across sequential requests (removed rows become
inactive).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import make_fixtures as mf  # noqa: E402  (sets single-threaded BLAS before numpy loads)
from common import damped_newton  # noqa: E402

import json  # noqa: E402
import platform  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.linalg  # noqa: E402
import sklearn  # noqa: E402
from scipy.special import expit  # noqa: E402

# Re-exported helpers from make_fixtures.py
FIXTURES, BC_CSV, REPO = mf.FIXTURES, mf.BC_CSV, mf.REPO
TOY_X, TOY_Y = mf.TOY_X, mf.TOY_Y
augment, assert_printed, to_jsonable = mf.augment, mf.assert_printed, mf.to_jsonable
SplitMix64, split_indices = mf.SplitMix64, mf.split_indices
load_breast_cancer_csv, standardise = mf.load_breast_cancer_csv, mf.standardise
fit_sklearn = mf.fit_sklearn

GRAD_TARGET, GRAD_ASSERT = mf.GRAD_TARGET, mf.GRAD_ASSERT


# ----------------------------------------------------------------------------
# Objective
# ----------------------------------------------------------------------------


class Objective:
    """λ, intercept handling, λ scaling and the noise vector b."""

    def __init__(self, lam, fit_intercept, penalize_intercept=False, l2_scaling="total", b=None, dim=None):
        assert l2_scaling in ("total", "per_sample")
        self.lam, self.fit_intercept = float(lam), bool(fit_intercept)
        self.penalize_intercept, self.l2_scaling = bool(penalize_intercept), l2_scaling
        self.dim = dim
        self.b = np.zeros(dim) if b is None else np.asarray(b, dtype=np.float64)
        assert self.b.shape == (dim,)
        self.mask = np.ones(dim)
        if fit_intercept and not penalize_intercept:
            self.mask[-1] = 0.0

    def lam_eff(self, n_rows):
        return self.lam * n_rows if self.l2_scaling == "per_sample" else self.lam

    def without_b(self):
        return Objective(self.lam, self.fit_intercept, self.penalize_intercept, self.l2_scaling, None, self.dim)

    def config(self):
        return {"l2": self.lam, "fit_intercept": self.fit_intercept, "penalize_intercept": self.penalize_intercept,
                "l2_scaling": self.l2_scaling}


def design(X, obj):
    return augment(X, obj.fit_intercept)


def loss_value(theta, Xh, y, obj):
    s = 2.0 * y - 1.0
    return float(np.sum(np.logaddexp(0.0, -s * (Xh @ theta)))
                 + 0.5 * obj.lam_eff(len(y)) * np.sum(obj.mask * theta**2) + obj.b @ theta)


def loss_grad(theta, Xh, y, obj):
    return Xh.T @ (expit(Xh @ theta) - y) + obj.lam_eff(len(y)) * obj.mask * theta + obj.b


def loss_hessian(theta, Xh, obj):
    p = expit(Xh @ theta)
    return (Xh * (p * (1.0 - p))[:, None]).T @ Xh + np.diag(obj.lam_eff(Xh.shape[0]) * obj.mask)


def per_sample_grads(theta, Xh, y):
    return (expit(Xh @ theta) - y)[:, None] * Xh


def solve_spd(H, g):
    return scipy.linalg.cho_solve(scipy.linalg.cho_factor(H), g)


def newton(Xh, y, obj, theta0=None, max_iter=200):
    """Damped Newton (Armijo halving, Cholesky) to ‖∇L‖ < 1e-12, as make_fixtures.newton, with b."""
    theta = np.zeros(Xh.shape[1]) if theta0 is None else np.array(theta0, dtype=np.float64)
    theta = damped_newton(
        theta,
        lambda t: loss_value(t, Xh, y, obj),
        lambda t: loss_grad(t, Xh, y, obj),
        lambda t, g: solve_spd(loss_hessian(t, Xh, obj), -g),
        max_iter,
        GRAD_TARGET,
    )
    gnorm = float(np.linalg.norm(loss_grad(theta, Xh, y, obj)))
    assert gnorm < GRAD_ASSERT, f"Newton did not converge: ‖∇L‖ = {gnorm:.3e}"
    return theta, gnorm


# ----------------------------------------------------------------------------
# Data state and edits
# ----------------------------------------------------------------------------


def make_edit(features=(), feature_value=0.0, cells=(), relabel=(), remove=()):
    return {"features": [int(j) for j in features], "feature_value": float(feature_value),
            "cells": [[int(r), int(c), float(v)] for r, c, v in cells],
            "relabel": [[int(r), int(lbl)] for r, lbl in relabel], "remove": [int(r) for r in remove]}


class State:
    """All ORIGINAL rows (edited values), labels, and which rows are still active."""

    def __init__(self, X, y, active=None):
        self.X = np.array(X, dtype=np.float64, copy=True)
        self.y = np.array(y, dtype=np.float64, copy=True)
        self.active = np.ones(len(self.y), dtype=bool) if active is None else np.array(active, dtype=bool)

    @property
    def n(self):
        return int(self.active.sum())

    def rows(self, obj):
        """(X̂, y) of the active rows in original order."""
        return design(self.X[self.active], obj), self.y[self.active]


def apply_edit(state, edit):
    """Return (new State, sorted affected rows Z).  Z = active rows removed or whose x or y changes."""
    X, y = state.X.copy(), state.y.copy()
    for j in edit["features"]:
        X[:, j] = edit["feature_value"]
    for r, c, v in edit.get("cells", []):
        X[r, c] = v
    for r, lbl in edit["relabel"]:
        y[r] = lbl
    active = state.active.copy()
    removed = np.zeros(len(y), dtype=bool)
    removed[edit["remove"]] = True
    active &= ~removed
    changed = np.any(X != state.X, axis=1) | (y != state.y)
    affected = np.flatnonzero(state.active & (removed | changed))
    return State(X, y, active), [int(i) for i in affected]


def gradient_difference(theta, old, new, affected, obj):
    """G = Σ_{Z̃}∇ℓ(z̃;θ) − Σ_Z∇ℓ(z;θ) + (λ_eff(ñ) − λ_eff(n))·mask·θ."""
    G = np.zeros(len(theta))
    Z = np.array(affected, dtype=int)
    if Z.size:
        G -= per_sample_grads(theta, design(old.X[Z], obj), old.y[Z]).sum(axis=0)
        Zk = Z[new.active[Z]]
        if Zk.size:
            G += per_sample_grads(theta, design(new.X[Zk], obj), new.y[Zk]).sum(axis=0)
    G += (obj.lam_eff(new.n) - obj.lam_eff(old.n)) * obj.mask * theta
    # Sanity: G = ∇L(θ; D̃) − ∇L(θ; D) (b cancels).
    direct = loss_grad(theta, *new.rows(obj), obj) - loss_grad(theta, *old.rows(obj), obj)
    assert np.max(np.abs(direct - G)) <= 1e-9 * max(1.0, np.max(np.abs(G))), "G ≠ ∇L(D̃) − ∇L(D)"
    return G


def split_edit(edit, k):
    """Cut a request into k parts: part i gets items[len·i//k : len·(i+1)//k] of each list.

    features and remove are sorted + deduplicated; relabel and cells keep the given order;
    feature_value is shared.
    """
    lists = {"features": sorted(set(edit["features"])), "cells": list(edit.get("cells", [])),
             "relabel": list(edit["relabel"]), "remove": sorted(set(edit["remove"]))}
    parts = []
    for i in range(k):
        part = {key: vals[len(vals) * i // k: len(vals) * (i + 1) // k] for key, vals in lists.items()}
        parts.append(make_edit(part["features"], edit["feature_value"], part["cells"], part["relabel"],
                               part["remove"]))
    return parts


def spectral_norm(Xh):
    return float(np.linalg.norm(Xh, 2)) if Xh.size else 0.0


# ----------------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------------


def versions():
    return {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
            "sklearn": sklearn.__version__}


def _dumps(obj, level):
    """Pretty JSON: objects one key a line (indent 1); lists of scalars on one line; floats as repr."""
    pad, inner = " " * level, " " * (level + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dumps(v, level + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (dict, list)) for v in obj):
            return "[" + ", ".join(json.dumps(v, allow_nan=False) for v in obj) + "]"
        return "[\n" + ",\n".join(inner + _dumps(v, level + 1) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj, ensure_ascii=False, allow_nan=False)


def write_json(path, doc):
    doc = to_jsonable(doc)
    text = _dumps(doc, 0) + "\n"
    assert json.loads(text) == doc
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def load_breast_cancer_split():
    """Breast Cancer exactly as breast_cancer.json: SplitMix64 (seed 42, 20 % test), standardised."""
    X, y = load_breast_cancer_csv(BC_CSV)
    train_idx, test_idx = split_indices(len(y), 42, 0.2)
    Xtr, Xte, _, _ = standardise(X[train_idx], X[test_idx])
    return Xtr, y[train_idx], Xte, y[test_idx]
