//! Certified unlearning against the independent numpy implementation
//! (tests/fixtures/certified.json, scripts/make_fixtures_certified.py; the digest's cases 9–12
//! and a Breast Cancer request sequence). Tolerances: θ 1e-8 absolute; bounds, residuals, β,
//! ‖X̃‖₂ and calibration numbers 1e-8 relative or 1e-10 absolute.

mod common;

use common::*;
use nalgebra::{DMatrix, DVector};
use serde_json::Value;
use unlearn::certify::{noise_multiplier, sigma_for, worst_case_bound, Privacy};
use unlearn::noise::{NoiseKind, NoiseSource};
use unlearn::objective::L2Scaling;
use unlearn::prepare::prepare;
use unlearn::{Dataset, HessianPolicy, RequestOptions, TrainConfig, Unlearner, UnlearnerConfig};

fn scalar(what: &str, got: f64, want: &Value) {
    assert_scalar(what, got, num(want), 1e-8, 1e-10);
}

fn scaling(block: &Value) -> L2Scaling {
    match block["l2_scaling"].as_str().unwrap() {
        "per_sample" => L2Scaling::PerSample,
        _ => L2Scaling::Total,
    }
}

fn config(block: &Value, privacy: Privacy) -> UnlearnerConfig {
    UnlearnerConfig {
        train: TrainConfig {
            l2: num(&block["l2"]),
            fit_intercept: block["fit_intercept"].as_bool().unwrap(),
            l2_scaling: scaling(block),
            tol: 1e-13,
            ..TrainConfig::default()
        },
        privacy: Some(privacy),
        // The fixture's b is given (so reproducible); a retrain draws a secret one.
        noise: NoiseSource::Secret,
        ..Default::default()
    }
}

/// A fresh Hessian at the current θ each request, as the fixture computes it.
fn fresh() -> RequestOptions {
    RequestOptions {
        hessian: HessianPolicy::Refresh,
        ..RequestOptions::default()
    }
}

/// Checks one request against a fixture step.
fn check_step(label: &str, unlearner: &mut Unlearner, step: &Value) {
    let report = unlearner.request(&edit(&step["edit"]), &fresh()).unwrap();
    let c = report.certificate.unwrap();
    assert_eq!(
        report.affected as u64,
        step["affected_rows"].as_array().unwrap().len() as u64,
        "{label}"
    );
    assert_close(
        &format!("{label} θ"),
        unlearner.model().theta(),
        &vector(&step["theta"]),
        1e-8,
    );
    scalar(
        &format!("{label} ‖X̃‖₂"),
        c.design_norm,
        &step["x_spectral_norm"],
    );
    scalar(&format!("{label} bound"), c.bound, &step["bound"]);
    scalar(
        &format!("{label} worst case"),
        c.worst_case_bound,
        &step["worst_case"],
    );
    scalar(
        &format!("{label} β before"),
        c.beta_before,
        &step["beta_before"],
    );
    scalar(
        &format!("{label} β after"),
        c.beta_after,
        &step["beta_after"],
    );
    scalar(
        &format!("{label} residual with b"),
        c.residual,
        &step["residual_with_b"],
    );
    scalar(
        &format!("{label} residual without b"),
        c.residual_without_noise,
        &step["residual_without_b"],
    );
    assert!(c.residual <= c.beta_after, "{label}: the bound holds");
    // The fixture's b is known outside the model: the bound holds, the guarantee does not.
    assert!(c.bound_holds && !c.certified, "{label}: {c:?}");
    assert_eq!(c.noise, NoiseKind::Reproducible, "{label}");
    assert!(c
        .reason
        .unwrap()
        .contains("reproducible noise: not a privacy guarantee"));
}

#[test]
fn calibration_numbers() {
    let cal = &fixture("certified.json")["calibration"];
    for entry in cal["c"].as_array().unwrap() {
        scalar("c", noise_multiplier(num(&entry["delta"])), &entry["c"]);
    }
    let b = &cal["budget"];
    let privacy = Privacy {
        epsilon: num(&b["epsilon"]),
        delta: num(&b["delta"]),
        sigma: num(&b["sigma"]),
    };
    scalar("budget", privacy.budget(), &b["budget"]);
    let s = &cal["sigma_for_residual"];
    scalar(
        "σ",
        sigma_for(num(&s["residual"]), num(&s["epsilon"]), num(&s["delta"])),
        &s["sigma"],
    );
}

#[test]
fn guo_removal_and_budget_exhaustion() {
    let fixture = fixture("certified.json");
    let block = &fixture["guo_removal"];
    // Budget 0.2 as in the digest: σ = 0.2·c/ε.
    let budget = num(&fixture["guo_budget"]["budget"]);
    let privacy = Privacy {
        epsilon: 1.0,
        delta: 1e-4,
        sigma: budget * noise_multiplier(1e-4),
    };
    let data = dataset(&block["x_train"], &block["y_train"]);
    let mut unlearner =
        Unlearner::fit_with_given_noise(data, config(block, privacy), vector(&block["b"])).unwrap();
    assert_close(
        "w*",
        unlearner.model().theta(),
        &vector(&block["theta_star"]),
        1e-8,
    );
    scalar(
        "Thm 4",
        worst_case_bound(7, 1, 2.0, num(&block["l2"]) * 7.0),
        &block["worst_case_thm4"],
    );
    check_step("guo removal", &mut unlearner, &block["step"]);

    // Case 11: the second removal's bound pushes β past the budget: the model is retrained from
    // scratch with fresh noise instead (so only the decision and the bound are comparable).
    let second = &fixture["guo_budget"]["step"];
    let report = unlearner.request(&edit(&second["edit"]), &fresh()).unwrap();
    let c = report.certificate.unwrap();
    scalar("second bound", c.bound, &second["bound"]);
    assert!(
        c.retrained && c.certified && c.noise == NoiseKind::Secret,
        "{c:?}"
    );
    assert_eq!(fixture["guo_budget"]["decisions"][1], "retrain");
    assert!(unlearner.beta() < 1e-10);
}

#[test]
fn worst_case_bound_too_large_to_certify() {
    let case = &fixture("certified.json")["worst_case"];
    let (l2, n, m) = (
        num(&case["l2"]),
        case["n"].as_u64().unwrap() as usize,
        1usize,
    );
    let bound = worst_case_bound(n - m, m, 2.0, l2 * (n - m) as f64);
    scalar("worst case", bound, &case["worst_case"]);
    let privacy = Privacy {
        epsilon: num(&case["epsilon"]),
        delta: num(&case["delta"]),
        sigma: num(&case["sigma"]),
    };
    scalar("budget", privacy.budget(), &case["budget"]);
    assert_eq!(
        bound <= privacy.budget(),
        case["can_certify"].as_bool().unwrap()
    );
}

fn unit_rows(data: &Dataset) -> Dataset {
    let mut x: DMatrix<f64> = data.x().clone();
    for mut row in x.row_iter_mut() {
        let norm = row.norm();
        row /= norm;
    }
    Dataset::new(x, data.y().clone()).unwrap()
}

#[test]
fn breast_cancer_request_sequence() {
    let fixture = fixture("certified.json");
    let block = &fixture["bc_sequence"];
    let data = unit_rows(&prepare(&breast_cancer(), 0.2, 42).unwrap().train);
    let check = &block["data_check"];
    assert_close(
        "unit row 0",
        &data.x().row(0).transpose(),
        &vector(&check["x_train_unit_0"]),
        1e-12,
    );
    let b: DVector<f64> = vector(&block["b"]);
    let privacy = Privacy {
        epsilon: num(&block["epsilon"]),
        delta: num(&block["delta"]),
        sigma: num(&block["sigma"]),
    };
    scalar("budget", privacy.budget(), &block["budget"]);

    // At the fixture's σ the first request already exceeds the budget and forces a retrain.
    let mut strict =
        Unlearner::fit_with_given_noise(data.clone(), config(block, privacy), b.clone()).unwrap();
    let first = &block["steps"][0];
    let c = strict
        .request(&edit(&first["edit"]), &fresh())
        .unwrap()
        .certificate
        .unwrap();
    assert!(!first["certified"].as_bool().unwrap() && c.retrained);

    // With a budget too large to run out, every step's numbers can be compared (b is given,
    // so σ only changes the budget).
    let roomy = Privacy {
        sigma: 1e9,
        ..privacy
    };
    let mut unlearner = Unlearner::fit_with_given_noise(data, config(block, roomy), b).unwrap();
    assert_close(
        "θ*",
        unlearner.model().theta(),
        &vector(&block["theta_star"]),
        1e-8,
    );
    for (k, step) in block["steps"].as_array().unwrap().iter().enumerate() {
        check_step(&format!("request {k}"), &mut unlearner, step);
    }
}
