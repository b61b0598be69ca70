//! `Model`: a fitted model as a value — predictions, and export/import as JSON.

use js_sys::Reflect;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::convert::{self, short, to_js, type_name};
use crate::data::matrix_from_row_major;
use crate::objective::{outputs, Objective};

const MODEL_KEYS: &[&str] = &[
    "format",
    "version",
    "theta",
    "nFeatures",
    "nClasses",
    "fitIntercept",
    "coef",
    "intercepts",
];

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModelJson {
    format: &'static str,
    version: u32,
    theta: Vec<f64>,
    n_features: usize,
    n_classes: usize,
    fit_intercept: bool,
    coef: Vec<f64>,
    intercepts: Vec<f64>,
}

/// The format tag of exported models.
const FORMAT: &str = "unlearn-model";

/// A fitted logistic model (binary or multinomial), independent of any training data.
#[wasm_bindgen]
pub struct Model {
    model: crate::Model,
}

impl Model {
    pub(super) fn wrap(model: &crate::Model) -> Model {
        Model {
            model: model.clone(),
        }
    }
}

#[wasm_bindgen]
impl Model {
    /// A model from its exported JSON object (`toJSON()`, or `JSON.parse` of a saved file):
    /// `{format: "unlearn-model", version: 1, theta, nFeatures, nClasses, fitIntercept}`, and
    /// optionally `coef` and `intercepts`, which must repeat what θ holds. Anything else is
    /// refused with a message naming the key (and the index) that is wrong.
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(value: JsValue) -> Result<Model, JsError> {
        let model = read_model(&value).map_err(|e| JsError::new(&format!("model: {e}")))?;
        Ok(Model { model })
    }

    /// The model as a plain object (what `JSON.stringify` writes): format, version, θ, shapes,
    /// and `coef`/`intercepts` for reading.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsError> {
        let m = &self.model;
        to_js(&ModelJson {
            format: FORMAT,
            version: 1,
            theta: m.theta().as_slice().to_vec(),
            n_features: m.n_features(),
            n_classes: m.n_classes(),
            fit_intercept: m.fit_intercept(),
            coef: m.coef().to_vec(),
            intercepts: m.intercepts(),
        })
    }

    /// The weights (d, or K rows of d row-major).
    #[wasm_bindgen(getter)]
    pub fn coef(&self) -> Vec<f64> {
        self.model.coef().to_vec()
    }

    /// The intercepts (one, or K centred).
    #[wasm_bindgen(getter)]
    pub fn intercepts(&self) -> Vec<f64> {
        self.model.intercepts()
    }

    /// Number of features d.
    #[wasm_bindgen(getter, js_name = nFeatures)]
    pub fn n_features(&self) -> usize {
        self.model.n_features()
    }

    /// Number of classes K.
    #[wasm_bindgen(getter, js_name = nClasses)]
    pub fn n_classes(&self) -> usize {
        self.model.n_classes()
    }

    /// Class probabilities for row-major `x` (n × d): P(y = 1) per row (binary) or n × K.
    #[wasm_bindgen(js_name = predictProba)]
    pub fn predict_proba(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] x: JsValue,
    ) -> Result<Vec<f64>, JsError> {
        convert::predict_proba(&self.model, &x)
    }

    /// Scores for row-major `x` (n × d): w·x + b per row (binary) or the n × K scores
    /// row-major (scikit-learn `decision_function`).
    #[wasm_bindgen(js_name = decisionFunction)]
    pub fn decision_function(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] x: JsValue,
    ) -> Result<Vec<f64>, JsError> {
        let x = self.rows(&x)?;
        Ok(self
            .model
            .decision_function(&x)?
            .transpose()
            .as_slice()
            .to_vec())
    }

    /// Predicted classes for row-major `x` (n × d).
    pub fn predict(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] x: JsValue,
    ) -> Result<Vec<f64>, JsError> {
        Ok(self.model.predict(&self.rows(&x)?)?.as_slice().to_vec())
    }
}

impl Model {
    /// Row-major `x` from JS as an n × d matrix of this model's d features.
    fn rows(&self, x: &JsValue) -> Result<nalgebra::DMatrix<f64>, JsError> {
        let x = convert::numbers("x", x)?;
        let d = self.model.n_features();
        Ok(matrix_from_row_major(
            &x,
            convert::row_count(x.len(), d)?,
            d,
        )?)
    }
}

/// What an exported model holds: the keys and, in brackets, the optional ones.
const SHAPE: &str = "expected the object that toJSON() returns: {format: \"unlearn-model\", \
                     version: 1, theta, nFeatures, nClasses, fitIntercept} (coef and intercepts \
                     optional)";

/// A model from the object `toJSON()` wrote; the error (without the `model: ` prefix) says which
/// key or entry is wrong and how to fix it.
fn read_model(value: &JsValue) -> Result<crate::Model, String> {
    if value.is_undefined() || value.is_null() {
        let what = if value.is_null() { "null" } else { "undefined" };
        return Err(format!("got {what}, not a model; {SHAPE}"));
    }
    if !value.is_object() || js_sys::Array::is_array(value) || value.is_function() {
        return Err(format!("got {}, not a model; {SHAPE}", type_name(value)));
    }
    for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !MODEL_KEYS.contains(&key.as_str()) {
            return Err(format!(
                "unknown key `{key}`; the keys of an exported model are {}",
                MODEL_KEYS.join(", ")
            ));
        }
    }
    let field = |name: &str| Reflect::get(value, &JsValue::from_str(name)).unwrap_or_default();
    let absent = |v: &JsValue| v.is_undefined() || v.is_null();

    let format = field("format");
    if format.as_string().as_deref() != Some(FORMAT) {
        let got = match format.as_string() {
            Some(text) => format!("format is {}", quoted(&text)),
            None if absent(&format) => "the key `format` is missing".into(),
            None => format!("format is {}", type_name(&format)),
        };
        return Err(format!(
            "{got}, so this is not an exported model; expected format \"{FORMAT}\" (the \
             object that toJSON() returns)"
        ));
    }
    let version = field("version");
    if version.as_f64() != Some(1.0) {
        let got = match version.as_f64() {
            Some(v) => format!("version {} is not supported", short(v)),
            None if absent(&version) => "the key `version` is missing".into(),
            None => format!("version is {}", type_name(&version)),
        };
        return Err(format!(
            "{got}; expected version 1 (export the model again with this version of unlearn)"
        ));
    }

    let n_features = match field("nFeatures") {
        v if absent(&v) => {
            return Err("the key `nFeatures` is missing; expected the number of features d".into())
        }
        v => whole("nFeatures", &v, 1, convert::MAX_VALUES)?,
    };
    let n_classes = match field("nClasses") {
        v if absent(&v) => 2,
        v => whole("nClasses", &v, 2, convert::MAX_CLASSES)?,
    };
    let fit_intercept = match field("fitIntercept") {
        v if absent(&v) => true,
        v => v
            .as_bool()
            .ok_or_else(|| format!("fitIntercept is {}; expected true or false", type_name(&v)))?,
    };

    let shape = format!(
        "nFeatures = {n_features}, nClasses = {n_classes} and fitIntercept = {fit_intercept}"
    );
    let weights = n_features
        .checked_mul(outputs(n_classes))
        .filter(|&w| w <= convert::MAX_VALUES)
        .ok_or_else(|| {
            format!(
                "a model with {shape} would have more than {} weights; check nFeatures and \
                 nClasses",
                convert::MAX_VALUES
            )
        })?;
    let expected = Objective::new(0.0, fit_intercept).n_params(n_features, n_classes);
    let theta = match field("theta") {
        v if absent(&v) => {
            return Err(format!(
                "the key `theta` is missing; expected the {expected} parameters as an array of \
                 numbers"
            ))
        }
        v => finite_numbers("theta", &v)?,
    };
    if theta.len() != expected {
        return Err(format!(
            "theta holds {} numbers, but a model with {shape} has {expected} parameters; check \
             nFeatures, nClasses and fitIntercept, or export the model again",
            theta.len()
        ));
    }
    let model = crate::Model::from_theta(
        nalgebra::DVector::from_vec(theta),
        n_features,
        n_classes,
        fit_intercept,
    )
    .map_err(|e| e.to_string())?;

    // `coef` and `intercepts` repeat θ for reading; a file where they say something else was
    // edited by hand or by another program, and which of the two it meant is unknown.
    let coef = field("coef");
    if !absent(&coef) {
        let coef = finite_numbers("coef", &coef)?;
        agrees("coef", "weights", &coef, model.coef(), 0, &shape)?;
    }
    let intercepts = field("intercepts");
    if !absent(&intercepts) {
        let intercepts = finite_numbers("intercepts", &intercepts)?;
        let start = if fit_intercept { Some(weights) } else { None };
        agrees_intercepts(&intercepts, &model.intercepts(), start, &shape)?;
    }
    Ok(model)
}

/// How the fix of a disagreeing `coef` or `intercepts` reads.
const REPEATS_THETA: &str = "coef and intercepts only repeat theta for reading (the model uses \
                             theta), so correct them or delete both keys";

/// `what` (with `noun` entries) equals its part of θ, which starts at `theta[offset]`.
fn agrees(
    what: &str,
    noun: &str,
    got: &[f64],
    expected: &[f64],
    offset: usize,
    shape: &str,
) -> Result<(), String> {
    if got.len() != expected.len() {
        return Err(format!(
            "{what} holds {} numbers, but a model with {shape} has {} {noun}; {REPEATS_THETA}",
            got.len(),
            expected.len()
        ));
    }
    match got.iter().zip(expected).position(|(&a, &b)| !same(a, b)) {
        Some(k) => Err(format!(
            "{what}[{k}] = {} disagrees with theta[{}] = {}; {REPEATS_THETA}",
            short(got[k]),
            offset + k,
            short(expected[k])
        )),
        None => Ok(()),
    }
}

/// `intercepts` equals the intercepts of θ (from `theta[start]`), or zeros without intercepts.
fn agrees_intercepts(
    got: &[f64],
    expected: &[f64],
    start: Option<usize>,
    shape: &str,
) -> Result<(), String> {
    match start {
        Some(start) => {
            let noun = if expected.len() == 1 {
                "intercept"
            } else {
                "intercepts"
            };
            agrees("intercepts", noun, got, expected, start, shape)
        }
        None => {
            if got.len() != expected.len() {
                return Err(format!(
                    "intercepts holds {} numbers, but a model with {shape} has {} (all 0); \
                     {REPEATS_THETA}",
                    got.len(),
                    expected.len()
                ));
            }
            match got.iter().position(|&v| v != 0.0) {
                Some(k) => Err(format!(
                    "intercepts[{k}] = {}, but fitIntercept is false, so every intercept is 0; \
                     {REPEATS_THETA}",
                    short(got[k])
                )),
                None => Ok(()),
            }
        }
    }
}

/// Equal, or within a relative 1e-9 (a file written with fewer digits than a double has).
fn same(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// An array of finite numbers, the first offending entry named.
fn finite_numbers(what: &str, value: &JsValue) -> Result<Vec<f64>, String> {
    let is_list = js_sys::Array::is_array(value)
        || (js_sys::ArrayBuffer::is_view(value) && !value.is_instance_of::<js_sys::DataView>());
    if !is_list {
        return Err(format!(
            "{what} is {}; expected an array of numbers",
            type_name(value)
        ));
    }
    if js_sys::Array::is_array(value) {
        for (k, v) in js_sys::Array::from(value).iter().enumerate() {
            if v.as_f64().is_none() {
                return Err(format!(
                    "{what}[{k}] is {}, not a number; every entry of {what} must be a finite \
                     number",
                    type_name(&v)
                ));
            }
        }
    }
    let numbers = convert::numbers(what, value).map_err(|e| {
        let value: JsValue = e.into();
        value
            .dyn_into::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|_| format!("{what}: not readable"))
    })?;
    match numbers.iter().position(|v| !v.is_finite()) {
        Some(k) => Err(format!(
            "{what}[{k}] is {}, not a finite number{}; every entry of {what} must be a finite \
             number",
            match numbers[k] {
                v if v.is_nan() => "NaN",
                v if v > 0.0 => "Infinity",
                _ => "-Infinity",
            },
            if numbers[k].is_infinite() {
                " (a number too large for a double, such as 1e999, reads as Infinity)"
            } else {
                ""
            }
        )),
        None => Ok(numbers),
    }
}

/// A whole number in `[min, max]` under `key`.
fn whole(key: &str, value: &JsValue, min: usize, max: usize) -> Result<usize, String> {
    match value.as_f64() {
        Some(v) if v.fract() == 0.0 && v >= min as f64 && v <= max as f64 => Ok(v as usize),
        Some(v) => Err(format!(
            "{key} = {} is invalid: expected a whole number from {min} to {max}",
            short(v)
        )),
        None => Err(format!(
            "{key} is {}; expected a whole number from {min} to {max}",
            type_name(value)
        )),
    }
}

/// A string from a file for a message: quoted, and cut short when long.
fn quoted(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("\"{head}…\"")
    } else {
        format!("\"{head}\"")
    }
}
