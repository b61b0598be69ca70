//! Every bad input a caller can give comes back as an `Error` (never a panic), and a failed
//! request leaves the trained experiment as it was.

mod common;

use common::*;
use unlearn::prepare::{prepare, train_test_split};
use unlearn::train::Silent;
use unlearn::{train, CompareOptions, Dataset, Edit, Error, Experiment, TrainConfig};

/// Overlapping classes, so λ = 0 still has a finite optimum.
fn overlapping() -> Dataset {
    Dataset::from_row_major(
        &[
            1.0, 0.5, -1.0, 0.2, 0.5, -0.3, -0.5, 0.1, 2.0, 0.4, -2.0, -0.4, 0.3, 0.9, -0.3, -0.8,
        ],
        8,
        2,
        &[1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0],
    )
    .unwrap()
}

fn options() -> CompareOptions {
    CompareOptions {
        min_timing_seconds: 0.0,
        ..CompareOptions::default()
    }
}

#[test]
fn bad_data_is_refused_with_the_cell_named() {
    assert!(matches!(
        Dataset::from_row_major(&[1.0; 5], 2, 3, &[0.0, 1.0]),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        Dataset::from_row_major(&[1.0; 6], 2, 3, &[0.0]),
        Err(Error::ShapeMismatch { .. })
    ));
    let err =
        Dataset::from_row_major(&[1.0, 2.0, 3.0, f64::INFINITY], 2, 2, &[0.0, 1.0]).unwrap_err();
    assert_eq!(
        err,
        Error::NonFinite {
            what: "features",
            row: 1,
            col: 1
        }
    );
    assert!(err.to_string().contains("row 1, column 1"));
    assert_eq!(
        Dataset::from_row_major(&[1.0, 2.0], 2, 1, &[0.0, -1.0]).unwrap_err(),
        Error::InvalidLabel {
            row: 1,
            value: -1.0,
            n_classes: 2
        }
    );
    assert!(matches!(
        Dataset::from_row_major(&[1.0, 2.0], 2, 1, &[0.0, f64::NAN]),
        Err(Error::InvalidLabel { .. })
    ));
}

#[test]
fn models_from_bad_parameters_are_refused_with_the_index_named() {
    use nalgebra::DVector;
    use unlearn::{train_from, Model};
    let short = Model::from_theta(DVector::from_vec(vec![0.5, 1.0]), 2, 2, true).unwrap_err();
    assert!(matches!(short, Error::ShapeMismatch { .. }), "{short}");
    assert_eq!(short.to_string(), "parameters θ: expected 3 values, got 2");
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let err =
            Model::from_theta(DVector::from_vec(vec![0.5, 1.0, bad]), 2, 2, true).unwrap_err();
        assert_eq!(err, Error::NonFiniteParameter { index: 2 });
        let text = err.to_string();
        assert!(text.contains("θ[2] is NaN or infinite"), "{text}");
        assert!(
            !text.contains("row") && !text.contains("impute"),
            "no training words: {text}"
        );
    }
    // A warm start is checked the same way, before any work.
    let err = train_from(
        &overlapping(),
        &TrainConfig::default(),
        DVector::from_vec(vec![0.0, f64::NAN, 0.0]),
    )
    .unwrap_err();
    assert_eq!(err, Error::NonFiniteParameter { index: 1 });
    let model = Model::from_theta(DVector::from_vec(vec![0.5, -1.0, 0.25]), 2, 2, true).unwrap();
    assert_eq!(
        (model.coef(), model.intercepts()),
        (&[0.5, -1.0][..], vec![0.25])
    );
}

#[test]
fn bad_settings_and_degenerate_training_sets_are_refused() {
    let data = overlapping();
    for config in [
        TrainConfig {
            l2: -1.0,
            ..TrainConfig::default()
        },
        TrainConfig {
            l2: f64::NAN,
            ..TrainConfig::default()
        },
        TrainConfig {
            tol: 0.0,
            ..TrainConfig::default()
        },
        TrainConfig {
            max_iter: 0,
            ..TrainConfig::default()
        },
    ] {
        assert!(
            matches!(train(&data, &config), Err(Error::InvalidParameter { .. })),
            "{config:?}"
        );
    }
    let one_class = Dataset::from_row_major(&[1.0, 2.0, 3.0], 3, 1, &[1.0, 1.0, 1.0]).unwrap();
    assert_eq!(
        train(&one_class, &TrainConfig::default()).unwrap_err(),
        Error::MissingClass {
            class: 0,
            n_classes: 2
        }
    );
    // Without an intercept and with λ > 0 one class has a finite optimum and is allowed.
    assert!(train(
        &one_class,
        &TrainConfig {
            fit_intercept: false,
            ..TrainConfig::default()
        }
    )
    .is_ok());
    let empty = Dataset::from_row_major(&[], 0, 2, &[]).unwrap();
    assert!(matches!(
        train(&empty, &TrainConfig::default()),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        train_test_split(10, -0.1, 1),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(prepare(&data, 0.99, 1), Err(Error::Empty { .. })));
}

#[test]
fn singular_hessian_and_divergence_are_errors_not_panics() {
    // λ = 0 and a feature that is zero everywhere: the Hessian is singular, so Newton's step is
    // damped (Levenberg–Marquardt) and the feature keeps weight 0.
    let x = [
        1.0, 0.0, -1.0, 0.0, 0.5, 0.0, -0.5, 0.0, 2.0, 0.0, -2.0, 0.0,
    ];
    let data = Dataset::from_row_major(&x, 6, 2, &[1.0, 0.0, 0.0, 1.0, 1.0, 0.0]).unwrap();
    let (model, report) = train(
        &data,
        &TrainConfig {
            l2: 0.0,
            ..TrainConfig::default()
        },
    )
    .unwrap();
    assert_eq!(model.coef()[1], 0.0);
    assert!(report.grad_norm <= 1e-10);
    // λ = 0 on separable data: the optimum is at infinity, and "converged" weights would be
    // arbitrary. It is refused, with the reason.
    let separable =
        Dataset::from_row_major(&[-2.0, -1.0, 1.0, 2.0], 4, 1, &[0.0, 0.0, 1.0, 1.0]).unwrap();
    let err = train(
        &separable,
        &TrainConfig {
            l2: 0.0,
            ..TrainConfig::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::NoFiniteOptimum {
            separated_rows: 4,
            n_rows: 4,
            l2: 0.0
        }
    );
    assert!(err.to_string().contains("use λ > 0"), "{err}");
    // With a one-iteration budget the same fit reports that it did not converge.
    let err = train(
        &separable,
        &TrainConfig {
            l2: 0.0,
            max_iter: 1,
            ..TrainConfig::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::DidNotConverge { iterations: 1, .. }),
        "{err}"
    );
}

#[test]
fn failed_requests_leave_the_experiment_usable() {
    let experiment = Experiment::new(
        overlapping(),
        overlapping(),
        TrainConfig::default(),
        &mut Silent,
    )
    .unwrap();
    let before = experiment.model().clone();
    let good = Edit {
        remove: vec![2],
        ..Edit::default()
    };
    let reference = experiment
        .compare(&good, &options(), &mut no_clock())
        .unwrap();
    let bad_edits = [
        Edit {
            features: vec![2],
            ..Edit::default()
        },
        Edit {
            remove: vec![8],
            ..Edit::default()
        },
        Edit {
            relabel: vec![(9, 1.0)],
            ..Edit::default()
        },
        Edit {
            relabel: vec![(1, 0.5)],
            ..Edit::default()
        },
        Edit {
            relabel: vec![(1, 1.0), (1, 0.0)],
            ..Edit::default()
        },
        Edit {
            features: vec![0],
            feature_value: f64::NAN,
            ..Edit::default()
        },
        // Removing every positive row leaves one class: retraining has no finite optimum.
        Edit {
            remove: vec![0, 3, 4, 7],
            ..Edit::default()
        },
        // Removing everything.
        Edit {
            remove: (0..8).collect(),
            ..Edit::default()
        },
    ];
    for edit in &bad_edits {
        let err = experiment
            .compare(edit, &options(), &mut no_clock())
            .unwrap_err();
        assert!(!err.to_string().is_empty());
        assert_eq!(experiment.model(), &before, "{edit:?}");
    }
    let bad_tau = CompareOptions {
        settings: unlearn::UpdateSettings {
            tau: -1.0,
            ..Default::default()
        },
        ..options()
    };
    assert!(matches!(
        experiment.compare(&good, &bad_tau, &mut no_clock()),
        Err(Error::InvalidParameter { .. })
    ));
    let again = experiment
        .compare(&good, &options(), &mut no_clock())
        .unwrap();
    assert_eq!(again, reference);
}

#[test]
fn non_positive_definite_hessian_on_edited_data_is_reported() {
    // λ = 0 trains fine on full-rank data, but zeroing a feature makes H̃ singular: the
    // second-order update fails with a clear message, the other methods are still reported.
    let experiment = Experiment::new(
        overlapping(),
        overlapping(),
        TrainConfig {
            l2: 0.0,
            ..TrainConfig::default()
        },
        &mut Silent,
    )
    .unwrap();
    let c = experiment
        .compare(
            &Edit {
                features: vec![1],
                ..Edit::default()
            },
            &options(),
            &mut no_clock(),
        )
        .unwrap();
    let failure = &c.failures[0];
    assert_eq!(failure.method, unlearn::Method::SecondOrder);
    assert!(
        matches!(failure.error, Error::IllConditioned { .. }),
        "{}",
        failure.error
    );
    let message = failure.error.to_string();
    assert!(message.contains("flattest along feature 1"), "{message}");
    assert!(message.contains("use λ > 0"), "{message}");
    assert!(c.outcome(unlearn::Method::FirstOrder).is_some());
    assert!(c.outcome(unlearn::Method::Retrain).is_some());
}

#[test]
fn extreme_margins_stay_finite() {
    // Features of size 1e3 push margins far past where a naive sigmoid overflows.
    let x: Vec<f64> = (0..20).map(|i| (i as f64 - 9.5) * 100.0).collect();
    let y: Vec<f64> = (0..20).map(|i| f64::from(i % 3 == 0 || i > 12)).collect();
    let data = Dataset::from_row_major(&x, 20, 1, &y).unwrap();
    let (model, report) = train(
        &data,
        &TrainConfig {
            l2: 1e-3,
            ..TrainConfig::default()
        },
    )
    .unwrap();
    assert!(model.theta().iter().all(|v| v.is_finite()));
    assert!(report.grad_norm <= 1e-10);
    let loss = TrainConfig::default()
        .objective()
        .loss(&data, &nalgebra::DVector::from_vec(vec![50.0, 0.0]));
    assert!(loss.is_finite() && loss > 0.0);
}
