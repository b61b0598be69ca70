//! The JavaScript boundary: the only module that names wasm-bindgen, js-sys, web-sys or
//! serde-wasm-bindgen. Each export converts, calls the core, converts back; every
//! failure becomes a JS `Error` whose message says what, where and how to fix it.
//!
//! Matrices cross the boundary as row-major `Float64Array`s with their row count (n × d), the
//! layout of a table; nalgebra is column-major inside.

mod convert;
#[macro_use]
mod model;
mod prepared;
mod session;
mod unlearner;

use wasm_bindgen::prelude::*;

use model::model_views;
pub use model::Model;
pub use prepared::prepare_table;
pub use session::Session;
pub use unlearner::Unlearner;

use crate::method::Method;
use crate::rng::sample_indices;

/// `k` distinct sorted indices from `0..n` (k ≤ n), chosen reproducibly by `seed`.
#[wasm_bindgen(js_name = sampleRows)]
pub fn sample_rows(n: f64, k: f64, seed: f64) -> Result<Vec<u32>, JsError> {
    let n = convert::whole("n", n, 0, u32::MAX as usize)?;
    let k = convert::whole("k", k, 0, n)?;
    let rows = sample_indices(n, k, convert::seed(seed)?)?;
    Ok(rows.into_iter().map(|i| i as u32).collect())
}

/// Seeded synthetic data (benchmarks): `{x, y}` with row-major x (n × d) of standard-normal
/// features and labels from a random logistic model.
#[wasm_bindgen(js_name = makeClassification)]
pub fn make_classification(n: f64, d: f64, seed: f64) -> Result<JsValue, JsError> {
    let d = convert::n_features(d)?;
    let n = convert::whole("n", n, 2, convert::MAX_VALUES / d)?;
    let data = crate::synth::make_classification(n, d, convert::seed(seed)?);
    let out = js_sys::Object::new();
    let x = js_sys::Float64Array::from(prepared::row_major(&data).as_slice());
    let y = js_sys::Float64Array::from(data.y().as_slice());
    js_sys::Reflect::set(&out, &"x".into(), &x).map_err(|_| JsError::new("makeClassification"))?;
    js_sys::Reflect::set(&out, &"y".into(), &y).map_err(|_| JsError::new("makeClassification"))?;
    Ok(out.into())
}

/// The seeded split `prepareTable` uses, without the data: `{train, test}` row indices of a
/// table with `n` rows. Options: `testFraction` (0.2), `seed` (42).
#[wasm_bindgen(js_name = trainTestSplit)]
pub fn train_test_split(n: f64, options: JsValue) -> Result<JsValue, JsError> {
    let n = convert::whole("n", n, 1, u32::MAX as usize)?;
    let keys = ["testFraction", "seed"];
    convert::check_keys("options", &options, &keys)?;
    let options = prepared::split_options(&options)?;
    let split = crate::prepare::train_test_split(n, options.test_fraction, options.seed)?;
    let out = js_sys::Object::new();
    let rows = |r: &[usize]| -> JsValue {
        r.iter()
            .map(|&i| JsValue::from_f64(i as f64))
            .collect::<js_sys::Array>()
            .into()
    };
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&out, &k.into(), &v);
    set("train", rows(&split.train)).map_err(|_| JsError::new("trainTestSplit"))?;
    set("test", rows(&split.test)).map_err(|_| JsError::new("trainTestSplit"))?;
    Ok(out.into())
}

/// The method names in report order (`all`) and the five of the paper's comparison, which
/// `compare` runs by default (`core`): the one list every layer reads.
#[wasm_bindgen]
pub fn methods() -> Result<JsValue, JsError> {
    #[derive(serde::Serialize)]
    struct Methods {
        all: Vec<&'static str>,
        core: Vec<&'static str>,
    }
    convert::to_js(&Methods {
        all: Method::ALL.iter().map(|m| m.key()).collect(),
        core: Method::CORE.iter().map(|m| m.key()).collect(),
    })
}

/// The default of every option, as the core defines it: `{l2, fitIntercept, penalizeIntercept,
/// l2Scaling, tol, maxIter, tau, steps, batchSize, exactMaxIter, minTimingSeconds, testFraction,
/// seed, driftThreshold, driftAction}`.
#[wasm_bindgen]
pub fn defaults() -> Result<JsValue, JsError> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Defaults {
        l2: f64,
        fit_intercept: bool,
        penalize_intercept: bool,
        l2_scaling: &'static str,
        tol: f64,
        max_iter: usize,
        tau: f64,
        steps: usize,
        batch_size: usize,
        exact_max_iter: usize,
        min_timing_seconds: f64,
        test_fraction: f64,
        seed: u64,
        drift_threshold: f64,
        drift_action: &'static str,
    }
    let (train, settings) = (
        crate::TrainConfig::default(),
        crate::UpdateSettings::default(),
    );
    let drift = crate::DriftPolicy::default();
    convert::to_js(&Defaults {
        l2: train.l2,
        fit_intercept: train.fit_intercept,
        penalize_intercept: train.penalize_intercept,
        l2_scaling: "total",
        tol: train.tol,
        max_iter: train.max_iter,
        tau: settings.tau,
        steps: settings.steps,
        batch_size: settings.batch_size,
        exact_max_iter: settings.exact_max_iter,
        min_timing_seconds: crate::CompareOptions::default().min_timing_seconds,
        test_fraction: crate::prepare::DEFAULT_TEST_FRACTION,
        seed: crate::prepare::DEFAULT_SPLIT_SEED,
        drift_threshold: drift.threshold,
        drift_action: drift.action.key(),
    })
}

/// The keys every options object accepts, as the bindings check them: `{train, settings,
/// compare, request, path, fit, certified, drift, split, edit, progress}` — the one list the
/// npm layer reads.
#[wasm_bindgen(js_name = optionKeys)]
pub fn option_keys() -> Result<JsValue, JsError> {
    use convert::*;
    let keys: Vec<(&str, Vec<&str>)> = vec![
        ("train", TRAIN_KEYS.to_vec()),
        ("settings", SETTINGS_KEYS.to_vec()),
        ("compare", COMPARE_KEYS.to_vec()),
        ("request", REQUEST_KEYS.to_vec()),
        ("path", PATH_KEYS.to_vec()),
        ("fit", FIT_KEYS.to_vec()),
        ("certified", unlearner::CERTIFIED_KEYS.to_vec()),
        ("drift", unlearner::DRIFT_KEYS.to_vec()),
        ("split", prepared::SPLIT_KEYS.to_vec()),
        ("edit", crate::edit_input::EDIT_KEYS.to_vec()),
        ("progress", vec![PROGRESS_KEY]),
    ];
    to_js(
        &keys
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
    )
}

/// The sizes this library allows: `{maxValues, maxProblemBytes, maxStepWork, maxClasses,
/// maxSteps, maxIterations, maxPathPoints, maxTimingSeconds, largeValue}`.
#[wasm_bindgen]
pub fn limits() -> Result<JsValue, JsError> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Limits {
        max_values: usize,
        max_problem_bytes: f64,
        max_step_work: f64,
        max_classes: usize,
        max_steps: usize,
        max_iterations: usize,
        max_path_points: usize,
        max_timing_seconds: f64,
        large_value: f64,
    }
    use crate::limits::*;
    convert::to_js(&Limits {
        max_values: MAX_VALUES,
        max_problem_bytes: MAX_PROBLEM_BYTES,
        max_step_work: MAX_STEP_WORK,
        max_classes: convert::MAX_CLASSES,
        max_steps: MAX_STEPS,
        max_iterations: MAX_ITERATIONS,
        max_path_points: MAX_PATH_POINTS,
        max_timing_seconds: MAX_TIMING_SECONDS,
        large_value: LARGE_VALUE,
    })
}

/// The peak memory, in bytes, of training on `n` rows of `d` features with `k` classes (the
/// estimate the size limit is checked against).
#[wasm_bindgen(js_name = trainingBytes)]
pub fn training_bytes(n: f64, d: f64, k: f64) -> Result<f64, JsError> {
    let (n, d) = (
        convert::whole("n", n, 0, usize::MAX)?,
        convert::whole("d", d, 0, usize::MAX)?,
    );
    let k = convert::whole("k", k, 2, convert::MAX_CLASSES)?;
    let c = crate::objective::outputs(k);
    Ok(crate::limits::training_bytes(n, d, d * c + c, c))
}

/// A fresh random seed from the platform's generator (crypto.getRandomValues), for random picks
/// of rows. Certified noise never uses it: without a seed, `Unlearner` draws b itself and keeps it.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<u32, JsError> {
    convert::fresh_seed()
}
