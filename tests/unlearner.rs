//! Sequential requests: the kept Hessian factor gives the same updates as rebuilding it, state
//! survives failed requests, and certified mode keeps its promises.

mod common;

use common::*;
use nalgebra::DVector;
use unlearn::certify::Privacy;
use unlearn::noise::{NoiseKind, NoiseSource};
use unlearn::objective::L2Scaling;
use unlearn::prepare::prepare;
use unlearn::train::Silent;
use unlearn::{
    apply_edit, gradient_difference, second_order_update, Dataset, Edit, Error, HessianPolicy,
    Method, RequestOptions, TrainConfig, Unlearner, UnlearnerConfig,
};

fn bc_train() -> Dataset {
    prepare(&breast_cancer(), 0.2, 42).unwrap().train
}

fn tight() -> TrainConfig {
    TrainConfig {
        tol: 1e-12,
        ..TrainConfig::default()
    }
}

/// Rows scaled to unit norm (the certified bounds need ‖x̂‖ ≤ 1), no intercept.
fn unit_rows(data: &Dataset) -> Dataset {
    let mut x = data.x().clone();
    for mut row in x.row_iter_mut() {
        let norm = row.norm();
        row /= norm;
    }
    Dataset::new(x, data.y().clone()).unwrap()
}

fn certified_config(sigma: f64) -> UnlearnerConfig {
    UnlearnerConfig {
        train: TrainConfig {
            fit_intercept: false,
            ..tight()
        },
        privacy: Some(Privacy {
            epsilon: 1.0,
            delta: 1e-4,
            sigma,
        }),
        // Seeded, so the numbers of these tests repeat; `secret` for the guarantee itself.
        noise: NoiseSource::Seeded(11),
        ..Default::default()
    }
}

fn secret(config: UnlearnerConfig) -> UnlearnerConfig {
    UnlearnerConfig {
        noise: NoiseSource::Secret,
        ..config
    }
}

fn edits() -> Vec<Edit> {
    vec![
        Edit {
            relabel: vec![(5, 1.0), (50, 0.0), (200, 1.0)],
            ..Edit::default()
        },
        Edit {
            remove: vec![10, 20, 30, 40, 50],
            ..Edit::default()
        },
        Edit {
            features: vec![3],
            feature_value: 1.5,
            ..Edit::default()
        },
        Edit {
            cells: vec![(7, 2, 0.0), (8, 2, 1.0)],
            relabel: vec![(9, 1.0)],
            remove: vec![100, 101],
            ..Edit::default()
        },
    ]
}

/// Requests that keep unit-norm rows within the unit ball (values only move towards 0).
fn norm_preserving_edits() -> Vec<Edit> {
    let mut edits = edits();
    edits[2].feature_value = 0.0;
    edits[3].cells = vec![(7, 2, 0.0), (8, 5, 0.0)];
    edits
}

#[test]
fn reusing_the_factor_matches_rebuilding_the_hessian() {
    let data = bc_train();
    let config = UnlearnerConfig {
        train: tight(),
        ..UnlearnerConfig::default()
    };
    for edit in edits() {
        let mut reuse = Unlearner::fit(data.clone(), config, &mut Silent).unwrap();
        let mut refresh = reuse.clone();
        let objective = reuse.objective();
        let applied = apply_edit(&data, &edit).unwrap();
        let g = gradient_difference(&objective, &applied.delta, reuse.model().theta());
        let rebuilt =
            second_order_update(&objective, &applied.edited, reuse.model().theta(), &g).unwrap();
        let options = RequestOptions {
            residual: false,
            ..RequestOptions::default()
        };
        reuse.request(&edit, &options).unwrap();
        refresh
            .request(
                &edit,
                &RequestOptions {
                    hessian: HessianPolicy::Refresh,
                    ..options
                },
            )
            .unwrap();
        assert_close("reused factor", reuse.model().theta(), &rebuilt, 1e-10);
        assert_close("refreshed factor", refresh.model().theta(), &rebuilt, 1e-10);
    }
}

#[test]
fn label_requests_leave_the_hessian_alone_and_point_requests_update_it() {
    let mut unlearner =
        Unlearner::fit(bc_train(), UnlearnerConfig::default(), &mut Silent).unwrap();
    let relabel = unlearner
        .request(&edits()[0], &RequestOptions::default())
        .unwrap();
    assert_eq!(relabel.factor, Some(unlearn::method::FactorSource::Updated));
    let remove = unlearner
        .request(&edits()[1], &RequestOptions::default())
        .unwrap();
    assert_eq!(remove.factor, Some(unlearn::method::FactorSource::Updated));
    assert_eq!(remove.n_rows, 450);
    // Zeroing a whole column touches every row: rebuilding is cheaper than 2n updates.
    let features = unlearner
        .request(
            &Edit {
                features: vec![0],
                ..Edit::default()
            },
            &RequestOptions::default(),
        )
        .unwrap();
    assert_eq!(
        features.factor,
        Some(unlearn::method::FactorSource::Rebuilt)
    );
}

#[test]
fn sequential_requests_match_retraining_closely_and_failures_change_nothing() {
    let data = bc_train();
    let mut unlearner = Unlearner::fit(
        data.clone(),
        UnlearnerConfig {
            train: tight(),
            ..UnlearnerConfig::default()
        },
        &mut Silent,
    )
    .unwrap();
    // Point and label requests: each second-order step starts where the last one ended. (After
    // a feature is zeroed, the residual carried from earlier steps lands on its weight as
    // ∂ⱼL(θ; D)/λ, so sequences with feature edits are left to the exact method.)
    let sequence = [
        edits()[0].clone(),
        edits()[1].clone(),
        Edit {
            relabel: vec![(9, 1.0)],
            remove: vec![100, 101],
            ..Edit::default()
        },
    ];
    for edit in &sequence {
        unlearner.request(edit, &RequestOptions::default()).unwrap();
    }
    let before = unlearner.model().clone();
    let n_before = unlearner.data().n_active();
    let bad = [
        Edit {
            remove: vec![10],
            ..Edit::default()
        }, // removed earlier
        Edit {
            relabel: vec![(20, 1.0)],
            ..Edit::default()
        }, // removed earlier
        Edit {
            cells: vec![(100, 0, 1.0)],
            ..Edit::default()
        }, // removed earlier
        Edit {
            remove: vec![455],
            ..Edit::default()
        }, // out of range
        Edit {
            features: vec![30],
            ..Edit::default()
        }, // out of range
    ];
    for edit in &bad {
        assert!(unlearner.request(edit, &RequestOptions::default()).is_err());
        assert_eq!(unlearner.model(), &before);
        assert_eq!(unlearner.data().n_active(), n_before);
    }
    assert_eq!(
        unlearner
            .request(&bad[0], &RequestOptions::default())
            .unwrap_err(),
        Error::AlreadyRemoved { row: 10 }
    );
    // After four requests the model is closer to retraining on the edited data than θ* is.
    let edited = unlearner.data().materialise();
    let (retrained, _) = unlearn::train(&edited, &tight()).unwrap();
    let (original, _) = unlearn::train(&data, &tight()).unwrap();
    let gap = (unlearner.model().theta() - retrained.theta()).norm();
    let lazy_gap = (original.theta() - retrained.theta()).norm();
    assert!(gap < lazy_gap, "gap to retraining {gap} ≥ {lazy_gap}");
    // The exact method closes the gap on the next request.
    let exact = RequestOptions {
        method: Method::Exact,
        ..RequestOptions::default()
    };
    let report = unlearner
        .request(
            &Edit {
                remove: vec![300],
                ..Edit::default()
            },
            &exact,
        )
        .unwrap();
    assert!(report.residual.unwrap() <= 1e-12, "{:?}", report.residual);
}

#[test]
fn certified_residual_never_exceeds_the_accumulated_bound() {
    let data = unit_rows(&bc_train());
    for hessian in [HessianPolicy::Reuse, HessianPolicy::Refresh] {
        let mut unlearner =
            Unlearner::fit(data.clone(), certified_config(50.0), &mut Silent).unwrap();
        assert!(
            unlearner.failed_assumptions().is_empty(),
            "{:?}",
            unlearner.failed_assumptions()
        );
        for (k, edit) in norm_preserving_edits().iter().enumerate() {
            for method in [Method::SecondOrder, Method::FirstOrder, Method::Lazy] {
                let options = RequestOptions {
                    method,
                    hessian,
                    ..RequestOptions::default()
                };
                let mut trial = unlearner.clone();
                let report = trial.request(edit, &options).unwrap();
                let c = report.certificate.unwrap();
                assert!(c.bound_holds, "{:?}", c.reason);
                assert!(
                    c.residual <= c.beta_after * (1.0 + 1e-9),
                    "request {k} {method:?}: {} > {}",
                    c.residual,
                    c.beta_after
                );
                assert!(
                    c.residual_without_noise > c.residual,
                    "leaving b out overstates the residual"
                );
            }
            unlearner
                .request(
                    edit,
                    &RequestOptions {
                        hessian,
                        ..RequestOptions::default()
                    },
                )
                .unwrap();
        }
    }
}

#[test]
fn an_exhausted_budget_forces_a_retrain_with_fresh_noise() {
    let data = unit_rows(&bc_train());
    // σ small: the budget σε/c is tiny, so the first sizeable request exhausts it.
    let mut unlearner = Unlearner::fit(data, secret(certified_config(0.01)), &mut Silent).unwrap();
    let b0 = unlearner.expose_secret_noise().unwrap().clone();
    let report = unlearner
        .request(&edits()[1], &RequestOptions::default())
        .unwrap();
    let c = report.certificate.unwrap();
    assert!(c.retrained && c.certified, "{c:?}");
    assert!(c.reason.unwrap().contains("retrained from scratch"));
    assert_eq!(c.noise_draws, 2);
    assert_ne!(
        unlearner.expose_secret_noise().unwrap().clone(),
        b0,
        "fresh b"
    );
    assert!(
        unlearner.beta() <= 1e-10,
        "β restarts at the retrained residual"
    );
}

#[test]
fn uncertifiable_setups_are_named() {
    let data = bc_train(); // standardised rows have ‖x‖ ≫ 1
    let config = UnlearnerConfig {
        train: tight(),
        privacy: Some(Privacy {
            epsilon: 1.0,
            delta: 1e-4,
            sigma: 1.0,
        }),
        noise: NoiseSource::Seeded(3),
        ..Default::default()
    };
    let mut unlearner = Unlearner::fit(data, config, &mut Silent).unwrap();
    let failed = unlearner.failed_assumptions();
    assert!(
        failed
            .iter()
            .any(|f| f.contains("intercept is not penalised")),
        "{failed:?}"
    );
    assert!(
        failed.iter().any(|f| f.contains("scale rows to unit norm")),
        "{failed:?}"
    );
    let c = unlearner
        .request(&edits()[0], &RequestOptions::default())
        .unwrap()
        .certificate
        .unwrap();
    assert!(!c.certified && !c.bound_holds);
    assert!(c.bound.is_nan() && c.worst_case_bound.is_nan() && c.beta_after.is_infinite());
    assert!(c.reason.unwrap().contains("not certified"));
    let fine_tune = RequestOptions {
        method: Method::FineTune,
        ..RequestOptions::default()
    };
    assert!(matches!(
        unlearner.request(&edits()[0], &fine_tune),
        Err(Error::NotCertifiable { .. })
    ));
}

#[test]
fn seeded_noise_is_reproducible_and_its_certificates_claim_no_privacy() {
    let data = unit_rows(&bc_train());
    let seeded = |seed| UnlearnerConfig {
        noise: NoiseSource::Seeded(seed),
        ..certified_config(50.0)
    };
    let a = Unlearner::fit(data.clone(), seeded(12), &mut Silent).unwrap();
    let b = Unlearner::fit(data.clone(), seeded(12), &mut Silent).unwrap();
    let c = Unlearner::fit(data, seeded(13), &mut Silent).unwrap();
    assert_eq!(a.expose_secret_noise(), b.expose_secret_noise());
    assert_eq!(a.model(), b.model());
    assert_ne!(a.expose_secret_noise(), c.expose_secret_noise());
    assert_eq!(a.noise(), Some(NoiseKind::Reproducible));

    let mut a = a;
    let cert = a
        .request(&edits()[0], &RequestOptions::default())
        .unwrap()
        .certificate
        .unwrap();
    assert!(cert.bound_holds, "the bound itself holds: {cert:?}");
    assert!(!cert.certified, "but a seed is no privacy guarantee");
    assert_eq!(cert.noise, NoiseKind::Reproducible);
    let reason = cert.reason.unwrap();
    assert!(
        reason.starts_with("reproducible noise: not a privacy guarantee"),
        "{reason}"
    );
    assert!(
        !reason.contains("12"),
        "the notice does not name the seed: {reason}"
    );
}

#[test]
fn secret_noise_differs_between_fits_and_is_fresh_at_every_retrain() {
    let data = unit_rows(&bc_train());
    let a = Unlearner::fit(data.clone(), secret(certified_config(1.0)), &mut Silent).unwrap();
    let b = Unlearner::fit(data.clone(), secret(certified_config(1.0)), &mut Silent).unwrap();
    assert_eq!(a.noise(), Some(NoiseKind::Secret));
    assert_ne!(
        a.expose_secret_noise(),
        b.expose_secret_noise(),
        "two fits, two b"
    );
    let shown = format!("{a:?}");
    let secret = a.expose_secret_noise().unwrap();
    assert!(
        secret.iter().all(|v| !shown.contains(&format!("{v}"))),
        "Debug does not print b"
    );
    assert!(a.objective().noise.is_none(), "the getter leaves b out");
    assert_ne!(a.model(), b.model());
    let plain = Unlearner::fit(data, UnlearnerConfig::default(), &mut Silent).unwrap();
    assert_eq!(plain.noise(), None, "no noise outside certified mode");

    // A clone shares b but not the future: each branch's retrain draws its own.
    let retrain = RequestOptions {
        method: Method::Retrain,
        ..RequestOptions::default()
    };
    let (mut left, mut right) = (a.clone(), a.clone());
    let edit = &edits()[1];
    let l = left.request(edit, &retrain).unwrap().certificate.unwrap();
    right.request(edit, &retrain).unwrap();
    assert!(l.certified && l.noise == NoiseKind::Secret, "{l:?}");
    assert_eq!(l.noise_draws, 2);
    assert_ne!(
        left.expose_secret_noise(),
        a.expose_secret_noise(),
        "fresh b"
    );
    assert_ne!(left.expose_secret_noise(), right.expose_secret_noise());
}

#[test]
fn a_given_b_is_reproducible_until_a_retrain_draws_a_secret_one() {
    let data = unit_rows(&bc_train());
    let p = data.n_features();
    let b = DVector::from_element(p, 0.5);
    let mut u = Unlearner::fit_with_given_noise(data, secret(certified_config(50.0)), b).unwrap();
    assert_eq!(u.noise(), Some(NoiseKind::Reproducible));
    let c = u
        .request(&edits()[0], &RequestOptions::default())
        .unwrap()
        .certificate
        .unwrap();
    assert!(c.bound_holds && !c.certified && c.noise == NoiseKind::Reproducible);
    let retrain = RequestOptions {
        method: Method::Retrain,
        ..RequestOptions::default()
    };
    let c = u
        .request(&edits()[1], &retrain)
        .unwrap()
        .certificate
        .unwrap();
    assert!(c.certified && c.noise == NoiseKind::Secret, "{c:?}");
    assert_eq!(u.noise(), Some(NoiseKind::Secret));
}

#[test]
fn per_sample_lambda_removal_matches_guo() {
    // Digest §6 case 10: toy A, rows L2-normalised, λ = 0.1 per sample (λn = 0.8), b given.
    let x = [
        1.0, 0.5, 0.0, 0.2, -1.0, 1.0, -0.5, 0.3, 0.8, 0.9, 0.9, -0.4, -1.0, -0.2, 0.5, 0.3, 0.7,
        0.6, 0.0, -0.6, -0.9, 0.6, -0.3, 0.2,
    ];
    let data = unit_rows(
        &Dataset::from_row_major(&x, 8, 3, &[1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0]).unwrap(),
    );
    let config = UnlearnerConfig {
        train: TrainConfig {
            l2: 0.1,
            fit_intercept: false,
            l2_scaling: L2Scaling::PerSample,
            tol: 1e-13,
            ..TrainConfig::default()
        },
        privacy: Some(Privacy {
            epsilon: 1.0,
            delta: 1e-4,
            sigma: 10.0,
        }),
        noise: NoiseSource::Secret,
        ..Default::default()
    };
    let b = DVector::from_vec(vec![0.1, -0.2, 0.05]);
    let mut unlearner = Unlearner::fit_with_given_noise(data, config, b).unwrap();
    assert_close(
        "w*",
        unlearner.model().theta(),
        &DVector::from_vec(vec![-0.1867651, 0.7513400, -0.2718253]),
        5e-7,
    );
    let report = unlearner
        .request(
            &Edit {
                remove: vec![4],
                ..Edit::default()
            },
            &RequestOptions::default(),
        )
        .unwrap();
    assert_close(
        "w⁻",
        unlearner.model().theta(),
        &DVector::from_vec(vec![-0.5322162, 0.7656611, -0.1359554]),
        5e-7,
    );
    let c = report.certificate.unwrap();
    assert_scalar("true residual", c.residual, 2.994e-3, 5e-4, 0.0);
    assert_scalar("data-dependent bound", c.bound, 9.002e-2, 5e-4, 0.0);
    assert_scalar("worst case", c.worst_case_bound, 14.2857, 5e-6, 0.0);
    assert_scalar("without b", c.residual_without_noise, 0.2262, 5e-4, 0.0);
    // Case 11: then remove row 0 with a fresh Hessian at w⁻: β = 0.25402 > budget 0.2 → retrain.
    let options = RequestOptions {
        hessian: HessianPolicy::Refresh,
        ..RequestOptions::default()
    };
    let mut probe = unlearner.clone();
    let second = probe
        .request(
            &Edit {
                remove: vec![0],
                ..Edit::default()
            },
            &options,
        )
        .unwrap()
        .certificate
        .unwrap();
    assert_scalar("second bound", second.bound, 0.16400, 5e-5, 0.0);
    assert_scalar(
        "β after two",
        second.beta_before + second.bound,
        0.25402,
        5e-5,
        0.0,
    );
}

#[test]
fn a_retrain_whose_residual_still_exceeds_the_budget_is_not_certified() {
    // σ so small that the budget σε/c is below any residual float64 can reach.
    let data = unit_rows(&bc_train());
    let mut u = Unlearner::fit(data, secret(certified_config(1e-18)), &mut Silent).unwrap();
    assert!(
        u.failed_assumptions()
            .iter()
            .any(|f| f.contains("already exceeds the budget")),
        "{:?}",
        u.failed_assumptions()
    );
    let c = u
        .request(&edits()[0], &RequestOptions::default())
        .unwrap()
        .certificate
        .unwrap();
    assert!(c.retrained && !c.certified && !c.bound_holds, "{c:?}");
    assert!(c.residual > c.budget);
    assert!(c.reason.unwrap().contains("lower tol or raise σ"));
}

#[test]
fn an_update_worse_than_none_is_named() {
    // τ far too large: the first-order step overshoots the edited optimum.
    let mut u = Unlearner::fit(bc_train(), UnlearnerConfig::default(), &mut Silent).unwrap();
    let options = RequestOptions {
        method: Method::FirstOrder,
        settings: unlearn::UpdateSettings {
            tau: 10.0,
            ..unlearn::UpdateSettings::default()
        },
        ..RequestOptions::default()
    };
    let report = u.request(&edits()[0], &options).unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("farther from the edited optimum than no update")),
        "{:?}",
        report.warnings
    );
    let mut fresh = Unlearner::fit(bc_train(), UnlearnerConfig::default(), &mut Silent).unwrap();
    let fine = fresh
        .request(&edits()[1], &RequestOptions::default())
        .unwrap();
    assert!(
        !fine.warnings.iter().any(|w| w.contains("than no update")),
        "{:?}",
        fine.warnings
    );
}

#[test]
fn drift_past_the_threshold_is_named_or_corrected() {
    let data = bc_train();
    let strict = |action| UnlearnerConfig {
        drift: unlearn::DriftPolicy {
            threshold: 1e-9,
            action,
        },
        ..UnlearnerConfig::default()
    };
    let mut warned = Unlearner::fit(
        data.clone(),
        strict(unlearn::DriftAction::Warn),
        &mut Silent,
    )
    .unwrap();
    let report = warned
        .request(&edits()[1], &RequestOptions::default())
        .unwrap();
    let drift = report.drift.unwrap();
    assert!(drift > 1e-9 && report.corrected.is_none());
    assert!(
        report.warnings.iter().any(|w| w.contains("has drifted")),
        "{:?}",
        report.warnings
    );

    for action in [unlearn::DriftAction::Refine, unlearn::DriftAction::Retrain] {
        let mut u = Unlearner::fit(data.clone(), strict(action), &mut Silent).unwrap();
        let report = u.request(&edits()[1], &RequestOptions::default()).unwrap();
        assert_eq!(report.corrected, Some(action));
        assert!(report.residual.unwrap() <= 1e-9, "{:?}", report.residual);
        assert!(report
            .warnings
            .iter()
            .any(|w| w.contains("so it was corrected")));
    }
    // The default threshold lets one small second-order request pass without a word.
    let mut calm = Unlearner::fit(data, UnlearnerConfig::default(), &mut Silent).unwrap();
    let report = calm
        .request(&edits()[1], &RequestOptions::default())
        .unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let bad = UnlearnerConfig {
        drift: unlearn::DriftPolicy {
            threshold: 0.0,
            ..unlearn::DriftPolicy::default()
        },
        ..UnlearnerConfig::default()
    };
    assert!(matches!(
        Unlearner::fit(bc_train(), bad, &mut Silent),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn messages_name_rows_by_the_callers_numbers_after_removals() {
    let data = unit_rows(&bc_train());
    let (mut x, y) = (data.x().clone(), data.y().clone());
    x.row_mut(50).scale_mut(2.0); // ‖x₅₀‖ = 2 > 1
    let data = Dataset::new(x, y).unwrap();
    let mut u = Unlearner::fit(data, certified_config(50.0), &mut Silent).unwrap();
    let named = |u: &Unlearner| u.failed_assumptions().join(" ");
    assert!(
        named(&u).contains("row 50 has ‖x̂‖₂ = 2.0000"),
        "{}",
        named(&u)
    );
    let remove = Edit {
        remove: (0..10).collect(),
        ..Edit::default()
    };
    let c = u
        .request(&remove, &RequestOptions::default())
        .unwrap()
        .certificate
        .unwrap();
    assert!(
        c.reason.unwrap().contains("row 50 has"),
        "the certificate names row 50 too"
    );
    assert!(
        named(&u).contains("row 50 has"),
        "still row 50, not row 40: {}",
        named(&u)
    );
}
