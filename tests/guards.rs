//! The guards of the request pipeline, through every Rust entry point: the cases of
//! tests/guards/cases.json (shared with the wasm and npm suites) are refused by training, by
//! every method of a sequential request, by the comparison and by the hedging path, with the
//! message the table names — never answered with a finite model.

mod common;

use common::*;
use serde_json::Value;
use unlearn::experiment::CompareOptions;
use unlearn::train::Silent;
use unlearn::{
    train, Dataset, Edit, Experiment, Method, RequestOptions, TrainConfig, Unlearner,
    UnlearnerConfig, UpdateSettings,
};

fn cases() -> Vec<Value> {
    let path = root().join("tests").join("guards").join("cases.json");
    let text = std::fs::read_to_string(path).unwrap();
    let table: Value = serde_json::from_str(&text).unwrap();
    table["cases"].as_array().unwrap().clone()
}

fn data(case: &Value) -> Dataset {
    let y = vector(&case["y"]);
    let k = y.iter().fold(0.0f64, |a, &b| a.max(b)) as usize + 1;
    Dataset::with_classes(matrix(&case["x"]), y, k.max(2)).unwrap()
}

fn config(case: &Value) -> TrainConfig {
    TrainConfig {
        l2: case["train"]["l2"].as_f64().unwrap_or(1.0),
        ..TrainConfig::default()
    }
}

fn edit_of(case: &Value) -> Edit {
    let e = &case["edit"];
    let pairs = |key: &str| -> Vec<(usize, f64)> {
        e[key].as_array().map_or(Vec::new(), |a| {
            a.iter()
                .map(|p| (p[0].as_u64().unwrap() as usize, num(&p[1])))
                .collect()
        })
    };
    Edit {
        features: e["features"]
            .as_array()
            .map_or(Vec::new(), |_| indices(&e["features"])),
        feature_value: e["featureValue"].as_f64().unwrap_or(0.0),
        relabel: pairs("relabel"),
        remove: e["remove"]
            .as_array()
            .map_or(Vec::new(), |_| indices(&e["remove"])),
        ..Edit::default()
    }
}

#[track_caller]
fn assert_refused<T: std::fmt::Debug>(case: &Value, path: &str, result: unlearn::Result<T>) {
    let name = case["name"].as_str().unwrap();
    let message = match result {
        Ok(value) => panic!("{name}, {path}: answered {value:?} instead of refusing"),
        Err(e) => e.to_string(),
    };
    for part in case["message"].as_array().unwrap() {
        let part = part.as_str().unwrap();
        assert!(
            message.contains(part),
            "{name}, {path}: {message:?} lacks {part:?}"
        );
    }
}

fn clock() -> impl FnMut() -> f64 {
    let start = std::time::Instant::now();
    move || start.elapsed().as_secs_f64()
}

fn all_methods() -> CompareOptions {
    CompareOptions {
        methods: Method::ALL.to_vec(),
        min_timing_seconds: 0.0,
        ..CompareOptions::default()
    }
}

#[test]
fn every_case_is_refused_on_every_path() {
    for case in cases() {
        let (data, config) = (data(&case), config(&case));
        let unlearner_config = UnlearnerConfig {
            train: config,
            ..UnlearnerConfig::default()
        };
        match case["at"].as_str().unwrap() {
            "fit" => {
                assert_refused(&case, "train", train(&data, &config));
                assert_refused(
                    &case,
                    "Experiment::new",
                    Experiment::new(data.clone(), data.clone(), config, &mut Silent),
                );
                assert_refused(
                    &case,
                    "Unlearner::fit",
                    Unlearner::fit(data, unlearner_config, &mut Silent),
                );
            }
            "request" => {
                let edit = edit_of(&case);
                let experiment =
                    Experiment::new(data.clone(), data.clone(), config, &mut Silent).unwrap();
                assert_refused(
                    &case,
                    "compare",
                    experiment.compare(&edit, &all_methods(), &mut clock()),
                );
                let path = experiment.hedging_path(
                    &edit,
                    &UpdateSettings::default(),
                    &[0.0, 0.5, 1.0],
                    &mut Silent,
                );
                assert_refused(&case, "hedging path", path);
                let fitted = Unlearner::fit(data, unlearner_config, &mut Silent).unwrap();
                for method in Method::ALL {
                    let mut u = fitted.clone();
                    let options = RequestOptions {
                        method,
                        ..RequestOptions::default()
                    };
                    assert_refused(&case, method.key(), u.request(&edit, &options));
                    assert_eq!(
                        u.model(),
                        fitted.model(),
                        "a refused request changes nothing"
                    );
                }
            }
            "second_order" => {
                let edit = edit_of(&case);
                let fitted = Unlearner::fit(data.clone(), unlearner_config, &mut Silent).unwrap();
                let mut u = fitted.clone();
                assert_refused(
                    &case,
                    "second_order",
                    u.request(&edit, &RequestOptions::default()),
                );
                // The methods that need no Hessian still work, and say that none is kept.
                for method in [Method::Lazy, Method::FirstOrder, Method::FineTune] {
                    let options = RequestOptions {
                        method,
                        ..RequestOptions::default()
                    };
                    let report = fitted.clone().request(&edit, &options).unwrap();
                    let kept = report
                        .warnings
                        .iter()
                        .any(|w| w.contains("no Hessian factor is kept"));
                    assert!(kept, "{method:?}: {:?}", report.warnings);
                }
                let experiment = Experiment::new(data.clone(), data, config, &mut Silent).unwrap();
                let comparison = experiment
                    .compare(&edit, &all_methods(), &mut clock())
                    .unwrap();
                let failure = comparison
                    .failures
                    .iter()
                    .find(|f| f.method == Method::SecondOrder)
                    .expect("the second-order update fails in the comparison");
                assert_refused::<()>(&case, "compare, second_order", Err(failure.error.clone()));
                assert!(
                    comparison.outcome(Method::Retrain).is_some(),
                    "the others are reported"
                );
            }
            other => panic!("unknown `at`: {other}"),
        }
    }
}
