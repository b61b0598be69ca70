//! Properties the paper's updates must have, on the digest's toy data and on random data
//! (proptest with a fixed seed, so CI is deterministic).

mod common;

use common::*;
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use unlearn::metrics::distance;
use unlearn::train::Silent;
use unlearn::{
    apply_edit, first_order_update, gradient_difference, second_order_update, train,
    CompareOptions, Dataset, Edit, Experiment, Method, TrainConfig, UpdateSettings,
};

/// Toy data A of the paper digest §6 (labels −1 → 0).
fn toy() -> Dataset {
    Dataset::from_row_major(
        &[
            1.0, 0.5, 0.0, 0.2, -1.0, 1.0, -0.5, 0.3, 0.8, 0.9, 0.9, -0.4, -1.0, -0.2, 0.5, 0.3,
            0.7, 0.6, 0.0, -0.6, -0.9, 0.6, -0.3, 0.2,
        ],
        8,
        3,
        &[1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0],
    )
    .unwrap()
}

fn toy_config() -> TrainConfig {
    TrainConfig {
        l2: 1.0,
        fit_intercept: false,
        tol: 1e-13,
        ..TrainConfig::default()
    }
}

fn theta(v: &[f64]) -> DVector<f64> {
    DVector::from_column_slice(v)
}

#[test]
fn digest_worked_cases_to_printed_precision() {
    // Digest §6, cases 1, 3, 4, 5 (numbers printed to 7 digits; so 5e-7 tolerance).
    let experiment = Experiment::new(toy(), toy(), toy_config(), &mut Silent).unwrap();
    assert_close(
        "θ*",
        experiment.model().theta(),
        &theta(&[-0.0617328, 0.4254502, -0.2114305]),
        5e-7,
    );
    let options = CompareOptions {
        settings: UpdateSettings {
            tau: 0.05,
            ..UpdateSettings::default()
        },
        min_timing_seconds: 0.0,
        ..CompareOptions::default()
    };
    let cases = [
        (
            Edit {
                relabel: vec![(0, 0.0), (3, 1.0)],
                ..Edit::default()
            },
            [-0.176177, 0.666638, -0.440393],
            1.531e-2,
        ),
        (
            Edit {
                features: vec![2],
                ..Edit::default()
            },
            [-0.0408551, 0.4293417, 0.0],
            1.958e-5,
        ),
        (
            Edit {
                remove: vec![4],
                ..Edit::default()
            },
            [-0.3424875, 0.4129163, -0.0869401],
            2.823e-3,
        ),
    ];
    for (edit, second, residual) in cases {
        let c = experiment
            .compare(&edit, &options, &mut no_clock())
            .unwrap();
        let outcome = c.outcome(Method::SecondOrder).unwrap();
        assert_close("second-order θ", &outcome.theta, &theta(&second), 5e-6);
        assert_scalar(
            "second-order residual",
            outcome.residual,
            residual,
            5e-4,
            0.0,
        );
    }
}

#[test]
fn empty_edit_returns_theta_star_bit_for_bit() {
    let experiment = Experiment::new(toy(), toy(), toy_config(), &mut Silent).unwrap();
    let star = experiment.model().theta().clone();
    // Naming a relabel to the same label, or a feature already at the value everywhere, is empty too.
    let same_label = Edit {
        relabel: vec![(0, 1.0)],
        ..Edit::default()
    };
    for edit in [Edit::default(), same_label] {
        let c = experiment
            .compare(
                &edit,
                &CompareOptions {
                    min_timing_seconds: 0.0,
                    ..Default::default()
                },
                &mut no_clock(),
            )
            .unwrap();
        assert!(c.affected.is_empty());
        assert_eq!(c.gradient_difference, DVector::zeros(3));
        for method in [Method::Lazy, Method::FirstOrder, Method::SecondOrder] {
            assert_eq!(c.outcome(method).unwrap().theta, star, "{}", method.key());
        }
    }
}

#[test]
fn label_flip_gradient_difference_is_sum_of_signed_rows_for_any_theta() {
    let data = toy();
    let objective = TrainConfig {
        fit_intercept: true,
        ..toy_config()
    }
    .objective();
    let edit = Edit {
        relabel: vec![(0, 0.0), (3, 1.0), (6, 0.0)],
        ..Edit::default()
    };
    let applied = apply_edit(&data, &edit).unwrap();
    // Flipping yᵢ changes ∇ℓ by (yᵢ − ỹᵢ)x̂ᵢ = sᵢx̂ᵢ with sᵢ = 2yᵢ − 1.
    let expected =
        [(0usize, 1.0), (3, -1.0), (6, 1.0)]
            .iter()
            .fold(DVector::zeros(4), |acc, &(i, s)| {
                let row = data.x().row(i);
                acc + DVector::from_iterator(4, row.iter().copied().chain([1.0])) * s
            });
    for t in [
        [0.0, 0.0, 0.0, 0.0],
        [3.0, -2.0, 0.5, 1.0],
        [-40.0, 7.0, 9.0, -3.0],
    ] {
        let g = gradient_difference(&objective, &applied.delta, &theta(&t));
        assert_close("G", &g, &expected, 1e-14);
    }
}

#[test]
fn fully_zeroed_column_gets_weight_zero_after_second_order() {
    let data = breast_cancer();
    let prepared = unlearn::prepare::prepare(&data, 0.2, 42).unwrap();
    let config = TrainConfig {
        tol: 1e-12,
        ..TrainConfig::default()
    };
    let (model, report) = train(&prepared.train, &config).unwrap();
    let objective = config.objective();
    for j in [0usize, 7, 29] {
        let edit = Edit {
            features: vec![j],
            ..Edit::default()
        };
        let applied = apply_edit(&prepared.train, &edit).unwrap();
        let g = gradient_difference(&objective, &applied.delta, model.theta());
        let updated = second_order_update(&objective, &applied.edited, model.theta(), &g).unwrap();
        // Exactly: w̃ⱼ = ∂ⱼL(θ*; D)/λ, which is 0 at the exact optimum; here |w̃ⱼ| ≤ ‖∇L(θ*)‖/λ.
        let grad = objective.gradient(&prepared.train, model.theta());
        assert_scalar("w̃ⱼ identity", updated[j], grad[j] / config.l2, 0.0, 1e-14);
        assert!(
            updated[j].abs() <= report.grad_norm / config.l2 + 1e-15,
            "w̃_{j} = {}",
            updated[j]
        );
    }
}

fn random_problem() -> impl Strategy<Value = (Dataset, usize, usize)> {
    (20usize..60, 2usize..6).prop_flat_map(|(n, d)| {
        (
            proptest::collection::vec(-2.0f64..2.0, n * d),
            proptest::collection::vec(-1.0f64..1.0, d),
            proptest::collection::vec(-1.0f64..1.0, n),
            0..n,
            0..d,
        )
            .prop_map(move |(x, w, noise, row, feature)| {
                let x = DMatrix::from_row_slice(n, d, &x);
                // Labels from a noisy linear rule, so both classes occur and the data overlap.
                let mut y: Vec<f64> = (0..n)
                    .map(|i| {
                        f64::from((x.row(i) * DVector::from_vec(w.clone()))[0] + noise[i] > 0.0)
                    })
                    .collect();
                y[0] = 0.0;
                y[1] = 1.0;
                (Dataset::new(x, DVector::from_vec(y)).unwrap(), row, feature)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, rng_seed: RngSeed::Fixed(20231), failure_persistence: None, ..ProptestConfig::default() })]

    /// For a small edit (one row removed, one label flipped or one feature zeroed), both
    /// updates land closer to retraining than the original model.
    #[test]
    fn small_edits_move_towards_retraining((data, row, feature) in random_problem(), kind in 0u8..3) {
        let config = TrainConfig { tol: 1e-12, ..TrainConfig::default() };
        let (model, _) = train(&data, &config).unwrap();
        let edit = match kind {
            0 if row > 1 => Edit { remove: vec![row], ..Edit::default() },
            1 if row > 1 => Edit { relabel: vec![(row, 1.0 - data.y()[row])], ..Edit::default() },
            _ => Edit { features: vec![feature], ..Edit::default() },
        };
        let applied = apply_edit(&data, &edit).unwrap();
        let objective = config.objective();
        let (retrained, _) = train(&applied.edited, &config).unwrap();
        let g = gradient_difference(&objective, &applied.delta, model.theta());
        // τ below 2/L, L = λ + ¼Σ‖x̂ᵢ‖² bounds the Hessian: a gradient step then always moves closer.
        let smoothness = config.l2 + 0.25 * data.x().rows(0, data.n_samples()).row_iter().map(|r| r.norm_squared() + 1.0).sum::<f64>();
        let first = first_order_update(model.theta(), &g, 1.0 / smoothness).unwrap();
        let second = second_order_update(&objective, &applied.edited, model.theta(), &g).unwrap();
        let lazy = distance(model.theta(), retrained.theta());
        prop_assume!(lazy > 1e-9);
        prop_assert!(distance(&first, retrained.theta()) < lazy);
        prop_assert!(distance(&second, retrained.theta()) < lazy);
    }
}
