//! `Unlearner`: a model that forgets request after request, with certificates in certified mode.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::{
    self, check_keys, edit, method, numbers, parse, pick, seed, to_js, SETTINGS_KEYS, TRAIN_KEYS,
};
use crate::certify::Privacy;
use crate::method::UpdateSettings;
use crate::noise::NoiseSource;
use crate::unlearner::{
    DriftPolicy, HessianPolicy, RequestOptions, Unlearner as Core, UnlearnerConfig,
};

struct CertifiedInput {
    epsilon: f64,
    delta: f64,
    sigma: f64,
    seed: Option<u64>,
}

pub(super) const DRIFT_KEYS: &[&str] = &["threshold", "action"];

/// `options.drift`: `{threshold?, action?}` over the core's defaults.
fn parse_drift(options: &JsValue) -> Result<DriftPolicy, JsError> {
    let value = js_sys::Reflect::get(&options_or_empty(options), &"drift".into())
        .unwrap_or(JsValue::UNDEFINED);
    parse("options.drift", value, DRIFT_KEYS)
}

/// Privacy and noise source from `options.certified`.
fn parse_privacy(options: &JsValue) -> Result<(Option<Privacy>, NoiseSource), JsError> {
    let certified = js_sys::Reflect::get(&options_or_empty(options), &"certified".into())
        .unwrap_or(JsValue::UNDEFINED);
    Ok(match parse_certified(certified)? {
        None => (None, NoiseSource::Secret),
        Some(c) => (
            Some(Privacy {
                epsilon: c.epsilon,
                delta: c.delta,
                sigma: c.sigma,
            }),
            c.seed.map_or(NoiseSource::Secret, NoiseSource::Seeded),
        ),
    })
}

pub(super) const CERTIFIED_KEYS: &[&str] = &["epsilon", "delta", "sigma", "seed"];

/// `options.certified`: `{epsilon, delta, sigma, seed?}`, with the missing or wrong key named.
fn parse_certified(value: JsValue) -> Result<Option<CertifiedInput>, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    check_keys("options.certified", &value, CERTIFIED_KEYS)?;
    let own = |key: &str| {
        let own = js_sys::Object::has_own(value.unchecked_ref::<js_sys::Object>(), &key.into());
        own.then(|| js_sys::Reflect::get(&value, &key.into()).unwrap_or(JsValue::UNDEFINED))
            .filter(|v| !v.is_undefined() && !v.is_null())
    };
    let mut numbers = [0.0; 3];
    for (slot, key) in numbers.iter_mut().zip(["epsilon", "delta", "sigma"]) {
        *slot = own(key).and_then(|v| v.as_f64()).ok_or_else(|| {
            JsError::new(&format!(
                "options.certified.{key}: expected a number (certified needs epsilon, delta and \
                 sigma; seed is optional)"
            ))
        })?;
    }
    let seed = match own("seed") {
        None => None,
        Some(v) => Some(noise_seed(&v)?),
    };
    let [epsilon, delta, sigma] = numbers;
    Ok(Some(CertifiedInput {
        epsilon,
        delta,
        sigma,
        seed,
    }))
}

/// `options.certified.seed`: a whole number a double holds exactly.
fn noise_seed(value: &JsValue) -> Result<u64, JsError> {
    let bad = |got: String| {
        JsError::new(&format!(
            "options.certified.seed: {got} is not a seed; give a whole number from 0 to 2^53 − 1 \
             for reproducible (not private) noise, or leave it out for secret noise"
        ))
    };
    match value.as_f64() {
        Some(v) => seed(v).map_err(|_| bad(format!("{v}").replace("inf", "Infinity"))),
        None => Err(bad(format!("a {}", convert::type_name(value)))),
    }
}

fn options_or_empty(options: &JsValue) -> JsValue {
    if options.is_object() {
        options.clone()
    } else {
        js_sys::Object::new().into()
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RequestInput {
    method: Option<String>,
    hessian: Option<String>,
    residual: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrainReportView {
    iterations: usize,
    grad_norm: f64,
    warnings: Vec<String>,
}

/// A trained model and its training data in wasm memory. Each `request` changes the model (and
/// the data) for good; a request that fails changes nothing. Call `free()` when done.
#[wasm_bindgen]
pub struct Unlearner {
    core: Core,
}

#[wasm_bindgen]
impl Unlearner {
    /// Trains on row-major `x` (n × d, already scaled) with labels `y` in {0,1}. Options: the
    /// training options of `Session` (`l2`, `fitIntercept`, `penalizeIntercept`, `l2Scaling`,
    /// `tol`, `maxIter`) and `certified: {epsilon, delta, sigma, seed?}` for certified
    /// unlearning (objective noise b ~ N(0, σ²I)). Without a seed every b comes from the
    /// platform's cryptographically secure generator and is never exported; with one the noise
    /// is reproducible and no certificate claims privacy.
    pub fn fit(
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] x: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] y: JsValue,
        n_features: f64,
        options: JsValue,
    ) -> Result<Unlearner, JsError> {
        let (x, y) = (numbers("x", &x)?, numbers("y", &y)?);
        let n_features = convert::n_features(n_features)?;
        let own = convert::FIT_KEYS;
        check_keys(
            "options",
            &options,
            &[TRAIN_KEYS, own, &[convert::PROGRESS_KEY]].concat(),
        )?;
        let callback = convert::progress(&options)?;
        let train = convert::train_config(&options)?;
        let (privacy, noise) = parse_privacy(&options)?;
        let data = convert::table(&x, &y, n_features)?;
        let config = UnlearnerConfig {
            train,
            privacy,
            noise,
            drift: parse_drift(&options)?,
        };
        let observe = &mut |r: &crate::TrainReport| convert::report_progress(&callback, r);
        Ok(Unlearner {
            core: Core::fit(data, config, observe)?,
        })
    }

    /// Forgets `edit` (`{features, featureValue, cells, relabel, remove}`; rows are indices of
    /// the training data given to `fit`, and keep them after removals). Options: `method`
    /// ("second_order"; or lazy, first_order, hessian_on_d, first_order_stepwise,
    /// second_order_stepwise, fine_tune, exact, retrain_warm, retrain), `hessian` ("reuse" the
    /// kept factor or "refresh" it), `residual` (true: also compute ‖∇L(θ; D̃)‖, O(n·d)), and the
    /// method settings `tau`, `steps`, `fineTuneRate`, `batchSize`, `exactTarget`,
    /// `exactMaxIter`. Returns `{method, affected, nRows, iterations, factor, residual,
    /// certificate}`.
    pub fn request(&mut self, edit_value: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let edit = edit(edit_value)?;
        let own = convert::REQUEST_KEYS;
        check_keys("request options", &options, &[SETTINGS_KEYS, own].concat())?;
        let settings: UpdateSettings = parse(
            "request options",
            pick(&options, SETTINGS_KEYS)?,
            SETTINGS_KEYS,
        )?;
        let input: RequestInput = parse("request options", pick(&options, own)?, own)?;
        let defaults = RequestOptions::default();
        let hessian = match input.hessian.as_deref() {
            None | Some("reuse") => HessianPolicy::Reuse,
            Some("refresh") => HessianPolicy::Refresh,
            Some(other) => {
                return Err(JsError::new(&format!(
                    "request options: hessian = `{other}`; expected \"reuse\" or \"refresh\""
                )))
            }
        };
        let options = RequestOptions {
            method: input
                .method
                .as_deref()
                .map(method)
                .transpose()?
                .unwrap_or(defaults.method),
            settings,
            hessian,
            residual: input.residual.unwrap_or(defaults.residual),
        };
        let report = self.core.request(&edit, &options)?;
        to_js(&report)
    }

    /// An independent copy (data, model, kept factor and certified state), so two different
    /// requests can branch from one model without refitting.
    #[wasm_bindgen(js_name = clone)]
    pub fn clone_unlearner(&self) -> Unlearner {
        Unlearner {
            core: self.core.clone(),
        }
    }

    /// `{iterations, gradNorm, warnings}` of the last training (initial fit or a retrain);
    /// warnings name badly scaled features.
    #[wasm_bindgen(js_name = trainReport)]
    pub fn train_report(&self) -> Result<JsValue, JsError> {
        let r = self.core.train_report();
        to_js(&TrainReportView {
            iterations: r.iterations,
            grad_norm: r.grad_norm,
            warnings: self.core.warnings().to_vec(),
        })
    }

    /// In certified mode, "secret" (b from the secure generator, never exported) or
    /// "reproducible" (from a seed: not a privacy guarantee); `undefined` otherwise.
    #[wasm_bindgen(getter)]
    pub fn noise(&self) -> Option<String> {
        self.core.noise().map(|kind| kind.key().to_owned())
    }

    /// Training rows still in the data.
    #[wasm_bindgen(getter, js_name = nRows)]
    pub fn n_rows(&self) -> usize {
        self.core.data().n_active()
    }

    /// The accumulated residual bound β (certified mode; the training residual otherwise).
    #[wasm_bindgen(getter)]
    pub fn beta(&self) -> f64 {
        self.core.beta()
    }

    /// β_max = σε/c in certified mode, `undefined` otherwise.
    #[wasm_bindgen(getter)]
    pub fn budget(&self) -> Option<f64> {
        self.core.config().privacy.map(|p| p.budget())
    }

    /// The assumptions of certified unlearning that fail on the current data (empty if all
    /// hold), each as a sentence.
    #[wasm_bindgen(js_name = failedAssumptions)]
    pub fn failed_assumptions(&self) -> Vec<String> {
        self.core.failed_assumptions()
    }

    /// Accuracy on row-major `x` (n × d) with labels `y` (scikit-learn `score`).
    pub fn score(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] x: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] y: JsValue,
    ) -> Result<f64, JsError> {
        let (x, y) = (numbers("x", &x)?, numbers("y", &y)?);
        let model = self.core.model();
        let data = convert::table_with_classes(&x, &y, model.n_features(), model.n_classes())?;
        if data.n_samples() == 0 {
            return Err(JsError::new("score: no rows given"));
        }
        let predicted = self.core.model().predict(data.x())?;
        let correct = predicted
            .iter()
            .zip(data.y().iter())
            .filter(|(p, y)| p == y)
            .count();
        Ok(correct as f64 / data.n_samples() as f64)
    }
}

super::model_views!(Unlearner, current);

impl Unlearner {
    fn current(&self) -> &crate::Model {
        self.core.model()
    }
}
