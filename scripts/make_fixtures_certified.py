#!/usr/bin/env python3
"""Independent numpy reference for CERTIFIED removal → tests/fixtures/certified.json.

C. Guo, T. Goldstein, A. Hannun, L. van der Maaten, "Certified Data Removal from Machine
Learning Models", ICML 2020 (arXiv 1911.03030), applied as in Warnecke et al. (NDSS 2023,
Thm 2) to feature / label / row requests.  Objective (scripts/reference.py):

  L_b(θ; D) = Σ ℓ + (λ_eff/2)‖θ‖² + bᵀθ     (no intercept: every parameter penalised)

Definitions implemented here (tests/fixtures/README.md has the full list):

  c(δ) = √(2 ln(1.5/δ));  budget β_max = σε/c;  σ needed for a residual r: r·c/ε;  γ = 1/4
  second-order step from θ, Hessian H_s = ∇²L(θ_s; D̃) with θ_s = θ (fresh):
      Δ = H_s⁻¹G,  θ_new = θ − Δ,
      bound = γ‖X̃‖₂‖X̃Δ‖₂(‖Δ‖₂ + ‖θ − θ_s‖₂)              (Guo Cor. 1 when θ_s = θ)
  first-order step bound:  ‖G‖₂·max(|1 − τμ|, |1 − τ(μ + ‖X̃‖₂²/4)|),  μ = λ_eff(ñ)
  lazy bound:              ‖G‖₂
  worst case (m rows):     γ·ñ·(k·m/μ)²,  k = 2 removal/per_sample, 1 removal/total,
                           1 label flip, 2 feature/cell change
  β_after = β_before + bound;  certified iff β_after ≤ β_max, otherwise retrain.

Digest §6 cases 9–12 (shared/research/paper-digest.md) are asserted to their printed digits.

Usage:  python3 scripts/make_fixtures_certified.py
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import reference as ref  # noqa: E402  (pins BLAS threads before numpy loads)

import numpy as np  # noqa: E402

GAMMA = 0.25


def c_of(delta):
    return float(np.sqrt(2.0 * np.log(1.5 / delta)))


def budget(sigma, eps, delta):
    return sigma * eps / c_of(delta)


def sigma_for(residual, eps, delta):
    return residual * c_of(delta) / eps


def request_kind(edit):
    kinds = [k for k in ("features", "cells", "relabel", "remove") if edit[k]]
    assert len(kinds) == 1, f"certified fixtures use single-kind requests, got {kinds}"
    return kinds[0]


def worst_case(kind, obj, m, n_new):
    k = {"remove": 2.0 if obj.l2_scaling == "per_sample" else 1.0, "relabel": 1.0, "features": 2.0,
         "cells": 2.0}[kind]
    mu = obj.lam_eff(n_new)
    return GAMMA * n_new * (k * m / mu) ** 2


def grad_norm(theta, state, obj):
    return float(np.linalg.norm(ref.loss_grad(theta, *state.rows(obj), obj)))


def certified_step(theta, state, edit, obj, tau, beta_before, beta_max):
    """One request from θ with a FRESH Hessian at θ on the edited data (θ_s = θ)."""
    assert np.all(obj.mask == 1.0), "the certified bounds assume every parameter is penalised"
    new, affected = ref.apply_edit(state, edit)
    Xh_new, y_new = new.rows(obj)
    assert np.all(np.linalg.norm(Xh_new, axis=1) <= 1.0 + 1e-12), "Guo's bounds need ‖x‖ ≤ 1"
    G = ref.gradient_difference(theta, state, new, affected, obj)
    H = ref.loss_hessian(theta, Xh_new, obj)
    delta = ref.solve_spd(H, G)
    theta_new = theta - delta
    xnorm = ref.spectral_norm(Xh_new)
    theta_s_dist = 0.0  # fresh Hessian: θ_s = θ
    bound = GAMMA * xnorm * float(np.linalg.norm(Xh_new @ delta)) * (float(np.linalg.norm(delta)) + theta_s_dist)
    mu = obj.lam_eff(new.n)
    fo_factor = max(abs(1.0 - tau * mu), abs(1.0 - tau * (mu + xnorm**2 / 4.0)))
    fo_bound = float(np.linalg.norm(G)) * fo_factor
    theta_fo = theta - tau * G
    # Per-step validity: ∇L̃(θ_new) − ∇L(θ; D) is what this step adds to the residual.
    r_prev = ref.loss_grad(theta, *state.rows(obj), obj)
    added = float(np.linalg.norm(ref.loss_grad(theta_new, Xh_new, y_new, obj) - r_prev))
    added_fo = float(np.linalg.norm(ref.loss_grad(theta_fo, Xh_new, y_new, obj) - r_prev))
    assert added <= bound, f"second-order bound {bound} < added residual {added}"
    assert added_fo <= fo_bound, f"first-order bound {fo_bound} < added residual {added_fo}"
    beta_after = beta_before + bound
    retrain, _ = ref.newton(Xh_new, y_new, obj, theta0=theta)
    kind = request_kind(edit)
    out = {"edit": edit, "kind": kind, "affected_rows": affected, "n_edited": new.n,
           "gradient_difference": G, "delta": delta, "theta": theta_new, "x_spectral_norm": xnorm,
           "bound": bound, "first_order_tau": tau, "first_order_bound": fo_bound,
           "first_order_theta": theta_fo, "lazy_bound": float(np.linalg.norm(G)),
           "worst_case": worst_case(kind, obj, len(affected), new.n),
           "beta_before": beta_before, "beta_after": beta_after, "budget": beta_max,
           "certified": bool(beta_after <= beta_max),
           "residual_with_b": grad_norm(theta_new, new, obj),
           "residual_without_b": grad_norm(theta_new, new, obj.without_b()),
           "added_residual": added, "first_order_added_residual": added_fo,
           "retrain": retrain, "distance_to_retrain": float(np.linalg.norm(theta_new - retrain))}
    # β bounds the TOTAL residual (starting from θ*'s, ≈ 1e-13, which Guo's β ignores).
    assert out["residual_with_b"] <= beta_after + 1e-10, "β_after does not bound the residual"
    return out, new


# ---- digest case 9 -------------------------------------------------------------------


def calibration():
    cs = {f"{d:g}": c_of(d) for d in (1e-4, 1e-2, 1e-5)}
    ref.assert_printed([cs["0.0001"], cs["0.01"], cs["1e-05"]], ["4.385386", "3.165639", "4.882293"], "c(δ)")
    b = budget(10.0, 1.0, 1e-4)
    ref.assert_printed(b, ["2.280301"], "budget")
    r = 0.23244421573377191
    s = sigma_for(r, 0.1, 0.01)
    assert abs(s - 7.358344860277508) <= 1e-15 * 7.36, f"σ for residual: {s!r}"
    return {"c": [{"delta": d, "c": c_of(d)} for d in (1e-4, 1e-2, 1e-5)],
            "budget": {"sigma": 10.0, "epsilon": 1.0, "delta": 1e-4, "budget": b},
            "sigma_for_residual": {"residual": r, "epsilon": 0.1, "delta": 0.01, "sigma": s}}


# ---- digest cases 10, 11 -----------------------------------------------------------------


def guo_cases():
    X = ref.TOY_X / np.linalg.norm(ref.TOY_X, axis=1, keepdims=True)
    b = np.array([0.1, -0.2, 0.05])
    obj = ref.Objective(0.1, False, l2_scaling="per_sample", b=b, dim=3)
    state = ref.State(X, ref.TOY_Y)
    w_star, gnorm = ref.newton(*state.rows(obj), obj)
    tau, beta_max = 0.05, 0.2
    s1, st1 = certified_step(w_star, state, ref.make_edit(remove=[4]), obj, tau, 0.0, beta_max)
    ref.assert_printed(w_star, ["-0.1867651", "0.7513400", "-0.2718253"], "case 10 w*")
    ref.assert_printed(-s1["gradient_difference"], ["-0.4396477", "-0.0090602", "0.1833031"], "case 10 Guo Δ = −G")
    ref.assert_printed(s1["theta"], ["-0.5322162", "0.7656611", "-0.1359554"], "case 10 w⁻")
    ref.assert_printed(s1["retrain"], ["-0.5334387", "0.7680285", "-0.1363230"], "case 10 retrain")
    ref.assert_printed(s1["residual_with_b"], ["2.994e-3"], "case 10 resid with b")
    ref.assert_printed(s1["residual_without_b"], ["0.2262"], "case 10 resid without b")
    ref.assert_printed(s1["bound"], ["9.002e-2"], "case 10 bound")
    ref.assert_printed(s1["worst_case"], ["14.2857"], "case 10 worst case")
    thm4 = 4 * GAMMA * 1**2 / (obj.lam**2 * (8 - 1))  # Guo Thm 4: 4γm²/(λ²(n−m))
    assert abs(s1["worst_case"] - thm4) <= 1e-12 * thm4
    assert s1["certified"]

    s2, st2 = certified_step(s1["theta"], st1, ref.make_edit(remove=[0]), obj, tau, s1["beta_after"], beta_max)
    ref.assert_printed(s2["bound"], ["0.16400"], "case 11 bound")
    ref.assert_printed(s2["beta_after"], ["0.25402"], "case 11 β")
    ref.assert_printed(s2["residual_with_b"], ["1.102e-2"], "case 11 resid")
    assert not s2["certified"]
    thm4_2 = 4 * GAMMA / (obj.lam**2 * 6)
    assert abs(s2["worst_case"] - thm4_2) <= 1e-12 * thm4_2

    removal = {"description": "digest §6 case 10: toy data A, rows scaled to unit L2 norm, no intercept, "
                              "λ = 0.1 per_sample (λ·n = 0.8), b = (0.1, −0.2, 0.05); remove row 4",
               **obj.config(), "b": b, "x_train": X, "y_train": ref.TOY_Y.astype(int),
               "theta_star": w_star, "theta_star_grad_norm": gnorm, "guo_delta": -s1["gradient_difference"],
               "worst_case_thm4": thm4, "step": s1}
    budget_case = {"description": "digest §6 case 11: then remove original row 0 from w⁻ (fresh Hessian at w⁻ "
                                  "on the remaining 6 rows); budget 0.2: request 1 certified, request 2 → retrain",
                   "budget": beta_max, "decisions": ["certified", "retrain"],
                   "step": s2,
                   "retrain_theta_same_b": s2["retrain"],
                   "retrain_note": "Algorithm 2 retrains from scratch with a FRESH b and β = 0; the Rust side "
                                   "draws its own b, so only the decision is compared. retrain_theta_same_b "
                                   "keeps b = (0.1, −0.2, 0.05) for information."}
    return removal, budget_case


# ---- digest case 12 ------------------------------------------------------------------------


def worst_case_block():
    obj = ref.Objective(1e-3, False, l2_scaling="per_sample", dim=1)
    n, m = 11982, 1
    wc = worst_case("remove", obj, m, n - m)
    ref.assert_printed(wc, ["83.465"], "case 12 worst case")
    bmax = budget(10.0, 1.0, 1e-4)
    ref.assert_printed(bmax, ["2.2803"], "case 12 budget")
    assert wc > bmax
    return {"description": "digest §6 case 12: MNIST-sized worst case, one removal",
            "l2": 1e-3, "l2_scaling": "per_sample", "n": n, "m": m, "n_edited": n - m, "worst_case": wc,
            "sigma": 10.0, "epsilon": 1.0, "delta": 1e-4, "budget": bmax, "can_certify": bool(wc <= bmax)}


# ---- Breast Cancer sequence ------------------------------------------------------------------


def bc_sequence():
    Xtr, ytr, Xte, _ = ref.load_breast_cancer_split()
    Xtr = Xtr / np.linalg.norm(Xtr, axis=1, keepdims=True)
    sigma, eps, delta, tau = 1.0, 1.0, 1e-4, 1e-3
    d = Xtr.shape[1]
    b = np.random.default_rng(7).normal(0.0, sigma, d)
    obj = ref.Objective(1.0, False, l2_scaling="total", b=b, dim=d)
    state = ref.State(Xtr, ytr)
    theta_star, gnorm = ref.newton(*state.rows(obj), obj)
    beta_max = budget(sigma, eps, delta)
    flip = lambda r: (r, 1 - int(ytr[r]))  # noqa: E731
    requests = [ref.make_edit(relabel=[flip(5), flip(50)]),
                ref.make_edit(remove=[10, 20, 30]),
                ref.make_edit(features=[0], feature_value=0.0),
                ref.make_edit(remove=range(60, 80))]
    theta, beta, steps = theta_star, 0.0, []
    for req in requests:
        step, state = certified_step(theta, state, req, obj, tau, beta, beta_max)
        step["sigma_needed"] = sigma_for(step["beta_after"], eps, delta)  # σ that would certify β_after
        steps.append(step)
        theta, beta = step["theta"], step["beta_after"]
    return {"description": "Breast Cancer (SplitMix64 seed 42, 20 % test, standardised on train), then every "
                           "row scaled to unit L2 norm; no intercept, λ = 1 total; b ~ default_rng(7).normal(0, σ, d); "
                           "θ* minimises L_b; four sequential requests, each a second-order step from the current "
                           "θ with a fresh Hessian at the current θ on the current edited data",
            "data": "x_train / y_train of tests/fixtures/breast_cancer.json, block 'breast_cancer', each row "
                    "divided by its L2 norm (x_train here is NOT stored)",
            "data_check": {"n_train": len(ytr), "x_train_unit_sum": float(Xtr.sum()), "x_train_unit_0": Xtr[0]},
            **obj.config(), "sigma": sigma, "epsilon": eps, "delta": delta, "c": c_of(delta), "budget": beta_max,
            "first_order_tau": tau, "b": b, "theta_star": theta_star, "theta_star_grad_norm": gnorm,
            "steps": steps}


# ---- Output -------------------------------------------------------------------------------------


def fmt_step(name, s):
    return (f"  {name:<24}|Z|={len(s['affected_rows']):>3} ‖X̃‖={s['x_spectral_norm']:.4f} "
            f"bound={s['bound']:.5g} β={s['beta_before']:.5g}→{s['beta_after']:.5g} "
            f"(budget {s['budget']:.4g}, {'certified' if s['certified'] else 'EXCEEDED'}) "
            f"resid(b)={s['residual_with_b']:.4g} resid(no b)={s['residual_without_b']:.4g} "
            f"1st-order bound={s['first_order_bound']:.4g} worst={s['worst_case']:.4g} "
            f"‖θ−θ_retrain‖={s['distance_to_retrain']:.2e}")


def main():
    cal = calibration()
    removal, budget_case = guo_cases()
    wc = worst_case_block()
    bc = bc_sequence()
    doc = {"source": "scripts/make_fixtures_certified.py — independent numpy implementation of certified removal "
                     "(Guo et al., ICML 2020; Warnecke et al., NDSS 2023 Thm 2) for L2 logistic regression without "
                     "intercept. See tests/fixtures/README.md.",
           "versions": ref.versions(), "gamma": GAMMA,
           "calibration": cal, "guo_removal": removal, "guo_budget": budget_case, "worst_case": wc,
           "bc_sequence": bc}
    ref.write_json(os.path.join(ref.FIXTURES, "certified.json"), doc)
    print("[calibration] c(1e-4, 1e-2, 1e-5) = " + ", ".join(f"{e['c']:.6f}" for e in cal["c"])
          + f"; budget(10, 1, 1e-4) = {cal['budget']['budget']:.6f}; σ = {cal['sigma_for_residual']['sigma']!r}")
    print("[guo] w* =", np.round(removal["theta_star"], 7))
    print(fmt_step("remove 4", removal["step"]))
    print(fmt_step("then remove 0", budget_case["step"]))
    print(f"[worst_case] {wc['worst_case']:.3f} > budget {wc['budget']:.4f} → can_certify = {wc['can_certify']}")
    print(f"[bc_sequence] ‖∇L_b(θ*)‖ = {bc['theta_star_grad_norm']:.1e}, budget σε/c = {bc['budget']:.5f}")
    for name, s in zip(("relabel 5, 50", "remove 10, 20, 30", "zero feature 0", "remove 60..=79"), bc["steps"]):
        print(fmt_step(name, s))
    print("digest §6 cases 9–12 reproduced; every bound ≥ the residual it bounds; wrote tests/fixtures/certified.json")


if __name__ == "__main__":
    main()
