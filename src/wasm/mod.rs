//! The JavaScript boundary: the only module that names wasm-bindgen, js-sys, web-sys or
//! serde-wasm-bindgen. Each export converts, calls the core, converts back; every
//! failure becomes a JS `Error` whose message says what, where and how to fix it.
//!
//! Matrices cross the boundary as row-major `Float64Array`s with their row count (n × d), the
//! layout of a table; nalgebra is column-major inside.

mod convert;
mod model;
mod prepared;
mod session;
mod unlearner;

use wasm_bindgen::prelude::*;

pub use model::Model;
pub use prepared::prepare_table;
pub use session::Session;
pub use unlearner::Unlearner;

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
    let split = crate::data::train_test_split(n, options.test_fraction, options.seed)?;
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

/// A fresh random seed from the platform's generator (crypto.getRandomValues), for random picks
/// of rows. Certified noise never uses it: without a seed, `Unlearner` draws b itself and keeps it.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<u32, JsError> {
    convert::fresh_seed()
}
