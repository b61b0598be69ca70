//! `Model`: a fitted model as a value — predictions, and export/import as JSON.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::convert::{self, to_js};
use crate::data::matrix_from_row_major;

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
        let model = crate::model_file::read_model(&convert::json(&value, 0))?;
        Ok(Model { model })
    }

    /// The model as a plain object (what `JSON.stringify` writes): format, version, θ, shapes,
    /// and `coef`/`intercepts` for reading.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsError> {
        let m = &self.model;
        to_js(&ModelJson {
            format: crate::model_file::FORMAT,
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

/// The model views that `Session` and `Unlearner` share, over their method `$model(&self) ->
/// &crate::Model` (the current core model).
macro_rules! model_views {
    ($type:ident, $model:ident) => {
        #[wasm_bindgen::prelude::wasm_bindgen]
        impl $type {
            /// The weights (scikit-learn `coef_`): d for a binary model, K rows of d
            /// (row-major) for a multinomial one.
            #[wasm_bindgen(getter)]
            pub fn coef(&self) -> Vec<f64> {
                self.$model().coef().to_vec()
            }

            /// The binary model's intercept b (0 when not fitted); see `intercepts` for K
            /// classes.
            #[wasm_bindgen(getter)]
            pub fn intercept(&self) -> f64 {
                self.$model().intercept()
            }

            /// The intercepts: one for a binary model, K (centred) for a multinomial one
            /// (scikit-learn `intercept_`).
            #[wasm_bindgen(getter)]
            pub fn intercepts(&self) -> Vec<f64> {
                self.$model().intercepts()
            }

            /// The current model as a value (independent of this object; export it with
            /// `toJSON`).
            pub fn model(&self) -> $crate::wasm::Model {
                $crate::wasm::Model::wrap(self.$model())
            }

            /// The number of classes K (2: binary).
            #[wasm_bindgen(getter, js_name = nClasses)]
            pub fn n_classes(&self) -> usize {
                self.$model().n_classes()
            }

            /// θ = [w; b] as one array.
            #[wasm_bindgen(getter)]
            pub fn theta(&self) -> Vec<f64> {
                self.$model().theta().as_slice().to_vec()
            }

            /// P(y = 1 | x) per row (binary) or the n × K probabilities row-major, for
            /// row-major `x` (n × d, in the model's units).
            #[wasm_bindgen(js_name = predictProba)]
            pub fn predict_proba(
                &self,
                #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] x: JsValue,
            ) -> Result<Vec<f64>, JsError> {
                $crate::wasm::convert::predict_proba(self.$model(), &x)
            }
        }
    };
}
pub(super) use model_views;
