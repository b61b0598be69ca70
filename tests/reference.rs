//! The crate against an independent numpy / scikit-learn implementation
//! (tests/fixtures, written by scripts/make_fixtures.py; tolerances from tests/fixtures/README.md):
//! θ* within 1e-6 of scikit-learn and 1e-8 of numpy Newton; G, first-order, second-order and
//! retrained θ within 1e-8; residuals within 1e-8 relative or 1e-10 absolute.

mod common;

use common::*;
use serde_json::Value;
use unlearn::prepare::prepare;
use unlearn::train::Silent;
use unlearn::{CompareOptions, Experiment, Method, TrainConfig, UpdateSettings};

const THETA_TOL: f64 = 1e-8;
const SKLEARN_TOL: f64 = 1e-6;

fn config(block: &Value) -> TrainConfig {
    TrainConfig {
        l2: num(&block["l2"]),
        fit_intercept: block["fit_intercept"].as_bool().unwrap(),
        tol: 1e-12,
        ..TrainConfig::default()
    }
}

fn check_block(block: &Value, experiment: &Experiment) {
    let name = block["name"].as_str().unwrap();
    let theta = experiment.model().theta();
    assert_close(
        &format!("{name}: θ* vs numpy"),
        theta,
        &vector(&block["theta_star"]),
        THETA_TOL,
    );
    assert_close(
        &format!("{name}: θ* vs scikit-learn"),
        theta,
        &vector(&block["theta_sklearn"]),
        SKLEARN_TOL,
    );
    let metrics = experiment.test_metrics();
    assert_scalar(
        "train accuracy",
        metrics.accuracy,
        num(&block["train_metrics"]["test_accuracy"]),
        0.0,
        1e-12,
    );
    assert_scalar(
        "train log-loss",
        metrics.log_loss,
        num(&block["train_metrics"]["test_log_loss"]),
        1e-8,
        1e-10,
    );

    let options = CompareOptions {
        settings: UpdateSettings {
            tau: num(&block["tau"]),
            ..UpdateSettings::default()
        },
        min_timing_seconds: 0.0,
        ..CompareOptions::default()
    };
    for case in block["cases"].as_array().unwrap() {
        let label = format!("{name}/{}", case["name"].as_str().unwrap());
        let comparison = experiment
            .compare(&edit(&case["edit"]), &options, &mut no_clock())
            .unwrap();
        assert_eq!(
            comparison.affected,
            indices(&case["affected_rows"]),
            "{label}: affected rows"
        );
        assert_eq!(
            comparison.n_edited as u64,
            case["n_edited"].as_u64().unwrap(),
            "{label}: n_edited"
        );
        assert_close(
            &format!("{label}: G"),
            &comparison.gradient_difference,
            &vector(&case["gradient_difference"]),
            THETA_TOL,
        );
        for (method, key) in [
            (Method::Lazy, "lazy"),
            (Method::FirstOrder, "first_order"),
            (Method::SecondOrder, "second_order"),
            (Method::Retrain, "retrain"),
            (Method::RetrainWarm, "retrain"),
        ] {
            let outcome = comparison.outcome(method).unwrap();
            let what = format!("{label}: {}", method.key());
            assert_outcome(&what, outcome, case, key, THETA_TOL);
        }
    }
}

#[test]
fn toy_cases_match_numpy_and_sklearn() {
    for block in fixture("toy.json")["blocks"].as_array().unwrap() {
        let train = dataset(&block["x_train"], &block["y_train"]);
        let test = dataset(&block["x_test"], &block["y_test"]);
        let experiment = Experiment::new(train, test, config(block), &mut Silent).unwrap();
        check_block(block, &experiment);
    }
}

/// The fixture's split of Breast Cancer, made by `prepare` with the fixture's seed and fraction.
fn breast_cancer_split(block: &Value) -> (&Value, unlearn::prepare::PreparedData) {
    let split = &block["split"];
    let fraction = num(&split["test_fraction"]);
    let prepared = prepare(&breast_cancer(), fraction, split["seed"].as_u64().unwrap()).unwrap();
    (split, prepared)
}

#[test]
fn breast_cancer_split_and_standardisation_match_the_fixture() {
    let block = &fixture("breast_cancer.json")["blocks"][0];
    let (split, prepared) = breast_cancer_split(block);
    assert_eq!(prepared.split.train, indices(&split["train_idx"]));
    assert_eq!(prepared.split.test, indices(&split["test_idx"]));
    assert_close(
        "mean",
        &prepared.standardizer.mean,
        &vector(&block["standardizer"]["mean"]),
        1e-12,
    );
    assert_close(
        "scale",
        &prepared.standardizer.scale,
        &vector(&block["standardizer"]["scale"]),
        1e-12,
    );
    let x_train = matrix(&block["x_train"]);
    assert!(
        (prepared.train.x() - x_train).amax() < 1e-12,
        "standardised training rows"
    );

    let mut rng = unlearn::rng::SplitMix64::new(42);
    for want in split["splitmix64_seed42_first5"].as_array().unwrap() {
        assert_eq!(rng.next_u64().to_string(), want.as_str().unwrap());
    }
}

#[test]
fn breast_cancer_cases_match_numpy_and_sklearn() {
    let block = &fixture("breast_cancer.json")["blocks"][0];
    let (_, prepared) = breast_cancer_split(block);
    let experiment =
        Experiment::new(prepared.train, prepared.test, config(block), &mut Silent).unwrap();
    check_block(block, &experiment);
}

#[test]
fn default_tolerance_is_enough_for_the_fixture_precision() {
    // The demo trains with the default tol (1e-10), not the 1e-12 used above.
    let block = &fixture("breast_cancer.json")["blocks"][0];
    let prepared = prepare(&breast_cancer(), 0.2, 42).unwrap();
    let experiment = Experiment::new(
        prepared.train,
        prepared.test,
        TrainConfig::default(),
        &mut Silent,
    )
    .unwrap();
    assert_close(
        "θ* (default tol)",
        experiment.model().theta(),
        &vector(&block["theta_star"]),
        THETA_TOL,
    );
}
