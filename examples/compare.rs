//! Runs the demo's pipeline natively and prints the comparison as JSON (the same keys as the
//! browser's `Session.compare`), so the browser test can check the page against the Rust core.
//!
//! ```text
//! cargo run --release --example compare -- www/data/breast_cancer.csv \
//!     '{"features":[0,1],"relabel":[[5,1]],"remove":[]}' [l2] [tau] [seed] [test_fraction] \
//!     [methods, comma-separated, e.g. lazy,second_order,exact] [steps]
//! ```
//! The CSV has a header, numeric feature columns, and the 0/1 label last.

use std::time::Instant;

use serde::Deserialize;
use serde_json::{json, Value};
use unlearn::data::Dataset;
use unlearn::prepare::prepare;
use unlearn::train::Silent;
use unlearn::{CompareOptions, Edit, Experiment, Method, TrainConfig, UpdateSettings};

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct EditJson {
    features: Vec<usize>,
    feature_value: f64,
    feature_values: Vec<(usize, f64)>,
    cells: Vec<(usize, usize, f64)>,
    relabel: Vec<(usize, f64)>,
    remove: Vec<usize>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: &str| args.get(i).cloned().unwrap_or_else(|| default.into());
    let csv_path = arg(0, "www/data/breast_cancer.csv");
    let edit: EditJson = serde_json::from_str(&arg(1, "{}"))?;
    let l2: f64 = arg(2, "1").parse()?;
    let tau: f64 = arg(3, "0.001").parse()?;
    let seed: u64 = arg(4, "42").parse()?;
    let test_fraction: f64 = arg(5, "0.2").parse()?;
    let methods = match args.get(6) {
        Some(list) => list
            .split(',')
            .map(Method::from_key)
            .collect::<Result<Vec<_>, _>>()?,
        None => Method::CORE.to_vec(),
    };
    let steps: usize = arg(7, "10").parse()?;

    let data = read_csv(&csv_path)?;
    let prepared = prepare(&data, test_fraction, seed)?;
    let config = TrainConfig {
        l2,
        ..TrainConfig::default()
    };
    let experiment = Experiment::new(prepared.train, prepared.test, config, &mut Silent)?;
    let edit = Edit {
        features: edit.features,
        feature_value: edit.feature_value,
        feature_values: edit.feature_values,
        cells: edit.cells,
        relabel: edit.relabel,
        remove: edit.remove,
    };
    let start = Instant::now();
    let mut clock = || start.elapsed().as_secs_f64();
    let options = CompareOptions {
        settings: UpdateSettings {
            tau,
            steps,
            ..UpdateSettings::default()
        },
        methods,
        ..CompareOptions::default()
    };
    let comparison = experiment.compare(&edit, &options, &mut clock)?;

    let train = experiment.test_metrics();
    let methods: Vec<Value> = comparison
        .outcomes
        .iter()
        .map(|o| {
            json!({
                "method": o.method.key(),
                "theta": o.theta.as_slice(),
                "distanceToRetrain": o.distance_to_retrain,
                "residual": o.residual,
                "accuracy": o.test.accuracy,
                "logLoss": o.test.log_loss,
                "agreement": o.test.agreement,
                "iterations": o.iterations,
                "seconds": o.seconds,
            })
        })
        .chain(
            comparison
                .failures
                .iter()
                .map(|f| json!({ "method": f.method.key(), "error": f.error.to_string() })),
        )
        .collect();
    let out = json!({
        "train": {
            "theta": experiment.model().theta().as_slice(),
            "iterations": experiment.report().iterations,
            "gradNorm": experiment.report().grad_norm,
            "testAccuracy": train.accuracy,
            "testLogLoss": train.log_loss,
            "trainRows": prepared.split.train,
        },
        "affected": comparison.affected,
        "nEdited": comparison.n_edited,
        "gradientDifference": comparison.gradient_difference.as_slice(),
        "methods": methods,
        "warnings": comparison.warnings,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

/// Header row, numeric features, label last.
fn read_csv(path: &str) -> Result<Dataset, Box<dyn std::error::Error>> {
    let mut reader = csv::Reader::from_path(path)?;
    let mut values = Vec::new();
    let mut labels = Vec::new();
    let mut n_features = 0;
    for record in reader.records() {
        let record = record?;
        let row: Vec<f64> = record.iter().map(str::parse).collect::<Result<_, _>>()?;
        let (label, features) = row.split_last().ok_or("empty CSV row")?;
        n_features = features.len();
        values.extend_from_slice(features);
        labels.push(*label);
    }
    Ok(Dataset::from_row_major(
        &values,
        labels.len(),
        n_features,
        &labels,
    )?)
}
