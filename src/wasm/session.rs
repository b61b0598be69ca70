//! `Session`: a model trained on a split dataset, for side-by-side comparisons of every method
//! against retraining (what the demo's results table shows). Comparisons never change it.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::convert::{
    self, check_keys, edit, method, now_seconds, numbers, parse, pick, to_js, SETTINGS_KEYS,
    TRAIN_KEYS,
};
use super::prepared::{split, split_options, SPLIT_KEYS};
use crate::experiment::{CompareOptions, Comparison, Experiment, MethodFailure, MethodOutcome};
use crate::hedge::HedgePoint;
use crate::method::Method;
use crate::prepare::Split;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct CompareInput {
    methods: Option<Vec<String>>,
    min_timing_seconds: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct PathInput {
    epsilons: Option<Vec<f64>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PathPointView {
    epsilon: f64,
    exact: Vec<f64>,
    first_order: Vec<f64>,
    second_order: Vec<f64>,
    distance: [f64; 2],
    residual: [f64; 2],
    iterations: usize,
}

fn path_point_view(p: &HedgePoint) -> PathPointView {
    PathPointView {
        epsilon: p.epsilon,
        exact: p.exact.as_slice().to_vec(),
        first_order: p.first_order.as_slice().to_vec(),
        second_order: p.second_order.as_slice().to_vec(),
        distance: [p.distance.0, p.distance.1],
        residual: [p.residual.0, p.residual.1],
        iterations: p.iterations,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MethodView {
    method: &'static str,
    theta: Option<Vec<f64>>,
    distance_to_retrain: Option<f64>,
    residual: Option<f64>,
    accuracy: Option<f64>,
    log_loss: Option<f64>,
    agreement: Option<f64>,
    iterations: Option<usize>,
    seconds: Option<f64>,
    speedup: Option<f64>,
    error: Option<String>,
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
    warnings: Vec<String>,
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
    n_classes: usize,
    warnings: Vec<String>,
    constant_columns: Vec<usize>,
}

/// A trained model with its training and test data, kept in wasm memory; JS holds the handle.
/// Call `free()` when done with it.
#[wasm_bindgen]
pub struct Session {
    experiment: Experiment,
    split: Option<Split>,
    /// Columns constant on the training split, which standardising set to 0.
    constant_columns: Vec<usize>,
}

#[wasm_bindgen]
impl Session {
    /// Splits a raw table (row-major `x`, n × d; labels `y` in {0,1}) with a seeded shuffle,
    /// standardises on the training split, and trains. Options (all optional): `l2` (λ, 1),
    /// `fitIntercept` (true), `penalizeIntercept` (false), `l2Scaling` ("total"), `tol`
    /// (1e-10), `maxIter` (100), `testFraction` (0.2), `seed` (42), `unscaledColumns` ([]),
    /// `unitRows` (false: scale every standardised row to unit norm), `onProgress` (a function
    /// called with (iteration, ‖∇L‖) before each Newton step).
    #[wasm_bindgen(js_name = fromTable)]
    pub fn from_table(
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] x: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] y: JsValue,
        n_features: f64,
        options: JsValue,
    ) -> Result<Session, JsError> {
        let (x, y, n_features) = (
            numbers("x", &x)?,
            numbers("y", &y)?,
            convert::n_features(n_features)?,
        );
        let allowed = [TRAIN_KEYS, SPLIT_KEYS, &[convert::PROGRESS_KEY]].concat();
        check_keys("options", &options, &allowed)?;
        let callback = convert::progress(&options)?;
        let train = convert::train_config(&options)?;
        let split_options = split_options(&options)?;
        let data = convert::table(&x, &y, n_features)?;
        let prepared = split(&data, &split_options)?;
        let observe = &mut |r: &crate::TrainReport| convert::report_progress(&callback, r);
        let experiment = Experiment::new(prepared.train, prepared.test, train, observe)?;
        Ok(Session {
            experiment,
            split: Some(prepared.split),
            constant_columns: prepared.standardizer.constant,
        })
    }

    /// Trains on data that is already split and scaled: row-major `xTrain` (n × d) and
    /// `xTest` (m × d). Options: the training options of `fromTable`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] x_train: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] y_train: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] x_test: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] y_test: JsValue,
        n_features: f64,
        options: JsValue,
    ) -> Result<Session, JsError> {
        let allowed = [TRAIN_KEYS, &[convert::PROGRESS_KEY]].concat();
        check_keys("options", &options, &allowed)?;
        let callback = convert::progress(&options)?;
        let train = convert::train_config(&options)?;
        let n_features = convert::n_features(n_features)?;
        let (x_train, y_train) = (numbers("xTrain", &x_train)?, numbers("yTrain", &y_train)?);
        let (x_test, y_test) = (numbers("xTest", &x_test)?, numbers("yTest", &y_test)?);
        let k = convert::n_classes(&[&y_train, &y_test])?;
        let train_data = convert::table_with_classes(&x_train, &y_train, n_features, k)?;
        let test = convert::table_with_classes(&x_test, &y_test, n_features, k)?;
        let observe = &mut |r: &crate::TrainReport| convert::report_progress(&callback, r);
        let experiment = Experiment::new(train_data, test, train, observe)?;
        Ok(Session {
            experiment,
            split: None,
            constant_columns: Vec::new(),
        })
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

    /// `{iterations, gradNorm, testAccuracy, testLogLoss, nTrain, nTest, nFeatures, nClasses,
    /// warnings, constantColumns}` (warnings: badly scaled features; constantColumns: the
    /// columns `fromTable` found constant on the training split and set to 0).
    #[wasm_bindgen(js_name = trainReport)]
    pub fn train_report(&self) -> Result<JsValue, JsError> {
        let report = self.experiment.report();
        let metrics = self.experiment.test_metrics();
        to_js(&TrainView {
            iterations: report.iterations,
            grad_norm: report.grad_norm,
            test_accuracy: metrics.accuracy,
            test_log_loss: metrics.log_loss,
            n_train: self.experiment.train_data().n_samples(),
            n_test: self.experiment.test_data().n_samples(),
            n_features: self.experiment.train_data().n_features(),
            n_classes: self.experiment.train_data().n_classes(),
            warnings: self.experiment.warnings().to_vec(),
            constant_columns: self.constant_columns.clone(),
        })
    }

    /// Applies an edit `{features, featureValue, cells, relabel: [[row, label], …], remove}`
    /// with each requested method and reports each against retraining from scratch. Options:
    /// `methods` (names; default lazy, first_order, second_order, retrain_warm, retrain), `tau`
    /// (1e-3), `steps` (10), `fineTuneRate` (τ), `batchSize` (32), `exactTarget` (training
    /// tol), `exactMaxIter` (100), `minTimingSeconds` (0.002). The session is not changed.
    pub fn compare(&self, edit_value: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let edit = edit(edit_value)?;
        let own = convert::COMPARE_KEYS;
        check_keys("compare options", &options, &[SETTINGS_KEYS, own].concat())?;
        let settings: crate::method::UpdateSettings = parse(
            "compare options",
            pick(&options, SETTINGS_KEYS)?,
            SETTINGS_KEYS,
        )?;
        let input: CompareInput = parse("compare options", pick(&options, own)?, own)?;
        let methods = match input.methods {
            None => Method::CORE.to_vec(),
            Some(names) => names.iter().map(|n| method(n)).collect::<Result<_, _>>()?,
        };
        let options = CompareOptions {
            settings,
            methods,
            min_timing_seconds: input
                .min_timing_seconds
                .unwrap_or(CompareOptions::default().min_timing_seconds),
        };
        let comparison = self.experiment.compare(&edit, &options, &mut now_seconds)?;
        to_js(&comparison_view(&comparison))
    }

    /// The hedging path θ(ε) = argmin L(θ; D) + εΣℓ(Z̃) − εΣℓ(Z) for ε in `options.epsilons`
    /// (default 0, 0.1, …, 1; ascending, in [0, 1]) — θ(0) = θ*, θ(1) = the retrained model —
    /// with the first- and second-order updates as straight lines from θ*. Options: `epsilons`,
    /// the method settings of `compare` (`tau`, …) and `onProgress`, called before every Newton
    /// step as `(iteration, gradNorm, epsilon, step, steps)` (`step` indexes `epsilons`).
    /// Returns `[{epsilon, exact, firstOrder, secondOrder, distance: [first, second],
    /// residual: [first, second], iterations}]`.
    #[wasm_bindgen(js_name = hedgingPath)]
    pub fn hedging_path(&self, edit_value: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let edit = edit(edit_value)?;
        let own = convert::PATH_KEYS;
        let allowed = [SETTINGS_KEYS, own, &[convert::PROGRESS_KEY]].concat();
        check_keys("path options", &options, &allowed)?;
        let callback = convert::progress(&options)?;
        let settings: crate::method::UpdateSettings = parse(
            "path options",
            pick(&options, SETTINGS_KEYS)?,
            SETTINGS_KEYS,
        )?;
        let input: PathInput = parse("path options", pick(&options, own)?, own)?;
        let epsilons = input
            .epsilons
            .unwrap_or_else(|| (0..=10).map(|k| f64::from(k) / 10.0).collect());
        let mut observe =
            |at: &crate::hedge::PathProgress<'_>| convert::report_path_progress(&callback, at);
        let path = self
            .experiment
            .hedging_path(&edit, &settings, &epsilons, &mut observe)?;
        let views: Vec<PathPointView> = path.iter().map(path_point_view).collect();
        to_js(&views)
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

fn comparison_view(c: &Comparison) -> ComparisonView {
    ComparisonView {
        affected: c.affected.clone(),
        n_edited: c.n_edited,
        gradient_difference: c.gradient_difference.as_slice().to_vec(),
        reused_factor: c.reused_factor,
        retrain_iterations: c.retrain_report.iterations,
        retrain_grad_norm: c.retrain_report.grad_norm,
        methods: method_views(c),
        warnings: c.warnings.clone(),
    }
}

/// Successes and failures in report order.
fn method_views(c: &Comparison) -> Vec<MethodView> {
    let mut views: Vec<(Method, MethodView)> = c
        .outcomes
        .iter()
        .map(|o| (o.method, method_view(o)))
        .chain(c.failures.iter().map(|f| (f.method, failure_view(f))))
        .collect();
    views.sort_by_key(|(m, _)| Method::ALL.iter().position(|x| x == m));
    views.into_iter().map(|(_, v)| v).collect()
}

fn failure_view(f: &MethodFailure) -> MethodView {
    MethodView {
        method: f.method.key(),
        theta: None,
        distance_to_retrain: None,
        residual: None,
        accuracy: None,
        log_loss: None,
        agreement: None,
        iterations: None,
        seconds: None,
        speedup: None,
        error: Some(f.error.to_string()),
    }
}

fn method_view(o: &MethodOutcome) -> MethodView {
    MethodView {
        method: o.method.key(),
        theta: Some(o.theta.as_slice().to_vec()),
        distance_to_retrain: Some(o.distance_to_retrain),
        residual: Some(o.residual),
        accuracy: Some(o.test.accuracy),
        log_loss: Some(o.test.log_loss),
        agreement: Some(o.test.agreement),
        iterations: Some(o.iterations),
        seconds: Some(o.seconds),
        speedup: o.speedup,
        error: None,
    }
}

super::model_views!(Session, current);

impl Session {
    fn current(&self) -> &crate::Model {
        self.experiment.model()
    }
}
