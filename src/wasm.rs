//! The JavaScript boundary: the only module that names wasm-bindgen, js-sys, web-sys,
//! serde-wasm-bindgen or getrandom. Each export converts, calls the core, converts back; every
//! failure becomes a JS `Error` whose message says what, where and how to fix it.
//!
//! Matrices cross the boundary as row-major `Float64Array`s with their row count (n × d), the
//! layout of a table; nalgebra is column-major inside.

use js_sys::Reflect;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::data::{matrix_from_row_major, prepare, Dataset, Split};
use crate::edit::Edit;
use crate::experiment::{CompareOptions, Comparison, Experiment, MethodOutcome};
use crate::method::Method;
use crate::metrics::TestMetrics;
use crate::rng::sample_indices;
use crate::train::TrainConfig;

const TRAIN_KEYS: &[&str] = &[
    "l2",
    "fitIntercept",
    "tol",
    "maxIter",
    "testFraction",
    "seed",
];
const EDIT_KEYS: &[&str] = &["features", "featureValue", "cells", "relabel", "remove"];
const COMPARE_KEYS: &[&str] = &[
    "tau",
    "methods",
    "steps",
    "fineTuneRate",
    "batchSize",
    "exactTarget",
    "exactMaxIter",
    "minTimingSeconds",
];

/// Training options from JS; every field optional.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct TrainOptions {
    l2: f64,
    fit_intercept: bool,
    tol: f64,
    max_iter: usize,
    test_fraction: f64,
    seed: f64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        let config = TrainConfig::default();
        Self {
            l2: config.l2,
            fit_intercept: config.fit_intercept,
            tol: config.tol,
            max_iter: config.max_iter,
            test_fraction: 0.2,
            seed: 42.0,
        }
    }
}

impl TrainOptions {
    fn config(&self) -> TrainConfig {
        TrainConfig {
            l2: self.l2,
            fit_intercept: self.fit_intercept,
            tol: self.tol,
            max_iter: self.max_iter,
            ..TrainConfig::default()
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct EditInput {
    features: Vec<f64>,
    feature_value: f64,
    cells: Vec<(f64, f64, f64)>,
    relabel: Vec<(f64, f64)>,
    remove: Vec<f64>,
}

impl EditInput {
    /// The core edit; JS numbers become indices only if they are whole and non-negative.
    fn into_edit(self) -> Result<Edit, JsError> {
        let rows: Vec<f64> = self.relabel.iter().map(|&(row, _)| row).collect();
        let relabel_rows = indices("edit.relabel (row)", &rows)?;
        let cell_rows: Vec<f64> = self.cells.iter().map(|&(row, _, _)| row).collect();
        let cell_cols: Vec<f64> = self.cells.iter().map(|&(_, col, _)| col).collect();
        let cells = indices("edit.cells (row)", &cell_rows)?
            .into_iter()
            .zip(indices("edit.cells (feature)", &cell_cols)?)
            .zip(self.cells.iter().map(|&(_, _, value)| value))
            .map(|((row, col), value)| (row, col, value))
            .collect();
        Ok(Edit {
            features: indices("edit.features", &self.features)?,
            feature_value: self.feature_value,
            cells,
            relabel: relabel_rows
                .into_iter()
                .zip(self.relabel.iter().map(|&(_, label)| label))
                .collect(),
            remove: indices("edit.remove", &self.remove)?,
        })
    }
}

fn indices(what: &str, values: &[f64]) -> Result<Vec<usize>, JsError> {
    values
        .iter()
        .enumerate()
        .map(|(k, &v)| {
            if v.fract() == 0.0 && (0.0..4_294_967_296.0).contains(&v) {
                Ok(v as usize)
            } else {
                Err(JsError::new(&format!(
                    "{what}[{k}] = {v} is not an index: expected a whole number ≥ 0"
                )))
            }
        })
        .collect()
}

impl Default for EditInput {
    fn default() -> Self {
        Self {
            features: Vec::new(),
            feature_value: 0.0,
            cells: Vec::new(),
            relabel: Vec::new(),
            remove: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct CompareInput {
    tau: f64,
    methods: Option<Vec<String>>,
    steps: usize,
    fine_tune_rate: Option<f64>,
    batch_size: usize,
    exact_target: Option<f64>,
    exact_max_iter: usize,
    min_timing_seconds: f64,
}

impl Default for CompareInput {
    fn default() -> Self {
        let options = CompareOptions::default();
        Self {
            tau: options.tau,
            methods: None,
            steps: options.steps,
            fine_tune_rate: options.fine_tune_rate,
            batch_size: options.batch_size,
            exact_target: options.exact_target,
            exact_max_iter: options.exact_max_iter,
            min_timing_seconds: options.min_timing_seconds,
        }
    }
}

impl CompareInput {
    fn into_options(self) -> Result<CompareOptions, JsError> {
        let methods = match self.methods {
            None => Method::CORE.to_vec(),
            Some(names) => names
                .iter()
                .map(|name| Method::from_key(name))
                .collect::<Result<_, _>>()?,
        };
        Ok(CompareOptions {
            tau: self.tau,
            methods,
            steps: self.steps,
            fine_tune_rate: self.fine_tune_rate,
            batch_size: self.batch_size,
            exact_target: self.exact_target,
            exact_max_iter: self.exact_max_iter,
            min_timing_seconds: self.min_timing_seconds,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MethodView {
    method: &'static str,
    theta: Vec<f64>,
    distance_to_retrain: f64,
    residual: f64,
    accuracy: f64,
    log_loss: f64,
    agreement: f64,
    iterations: usize,
    seconds: f64,
    speedup: Option<f64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ComparisonView {
    affected: Vec<usize>,
    n_edited: usize,
    gradient_difference: Vec<f64>,
    reused_factor: bool,
    retrain_iterations: usize,
    retrain_grad_norm: f64,
    methods: Vec<MethodView>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrainView {
    iterations: usize,
    grad_norm: f64,
    test_accuracy: f64,
    test_log_loss: f64,
    n_train: usize,
    n_test: usize,
    n_features: usize,
}

/// A trained model with its training and test data, kept in wasm memory; JS holds the handle.
/// Call `free()` when done with it.
#[wasm_bindgen]
pub struct Session {
    experiment: Experiment,
    split: Option<Split>,
}

#[wasm_bindgen]
impl Session {
    /// Splits a raw table (row-major `x`, n × d; labels `y` in {0,1}) with a seeded shuffle,
    /// standardises on the training split, and trains. Options (all optional): `l2` (λ, 1),
    /// `fitIntercept` (true), `tol` (1e-10), `maxIter` (100), `testFraction` (0.2), `seed` (42).
    #[wasm_bindgen(js_name = fromTable)]
    pub fn from_table(
        x: &[f64],
        y: &[f64],
        n_features: usize,
        options: JsValue,
    ) -> Result<Session, JsError> {
        let options: TrainOptions = parse("options", options, TRAIN_KEYS)?;
        let n_rows = row_count(x.len(), n_features)?;
        let data = Dataset::from_row_major(x, n_rows, n_features, y)?;
        let prepared = prepare(&data, options.test_fraction, seed(options.seed)?)?;
        let experiment = Experiment::new(prepared.train, prepared.test, options.config())?;
        Ok(Session {
            experiment,
            split: Some(prepared.split),
        })
    }

    /// Trains on data that is already split and scaled: row-major `xTrain` (n × d) and
    /// `xTest` (m × d). Options as `fromTable` (`testFraction` and `seed` are ignored).
    #[wasm_bindgen(constructor)]
    pub fn new(
        x_train: &[f64],
        y_train: &[f64],
        x_test: &[f64],
        y_test: &[f64],
        n_features: usize,
        options: JsValue,
    ) -> Result<Session, JsError> {
        let options: TrainOptions = parse("options", options, TRAIN_KEYS)?;
        let train = Dataset::from_row_major(
            x_train,
            row_count(x_train.len(), n_features)?,
            n_features,
            y_train,
        )?;
        let test = Dataset::from_row_major(
            x_test,
            row_count(x_test.len(), n_features)?,
            n_features,
            y_test,
        )?;
        let experiment = Experiment::new(train, test, options.config())?;
        Ok(Session {
            experiment,
            split: None,
        })
    }

    /// The weights w, d entries (scikit-learn `coef_`).
    #[wasm_bindgen(getter)]
    pub fn coef(&self) -> Vec<f64> {
        self.experiment.model().coef().to_vec()
    }

    /// The intercept b (0 when not fitted; scikit-learn `intercept_`).
    #[wasm_bindgen(getter)]
    pub fn intercept(&self) -> f64 {
        self.experiment.model().intercept()
    }

    /// θ = [w; b] as one array.
    #[wasm_bindgen(getter)]
    pub fn theta(&self) -> Vec<f64> {
        self.experiment.model().theta().as_slice().to_vec()
    }

    /// Labels of the training rows, in training order.
    #[wasm_bindgen(getter, js_name = trainLabels)]
    pub fn train_labels(&self) -> Vec<f64> {
        self.experiment.train_data().y().as_slice().to_vec()
    }

    /// Original table rows of the training split (empty for the constructor).
    #[wasm_bindgen(getter, js_name = trainRows)]
    pub fn train_rows(&self) -> Vec<u32> {
        self.split_rows(|s| &s.train)
    }

    /// Original table rows of the test split (empty for the constructor).
    #[wasm_bindgen(getter, js_name = testRows)]
    pub fn test_rows(&self) -> Vec<u32> {
        self.split_rows(|s| &s.test)
    }

    /// `{iterations, gradNorm, testAccuracy, testLogLoss, nTrain, nTest, nFeatures}`.
    #[wasm_bindgen(js_name = trainReport)]
    pub fn train_report(&self) -> Result<JsValue, JsError> {
        let report = self.experiment.report();
        let metrics: TestMetrics = self.experiment.test_metrics();
        to_js(&TrainView {
            iterations: report.iterations,
            grad_norm: report.grad_norm,
            test_accuracy: metrics.accuracy,
            test_log_loss: metrics.log_loss,
            n_train: self.experiment.train_data().n_samples(),
            n_test: self.experiment.test_data().n_samples(),
            n_features: self.experiment.train_data().n_features(),
        })
    }

    /// P(y = 1 | x) for row-major `x` (n × d, in the model's standardised units).
    #[wasm_bindgen(js_name = predictProba)]
    pub fn predict_proba(&self, x: &[f64]) -> Result<Vec<f64>, JsError> {
        let model = self.experiment.model();
        let x = matrix_from_row_major(
            x,
            row_count(x.len(), model.n_features())?,
            model.n_features(),
        )?;
        Ok(model.predict_proba(&x)?.as_slice().to_vec())
    }

    /// Applies an edit `{features, featureValue, relabel: [[row, label], …], remove}` with every
    /// method (lazy, first-order, second-order, warm and cold retraining) and reports each.
    /// Options: `tau` (1e-3), `minTimingSeconds` (0.002). The session is not changed.
    pub fn compare(&self, edit: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let edit: EditInput = parse("edit", edit, EDIT_KEYS)?;
        let options: CompareInput = parse("compare options", options, COMPARE_KEYS)?;
        let edit = edit.into_edit()?;
        let options = options.into_options()?;
        let comparison = self.experiment.compare(&edit, &options, &mut now_seconds)?;
        to_js(&comparison_view(&comparison))
    }
}

impl Session {
    fn split_rows(&self, part: impl Fn(&Split) -> &Vec<usize>) -> Vec<u32> {
        self.split
            .as_ref()
            .map(|s| part(s).iter().map(|&i| i as u32).collect())
            .unwrap_or_default()
    }
}

/// `k` distinct sorted indices from `0..n`, chosen reproducibly by `seed` (SplitMix64).
#[wasm_bindgen(js_name = sampleRows)]
pub fn sample_rows(n: usize, k: usize, seed: f64) -> Result<Vec<u32>, JsError> {
    let rows = sample_indices(n, k, self::seed(seed)?);
    Ok(rows.into_iter().map(|i| i as u32).collect())
}

/// A fresh random seed from the platform's generator (crypto.getRandomValues).
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<u32, JsError> {
    getrandom::u32().map_err(|e| JsError::new(&format!("randomSeed: {e}")))
}

fn comparison_view(c: &Comparison) -> ComparisonView {
    ComparisonView {
        affected: c.affected.clone(),
        n_edited: c.n_edited,
        gradient_difference: c.gradient_difference.as_slice().to_vec(),
        reused_factor: c.reused_factor,
        retrain_iterations: c.retrain_report.iterations,
        retrain_grad_norm: c.retrain_report.grad_norm,
        methods: c.outcomes.iter().map(method_view).collect(),
    }
}

fn method_view(o: &MethodOutcome) -> MethodView {
    MethodView {
        method: o.method.key(),
        theta: o.theta.as_slice().to_vec(),
        distance_to_retrain: o.distance_to_retrain,
        residual: o.residual,
        accuracy: o.test.accuracy,
        log_loss: o.test.log_loss,
        agreement: o.test.agreement,
        iterations: o.iterations,
        seconds: o.seconds,
        speedup: o.speedup,
    }
}

/// Reads an options object; `undefined`/`null` give the defaults. Unknown keys are refused so a
/// typo (`lambda` for `l2`) is reported instead of silently ignored.
fn parse<T: for<'de> Deserialize<'de> + Default>(
    what: &str,
    value: JsValue,
    allowed: &[&str],
) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    let shape = || format!("expected an object with keys {}", allowed.join(", "));
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(JsError::new(&format!("{what}: {}", shape())));
    }
    for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !allowed.contains(&key.as_str()) {
            return Err(JsError::new(&format!(
                "{what}: unknown key `{key}`; {}",
                shape()
            )));
        }
    }
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| JsError::new(&format!("{what}: {}; {}", strip_error_prefix(&e), shape())))
}

fn strip_error_prefix(e: &serde_wasm_bindgen::Error) -> String {
    let text = e.to_string();
    text.strip_prefix("Error: ").unwrap_or(&text).to_owned()
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("result conversion: {e}")))
}

fn row_count(len: usize, n_features: usize) -> Result<usize, JsError> {
    if n_features == 0 || len % n_features != 0 {
        return Err(JsError::new(&format!(
            "features: {len} values cannot be split into rows of {n_features} features; \
             pass a row-major array of n × d numbers and d ≥ 1"
        )));
    }
    Ok(len / n_features)
}

fn seed(value: f64) -> Result<u64, JsError> {
    if value.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&value) {
        Ok(value as u64)
    } else {
        Err(JsError::new(&format!(
            "seed = {value} is invalid: expected a whole number from 0 to 2^53 − 1"
        )))
    }
}

/// `performance.now()` in seconds; works in windows, workers and Node (no `window` needed).
fn now_seconds() -> f64 {
    let performance = Reflect::get(&js_sys::global(), &JsValue::from_str("performance"));
    let millis = match performance {
        Ok(p) if p.is_object() => p.unchecked_into::<web_sys::Performance>().now(),
        _ => js_sys::Date::now(),
    };
    millis / 1000.0
}
