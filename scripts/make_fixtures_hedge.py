"""Reference points of the hedging path (independent of the crate).

θ(ε) = argmin L(θ; D) + ε Σ_{Z̃} ℓ(z̃, θ) − ε Σ_Z ℓ(z, θ): a weighted logistic regression on the
rows of D (affected rows weighted 1 − ε) stacked with the edited rows Z̃ (weighted ε). Fitted
with scikit-learn `LogisticRegression(C = 1/λ, sample_weight = w, solver="newton-cholesky")` on
Breast Cancer (split seed 42, test 0.2, standardised) and written to tests/fixtures/hedge.json.

    python3 scripts/make_fixtures_hedge.py
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import reference as ref  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

EDIT = {"features": [0, 1], "feature_value": 0.0, "relabel": [[5, 1]], "remove": [10, 20]}
EPSILONS = [0.0, 0.25, 0.5, 0.75, 1.0]
LAM = 1.0


def hedged_rows(X, y, edit):
    """D stacked with Z̃, the affected rows of D, and the kept affected rows' indices in Z̃."""
    Xt, yt = X.copy(), y.copy()
    Xt[:, edit["features"]] = edit["feature_value"]
    for row, label in edit["relabel"]:
        yt[row] = label
    removed = set(edit["remove"])
    changed = [i for i in range(len(y)) if i in removed or yt[i] != y[i] or not np.array_equal(Xt[i], X[i])]
    kept = [i for i in changed if i not in removed]
    return np.vstack([X, Xt[kept]]), np.concatenate([y, yt[kept]]), changed


def weights(n, n_new, changed, epsilon):
    w = np.ones(n + n_new)
    w[changed] = 1.0 - epsilon
    w[n:] = epsilon
    return w


def main():
    X, y, _, _ = ref.load_breast_cancer_split()[:4]
    stacked_x, stacked_y, changed = hedged_rows(X, y, EDIT)
    n, n_new = len(y), len(stacked_y) - len(y)
    points = []
    for epsilon in EPSILONS:
        w = weights(n, n_new, changed, epsilon)
        model = LogisticRegression(C=1.0 / LAM, solver="newton-cholesky", tol=1e-12, max_iter=10000)
        model.fit(stacked_x, stacked_y, sample_weight=w)
        theta = np.concatenate([model.coef_[0], model.intercept_])
        points.append({"epsilon": epsilon, "theta": theta})
        print(f"ε = {epsilon:4.2f}  ‖θ(ε)‖ = {np.linalg.norm(theta):.6f}")
    ref.write_json(
        os.path.join(ref.FIXTURES, "hedge.json"),
        {
            "source": "scripts/make_fixtures_hedge.py — scikit-learn LogisticRegression with sample_weight",
            "versions": ref.versions(),
            "data": "Breast Cancer as tests/fixtures/breast_cancer.json (split seed 42, test 0.2, standardised)",
            "l2": LAM,
            "edit": EDIT,
            "affected_rows": changed,
            "points": points,
            "tolerance": "1e-6 absolute per coordinate (scikit-learn's solver tolerance)",
        },
    )


if __name__ == "__main__":
    main()
