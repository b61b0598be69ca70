//! Shared helpers for the native tests: fixture loading and tolerance checks.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use nalgebra::{DMatrix, DVector};
use serde_json::Value;
use unlearn::{Dataset, Edit};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture file from tests/fixtures (written by scripts/make_fixtures.py).
pub fn fixture(name: &str) -> Value {
    let path = root().join("tests").join("fixtures").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).expect("fixture is valid JSON")
}

pub fn vector(v: &Value) -> DVector<f64> {
    DVector::from_vec(v.as_array().expect("array").iter().map(num).collect())
}

pub fn indices(v: &Value) -> Vec<usize> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_u64().expect("index") as usize)
        .collect()
}

pub fn num(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

/// Rows of a JSON array of arrays as an n × d matrix.
pub fn matrix(v: &Value) -> DMatrix<f64> {
    let rows = v.as_array().expect("array of rows");
    let d = rows.first().and_then(|r| r.as_array()).map_or(0, Vec::len);
    let values: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(num))
        .collect();
    DMatrix::from_row_slice(rows.len(), d, &values)
}

pub fn dataset(x: &Value, y: &Value) -> Dataset {
    Dataset::new(matrix(x), vector(y)).expect("fixture data is valid")
}

/// A fixture table with K classes.
pub fn dataset_with_classes(x: &Value, y: &Value, n_classes: usize) -> Dataset {
    Dataset::with_classes(matrix(x), vector(y), n_classes).expect("fixture data is valid")
}

pub fn edit(v: &Value) -> Edit {
    Edit {
        features: indices(&v["features"]),
        feature_value: num(&v["feature_value"]),
        feature_values: Vec::new(),
        cells: v["cells"]
            .as_array()
            .map(|cells| {
                cells
                    .iter()
                    .map(|c| {
                        (
                            c[0].as_u64().unwrap() as usize,
                            c[1].as_u64().unwrap() as usize,
                            num(&c[2]),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        relabel: v["relabel"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_u64().unwrap() as usize, num(&p[1])))
            .collect(),
        remove: indices(&v["remove"]),
    }
}

/// Every coordinate within `tol` (absolute).
#[track_caller]
pub fn assert_close(what: &str, got: &DVector<f64>, want: &DVector<f64>, tol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let err = (got - want).amax();
    assert!(
        err <= tol,
        "{what}: max |Δ| = {err:.3e} > {tol:e}\n got  {got:?}\n want {want:?}"
    );
}

/// |got − want| ≤ max(abs, rel·|want|).
#[track_caller]
pub fn assert_scalar(what: &str, got: f64, want: f64, rel: f64, abs: f64) {
    let tol = abs.max(rel * want.abs());
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:e}, want {want:e} (tol {tol:e})"
    );
}

/// The bundled Breast Cancer CSV: header, 30 numeric columns, label `malignant` last.
pub fn breast_cancer() -> Dataset {
    read_csv(&root().join("www/data/breast_cancer.csv"))
}

/// The bundled digits CSV: header, 64 pixel columns, the digit (class 0–9) last.
pub fn digits() -> Dataset {
    read_csv_with_classes(&root().join("www/data/digits.csv"), 10)
}

pub fn read_csv(path: &Path) -> Dataset {
    read_csv_with_classes(path, 2)
}

pub fn read_csv_with_classes(path: &Path, n_classes: usize) -> Dataset {
    let mut reader = csv::Reader::from_path(path).expect("CSV opens");
    let (mut values, mut labels, mut d) = (Vec::new(), Vec::new(), 0);
    for record in reader.records() {
        let row: Vec<f64> = record.unwrap().iter().map(|s| s.parse().unwrap()).collect();
        let (label, features) = row.split_last().unwrap();
        d = features.len();
        values.extend_from_slice(features);
        labels.push(*label);
    }
    Dataset::from_row_major_with_classes(&values, labels.len(), d, &labels, n_classes).unwrap()
}

/// A clock for `Experiment::compare` in tests (timing is not under test here).
pub fn no_clock() -> impl FnMut() -> f64 {
    || 0.0
}

/// One method's outcome against its fixture case: θ, the residual and the test metrics, each
/// at the tolerance the fixtures state (θ at `theta_tol`).
#[track_caller]
pub fn assert_outcome(
    what: &str,
    outcome: &unlearn::MethodOutcome,
    case: &Value,
    key: &str,
    theta_tol: f64,
) {
    assert_close(
        what,
        &outcome.theta,
        &vector(&case["theta"][key]),
        theta_tol,
    );
    let residual = num(&case["residual"][key]);
    assert_scalar(
        &format!("{what} residual"),
        outcome.residual,
        residual,
        1e-8,
        1e-10,
    );
    let test = &case["test"][key];
    let metric = |name: &str, got: f64, field: &str, rel: f64, abs: f64| {
        assert_scalar(&format!("{what} {name}"), got, num(&test[field]), rel, abs)
    };
    metric("accuracy", outcome.test.accuracy, "accuracy", 0.0, 1e-12);
    metric("log-loss", outcome.test.log_loss, "log_loss", 1e-8, 1e-10);
    metric("agreement", outcome.test.agreement, "agreement", 0.0, 1e-12);
}
