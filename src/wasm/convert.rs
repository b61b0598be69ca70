//! Conversions between JS values and the core's types, with the error messages people see.

use js_sys::Reflect;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::edit::Edit;
use crate::method::Method;
use crate::model_file::Json;
use crate::train::TrainConfig;

/// Reads an options object; `undefined`/`null` give the defaults. Unknown keys are refused so a
/// typo (`lambda` for `l2`) is reported instead of silently ignored.
pub(super) fn parse<T: for<'de> Deserialize<'de> + Default>(
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

/// A plain JS object (maps become objects, `None` becomes `null`).
pub(super) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("result conversion: {e}")))
}

/// n for a row-major buffer of `len` values with `n_features` columns.
pub(super) fn row_count(len: usize, n_features: usize) -> Result<usize, JsError> {
    if n_features == 0 || len % n_features != 0 {
        return Err(JsError::new(&format!(
            "features: {len} values cannot be split into rows of {n_features} features; \
             pass a row-major array of n × d numbers and d ≥ 1"
        )));
    }
    Ok(len / n_features)
}

/// A seed from a JS number: a whole number that a double holds exactly.
pub(super) fn seed(value: f64) -> Result<u64, JsError> {
    if value.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&value) {
        Ok(value as u64)
    } else {
        Err(JsError::new(&format!(
            "seed = {value} is invalid: expected a whole number from 0 to 2^53 − 1"
        )))
    }
}

/// A fresh random seed from the platform's generator (crypto.getRandomValues).
pub(super) fn fresh_seed() -> Result<u32, JsError> {
    getrandom::u32().map_err(|e| JsError::new(&format!("random seed: {e}")))
}

/// `performance.now()` in seconds; works in windows, workers and Node (no `window` needed).
pub(super) fn now_seconds() -> f64 {
    let performance = Reflect::get(&js_sys::global(), &JsValue::from_str("performance"));
    let millis = match performance {
        Ok(p) if p.is_object() => p.unchecked_into::<web_sys::Performance>().now(),
        _ => js_sys::Date::now(),
    };
    millis / 1000.0
}

/// A request from JS, read by the core ([`Edit::from_json`]).
pub(super) fn edit(value: JsValue) -> Result<Edit, JsError> {
    Ok(Edit::from_json(&json(&value, 0))?)
}

/// A JS number as an index: whole, ≥ 0, below 2³².
pub(super) fn index(what: &str, v: f64) -> Result<usize, JsError> {
    if v.fract() == 0.0 && (0.0..4_294_967_296.0).contains(&v) {
        Ok(v as usize)
    } else {
        Err(JsError::new(&format!(
            "{what} = {} is not an index: expected a whole number ≥ 0",
            short(v)
        )))
    }
}

/// A count or size from JS: a whole number in `[min, max]`.
pub(super) fn whole(what: &str, v: f64, min: usize, max: usize) -> Result<usize, JsError> {
    if v.fract() == 0.0 && v >= min as f64 && v <= max as f64 {
        Ok(v as usize)
    } else {
        Err(JsError::new(&format!(
            "{what} = {} is invalid: expected a whole number from {min} to {max}",
            short(v)
        )))
    }
}

/// A number for a message: plain when short, in exponent form when huge or tiny.
pub(super) fn short(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e15 || v.abs() < 1e-6) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// `typeof`, with `null`, arrays and typed arrays told apart.
pub(super) fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        return "null".into();
    }
    if js_sys::Array::is_array(value) {
        return "an array".into();
    }
    if value.is_object() {
        let name = Reflect::get(value, &JsValue::from_str("constructor"))
            .and_then(|c| Reflect::get(&c, &JsValue::from_str("name")))
            .ok()
            .and_then(|n| n.as_string());
        return name.map_or("an object".into(), |n| with_article(&n));
    }
    value
        .js_typeof()
        .as_string()
        .map_or("a value".into(), |t| with_article(&t))
}

fn with_article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

pub(super) use crate::limits::MAX_VALUES;

/// Numbers from a `Float64Array`, another numeric typed array, or a plain array of numbers,
/// refused up front (before any copy) when larger than [`MAX_VALUES`].
pub(super) fn numbers(what: &str, value: &JsValue) -> Result<Vec<f64>, JsError> {
    let expected = "expected a Float64Array or an array of numbers";
    if value.is_undefined() || value.is_null() {
        return Err(JsError::new(&format!("{what}: missing; {expected}")));
    }
    let length = Reflect::get(value, &JsValue::from_str("length"))
        .ok()
        .and_then(|l| l.as_f64());
    let length = match length {
        Some(l) if value.is_object() => l,
        _ => {
            return Err(JsError::new(&format!(
                "{what}: {expected}, got {}",
                type_name(value)
            )))
        }
    };
    if length > MAX_VALUES as f64 {
        return Err(JsError::new(&format!(
            "{what}: {length} values ({:.1} GB) exceed the limit of {MAX_VALUES} values (400 MB) \
             that training in WebAssembly's memory allows; use fewer rows or features",
            length * 8e-9
        )));
    }
    if let Some(array) = value.dyn_ref::<js_sys::Float64Array>() {
        return Ok(array.to_vec());
    }
    let name = type_name(value);
    if name.contains("BigInt") {
        return Err(JsError::new(&format!(
            "{what}: {name} holds BigInts; convert to numbers (Float64Array) first"
        )));
    }
    if js_sys::ArrayBuffer::is_view(value) && !value.is_instance_of::<js_sys::DataView>() {
        return Ok(js_sys::Float64Array::new(value).to_vec());
    }
    if !js_sys::Array::is_array(value) {
        return Err(JsError::new(&format!("{what}: {expected}, got {name}")));
    }
    js_sys::Array::from(value)
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let got = || format!("{what}[{k}]: expected a number, got {}", type_name(&v));
            v.as_f64().ok_or_else(|| JsError::new(&got()))
        })
        .collect()
}

/// Class probabilities of `model` for row-major `x` from JS: P(y = 1 | x) per row for a binary
/// model, the n × K matrix row-major for a multinomial one.
pub(super) fn predict_proba(model: &crate::Model, x: &JsValue) -> Result<Vec<f64>, JsError> {
    let x = numbers("x", x)?;
    let d = model.n_features();
    let x = crate::data::matrix_from_row_major(&x, row_count(x.len(), d)?, d)?;
    let p = model.predict_proba(&x)?;
    Ok(if model.n_classes() == 2 {
        p.column(1).iter().copied().collect()
    } else {
        p.transpose().as_slice().to_vec()
    })
}

/// The key of an optional progress callback in training options.
pub(super) const PROGRESS_KEY: &str = "onProgress";

/// `options.onProgress` as an observer of Newton's iterations: called with (iteration, ‖∇L‖).
pub(super) fn progress(options: &JsValue) -> Result<Option<js_sys::Function>, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(None);
    }
    let value = Reflect::get(options, &JsValue::from_str(PROGRESS_KEY))
        .map_err(|_| JsError::new("options: not readable"))?;
    if value.is_undefined() {
        return Ok(None);
    }
    value.dyn_into::<js_sys::Function>().map(Some).map_err(|_| {
        JsError::new("options.onProgress: expected a function (iteration, gradNorm) => void")
    })
}

/// Calls `callback` (if any) for one training report; a callback that throws stops the call,
/// which then fails with the callback's message and changes nothing.
pub(super) fn report_progress(
    callback: &Option<js_sys::Function>,
    report: &crate::TrainReport,
) -> crate::Result<()> {
    let Some(f) = callback else { return Ok(()) };
    let iteration = JsValue::from_f64(report.iterations as f64);
    f.call2(
        &JsValue::NULL,
        &iteration,
        &JsValue::from_f64(report.grad_norm),
    )
    .map(|_| ())
    .map_err(stopped)
}

/// Calls `callback` (if any) for one Newton step of the hedging path:
/// `(iteration, gradNorm, epsilon, step, steps)`; a throw stops the call as above.
pub(super) fn report_path_progress(
    callback: &Option<js_sys::Function>,
    at: &crate::hedge::PathProgress<'_>,
) -> crate::Result<()> {
    let Some(f) = callback else { return Ok(()) };
    let args = js_sys::Array::of5(
        &JsValue::from_f64(at.newton.iterations as f64),
        &JsValue::from_f64(at.newton.grad_norm),
        &JsValue::from_f64(at.epsilon),
        &JsValue::from_f64(at.step as f64),
        &JsValue::from_f64(at.steps as f64),
    );
    f.apply(&JsValue::NULL, &args).map(|_| ()).map_err(stopped)
}

/// The error for a callback that threw `thrown`.
fn stopped(thrown: JsValue) -> crate::Error {
    // Anything may be thrown: an Error, a string, an object, undefined, a Symbol, a function.
    let message = match thrown.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.message()),
        None => js_sys::JSON::stringify(&thrown)
            .ok()
            .and_then(|s| JsValue::from(s).as_string())
            .unwrap_or_else(|| match thrown.is_undefined() {
                true => "undefined".into(),
                false => type_name(&thrown),
            }),
    };
    crate::Error::Stopped {
        by: format!("options.onProgress, which threw: {message}"),
    }
}

pub(super) use crate::model_file::MAX_CLASSES;

/// Nesting deeper than this is not a model file (and would exhaust the stack).
const MAX_DEPTH: usize = 64;

/// A JS value as the core's [`Json`] (typed arrays become arrays of numbers); `depth` is how
/// deep inside another value it sits.
pub(super) fn json(value: &JsValue, depth: usize) -> Json {
    if value.is_null() {
        return Json::Null;
    }
    if value.is_undefined() {
        return Json::Other("undefined".into());
    }
    if let Some(b) = value.as_bool() {
        return Json::Bool(b);
    }
    if let Some(n) = value.as_f64() {
        return Json::Number(n);
    }
    if let Some(s) = value.as_string() {
        return Json::String(s);
    }
    let length = Reflect::get(value, &JsValue::from_str("length"))
        .ok()
        .and_then(|l| l.as_f64());
    if depth >= MAX_DEPTH || length.is_some_and(|l| l > MAX_VALUES as f64) {
        return Json::Other(format!(
            "{} nested or sized beyond the limits",
            type_name(value)
        ));
    }
    if js_sys::Array::is_array(value) {
        let array = js_sys::Array::from(value);
        return Json::Array(array.iter().map(|v| json(&v, depth + 1)).collect());
    }
    if js_sys::ArrayBuffer::is_view(value) && !value.is_instance_of::<js_sys::DataView>() {
        let numbers = js_sys::Float64Array::new(value).to_vec();
        return Json::Array(numbers.into_iter().map(Json::Number).collect());
    }
    if value.is_object() && !value.is_function() {
        let entries = js_sys::Object::entries(value.unchecked_ref::<js_sys::Object>());
        // A key whose value is undefined is absent, as JSON.stringify has it.
        let pairs = entries.iter().map(|pair| js_sys::Array::from(&pair));
        let pairs = pairs
            .filter(|pair| !pair.get(1).is_undefined())
            .map(|pair| {
                (
                    pair.get(0).as_string().unwrap_or_default(),
                    json(&pair.get(1), depth + 1),
                )
            });
        return Json::Object(pairs.collect());
    }
    Json::Other(type_name(value))
}

/// A table from JS values: row-major `x` with `n_features` columns and class labels `y`; the
/// number of classes K is the largest label + 1 (at least 2: labels 0/1 give the binary model).
pub(super) fn table(x: &[f64], y: &[f64], n_features: usize) -> Result<crate::Dataset, JsError> {
    table_with_classes(x, y, n_features, n_classes(&[y])?)
}

/// A table with K given.
pub(super) fn table_with_classes(
    x: &[f64],
    y: &[f64],
    n_features: usize,
    n_classes: usize,
) -> Result<crate::Dataset, JsError> {
    let n_rows = row_count(x.len(), n_features)?;
    Ok(crate::Dataset::from_row_major_with_classes(
        x, n_rows, n_features, y, n_classes,
    )?)
}

/// K = the largest label in any of `labels` + 1, at least 2.
pub(super) fn n_classes(labels: &[&[f64]]) -> Result<usize, JsError> {
    let top = labels
        .iter()
        .flat_map(|y| y.iter().copied())
        .filter(|v| v.is_finite())
        .fold(1.0f64, f64::max);
    if top >= MAX_CLASSES as f64 {
        return Err(JsError::new(&format!(
            "labels: the largest label is {}, but at most {MAX_CLASSES} classes (0 to {}) are \
             supported; labels must be class numbers 0, 1, 2, …",
            short(top),
            MAX_CLASSES - 1
        )));
    }
    Ok(top.floor() as usize + 1)
}

/// The number of features d from JS.
pub(super) fn n_features(value: f64) -> Result<usize, JsError> {
    whole("nFeatures", value, 1, MAX_VALUES)
}

/// Keys of `compare`'s own options (beside the settings).
pub(super) const COMPARE_KEYS: &[&str] = &["methods", "minTimingSeconds"];
/// Keys of `request`'s own options (beside the settings).
pub(super) const REQUEST_KEYS: &[&str] = &["method", "hessian", "residual"];
/// Keys of `hedgingPath`'s own options (beside the settings).
pub(super) const PATH_KEYS: &[&str] = &["epsilons"];
/// Keys of `Unlearner.fit`'s own options (beside the training options).
pub(super) const FIT_KEYS: &[&str] = &["certified", "drift"];

/// Keys of the per-method settings, shared by `compare` and `request`.
pub(super) const SETTINGS_KEYS: &[&str] = &[
    "tau",
    "steps",
    "fineTuneRate",
    "batchSize",
    "exactTarget",
    "exactMaxIter",
];

/// A method from its machine name.
pub(super) fn method(name: &str) -> Result<Method, JsError> {
    Ok(Method::from_key(name)?)
}

/// Keys of the training options shared by `Session` and `Unlearner`.
pub(super) const TRAIN_KEYS: &[&str] = &[
    "l2",
    "fitIntercept",
    "penalizeIntercept",
    "l2Scaling",
    "tol",
    "maxIter",
];

/// The training options (`l2`, `fitIntercept`, …) of an options object that may hold others,
/// validated by the core.
pub(super) fn train_config(options: &JsValue) -> Result<TrainConfig, JsError> {
    let config: TrainConfig = parse("options", pick(options, TRAIN_KEYS)?, TRAIN_KEYS)?;
    config.validate()?;
    Ok(config)
}

/// Picks `names` out of a JS object into a new object (to hand parts of one options object to
/// several parsers).
pub(super) fn pick(value: &JsValue, names: &[&str]) -> Result<JsValue, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(JsValue::UNDEFINED);
    }
    let picked = js_sys::Object::new();
    for name in names {
        let key = JsValue::from_str(name);
        let v = Reflect::get(value, &key).map_err(|_| JsError::new("options: not readable"))?;
        if !v.is_undefined() {
            Reflect::set(&picked, &key, &v).map_err(|_| JsError::new("options: not writable"))?;
        }
    }
    Ok(picked.into())
}

/// Refuses keys of `value` outside `allowed` (for options objects split between parsers).
pub(super) fn check_keys(what: &str, value: &JsValue, allowed: &[&str]) -> Result<(), JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(());
    }
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(JsError::new(&format!(
            "{what}: expected an object with keys {}",
            allowed.join(", ")
        )));
    }
    for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !allowed.contains(&key.as_str()) {
            return Err(JsError::new(&format!(
                "{what}: unknown key `{key}`; expected an object with keys {}",
                allowed.join(", ")
            )));
        }
    }
    Ok(())
}
