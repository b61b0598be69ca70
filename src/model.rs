//! A fitted binary logistic model: P(y = 1 | x) = σ(w·x + b).

use nalgebra::{DMatrix, DVector};

use crate::error::{Error, Result};
use crate::objective::{sigmoid, Objective};

/// Parameters θ = [w; b] (or θ = w without an intercept) of a binary logistic model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    theta: DVector<f64>,
    n_features: usize,
    fit_intercept: bool,
}

impl Model {
    /// Wraps a parameter vector of length d (+1 if `fit_intercept`, intercept last).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if the length does not fit, [`Error::NonFinite`] for NaN/inf.
    pub fn from_theta(theta: DVector<f64>, n_features: usize, fit_intercept: bool) -> Result<Self> {
        let expected = n_features + usize::from(fit_intercept);
        if theta.len() != expected {
            return Err(Error::ShapeMismatch {
                what: "parameters θ",
                expected: format!("{expected} values"),
                got: format!("{}", theta.len()),
            });
        }
        if let Some(col) = theta.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                what: "parameters θ",
                row: 0,
                col,
            });
        }
        Ok(Self {
            theta,
            n_features,
            fit_intercept,
        })
    }

    /// All parameters θ (weights, then the intercept if fitted).
    pub fn theta(&self) -> &DVector<f64> {
        &self.theta
    }

    /// The weights w (scikit-learn's `coef_`), d entries.
    pub fn coef(&self) -> &[f64] {
        &self.theta.as_slice()[..self.n_features]
    }

    /// The intercept b (scikit-learn's `intercept_`); 0 when not fitted.
    pub fn intercept(&self) -> f64 {
        if self.fit_intercept {
            self.theta[self.n_features]
        } else {
            0.0
        }
    }

    /// Number of features d.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Whether θ ends with an intercept.
    pub fn fit_intercept(&self) -> bool {
        self.fit_intercept
    }

    /// w·xᵢ + b for every row of `x` (n × d).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `x` does not have d columns.
    pub fn decision_function(&self, x: &DMatrix<f64>) -> Result<DVector<f64>> {
        if x.ncols() != self.n_features {
            return Err(Error::ShapeMismatch {
                what: "features",
                expected: format!("{} columns (the model's features)", self.n_features),
                got: format!("{} columns", x.ncols()),
            });
        }
        let objective = Objective::new(0.0, self.fit_intercept);
        Ok(objective.margins(x, &self.theta))
    }

    /// P(y = 1 | xᵢ) for every row of `x` (n × d).
    ///
    /// # Errors
    /// As [`Model::decision_function`].
    pub fn predict_proba(&self, x: &DMatrix<f64>) -> Result<DVector<f64>> {
        Ok(self.decision_function(x)?.map(sigmoid))
    }

    /// Predicted labels in {0, 1}: 1 where w·x + b ≥ 0.
    ///
    /// # Errors
    /// As [`Model::decision_function`].
    pub fn predict(&self, x: &DMatrix<f64>) -> Result<DVector<f64>> {
        Ok(self
            .decision_function(x)?
            .map(|m| if m >= 0.0 { 1.0 } else { 0.0 }))
    }
}
