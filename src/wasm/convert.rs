//! Conversions between JS values and the core's types, with the error messages people see.

use js_sys::Reflect;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::edit::Edit;
use crate::method::{Method, UpdateSettings};
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

/// JS numbers as indices, if they are whole and non-negative.
pub(super) fn indices(what: &str, values: &[f64]) -> Result<Vec<usize>, JsError> {
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

pub(super) const EDIT_KEYS: &[&str] = &["features", "featureValue", "cells", "relabel", "remove"];

/// `{features, featureValue, cells: [[row, feature, value]…], relabel: [[row, label]…], remove}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct EditInput {
    features: Vec<f64>,
    feature_value: f64,
    cells: Vec<(f64, f64, f64)>,
    relabel: Vec<(f64, f64)>,
    remove: Vec<f64>,
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

impl EditInput {
    /// The core edit; JS numbers become indices only if they are whole and non-negative.
    pub(super) fn into_edit(self) -> Result<Edit, JsError> {
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

/// Reads an edit object.
pub(super) fn edit(value: JsValue) -> Result<Edit, JsError> {
    parse::<EditInput>("edit", value, EDIT_KEYS)?.into_edit()
}

/// Keys of the per-method settings, shared by `compare` and `request`.
pub(super) const SETTINGS_KEYS: &[&str] = &[
    "tau",
    "steps",
    "fineTuneRate",
    "batchSize",
    "exactTarget",
    "exactMaxIter",
];

/// The per-method settings as JS sends them (all optional).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct SettingsInput {
    tau: f64,
    steps: usize,
    fine_tune_rate: Option<f64>,
    batch_size: usize,
    exact_target: Option<f64>,
    exact_max_iter: usize,
}

impl Default for SettingsInput {
    fn default() -> Self {
        let s = UpdateSettings::default();
        Self {
            tau: s.tau,
            steps: s.steps,
            fine_tune_rate: s.fine_tune_rate,
            batch_size: s.batch_size,
            exact_target: s.exact_target,
            exact_max_iter: s.exact_max_iter,
        }
    }
}

impl SettingsInput {
    pub(super) fn settings(&self) -> UpdateSettings {
        UpdateSettings {
            tau: self.tau,
            steps: self.steps,
            fine_tune_rate: self.fine_tune_rate,
            batch_size: self.batch_size,
            exact_target: self.exact_target,
            exact_max_iter: self.exact_max_iter,
        }
    }
}

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

/// Training options as JS sends them (all optional).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct TrainInput {
    l2: f64,
    fit_intercept: bool,
    penalize_intercept: bool,
    l2_scaling: String,
    tol: f64,
    max_iter: usize,
}

impl Default for TrainInput {
    fn default() -> Self {
        let c = TrainConfig::default();
        Self {
            l2: c.l2,
            fit_intercept: c.fit_intercept,
            penalize_intercept: c.penalize_intercept,
            l2_scaling: "total".into(),
            tol: c.tol,
            max_iter: c.max_iter,
        }
    }
}

impl TrainInput {
    pub(super) fn config(&self) -> Result<TrainConfig, JsError> {
        use crate::objective::L2Scaling;
        let l2_scaling = match self.l2_scaling.as_str() {
            "total" => L2Scaling::Total,
            "per_sample" => L2Scaling::PerSample,
            other => {
                return Err(JsError::new(&format!(
                    "l2Scaling: unknown value `{other}`; expected \"total\" or \"per_sample\""
                )))
            }
        };
        let config = TrainConfig {
            l2: self.l2,
            fit_intercept: self.fit_intercept,
            penalize_intercept: self.penalize_intercept,
            l2_scaling,
            tol: self.tol,
            max_iter: self.max_iter,
        };
        config.validate()?;
        Ok(config)
    }
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
