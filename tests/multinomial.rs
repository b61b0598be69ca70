//! The multinomial (softmax) model against the independent numpy / scikit-learn implementation
//! (tests/fixtures/multinomial.json, scripts/make_fixtures_multinomial.py): θ* within 1e-6 of
//! scikit-learn's multinomial `LogisticRegression`, every update within 1e-8 of numpy,
//! residuals within 1e-8 relative or 1e-10 absolute. θ = [W row by row; centred intercepts].

mod common;

use common::*;
use serde_json::Value;
use unlearn::prepare::prepare;
use unlearn::train::Silent;
use unlearn::{CompareOptions, Experiment, Method, TrainConfig, UpdateSettings};

fn check_block(block: &Value, experiment: &Experiment) {
    let name = block["name"].as_str().unwrap();
    let theta = experiment.model().theta();
    assert_close(
        &format!("{name} θ*"),
        theta,
        &vector(&block["theta_star"]),
        1e-8,
    );
    assert_close(
        &format!("{name} θ* vs scikit-learn"),
        theta,
        &vector(&block["theta_sklearn"]),
        1e-6,
    );
    let intercepts: f64 = experiment.model().intercepts().iter().sum();
    assert!(
        intercepts.abs() < 1e-10,
        "{name}: intercepts are centred ({intercepts:e})"
    );
    let options = CompareOptions {
        settings: UpdateSettings {
            tau: num(&block["tau"]),
            ..UpdateSettings::default()
        },
        methods: vec![
            Method::Lazy,
            Method::FirstOrder,
            Method::SecondOrder,
            Method::HessianOnD,
            Method::Retrain,
        ],
        min_timing_seconds: 0.0,
    };
    for case in block["cases"].as_array().unwrap() {
        let label = format!("{name}/{}", case["name"].as_str().unwrap());
        let c = experiment
            .compare(&edit(&case["edit"]), &options, &mut no_clock())
            .unwrap();
        assert_eq!(c.affected, indices(&case["affected_rows"]), "{label}");
        assert_close(
            &format!("{label} G"),
            &c.gradient_difference,
            &vector(&case["gradient_difference"]),
            1e-8,
        );
        for method in options.methods.iter().copied() {
            let key = method.key();
            let outcome = c
                .outcome(method)
                .unwrap_or_else(|| panic!("{label} {key}: {:?}", c.failures));
            let what = format!("{label} {key}");
            assert_outcome(&what, outcome, case, key, 1e-8);
        }
    }
}

fn config(block: &Value) -> TrainConfig {
    TrainConfig {
        l2: num(&block["l2"]),
        tol: 1e-12,
        ..TrainConfig::default()
    }
}

#[test]
fn toy_three_classes_match_numpy_and_sklearn() {
    let block = &fixture("multinomial.json")["blocks"][0];
    let k = block["n_classes"].as_u64().unwrap() as usize;
    let train = dataset_with_classes(&block["x_train"], &block["y_train"], k);
    let test = dataset_with_classes(&block["x_test"], &block["y_test"], k);
    check_block(
        block,
        &Experiment::new(train, test, config(block), &mut Silent).unwrap(),
    );
}

#[test]
fn digits_match_numpy_and_sklearn() {
    let block = &fixture("multinomial.json")["blocks"][1];
    let prepared = prepare(&digits(), 0.2, 42).unwrap();
    assert_eq!(prepared.split.train, indices(&block["split"]["train_idx"]));
    let check = &block["data_check"];
    assert_close(
        "first training row",
        &prepared.train.x().row(0).transpose(),
        &vector(&check["x_train_0"]),
        1e-12,
    );
    check_block(
        block,
        &Experiment::new(prepared.train, prepared.test, config(block), &mut Silent).unwrap(),
    );
}
