//! A fitted logistic model: binary, P(y = 1 | x) = σ(w·x + b), or multinomial,
//! P(y = k | x) = softmax(Wx + b)ₖ.

use nalgebra::{DMatrix, DVector};

use crate::error::{Error, Result};
use crate::objective::{class_probabilities, outputs, predicted_class, Objective};

/// Parameters θ of a logistic model over d features and K classes, in the layout of
/// [`Objective`]: the weights class by class (one block for the binary model), then the
/// intercepts if fitted.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    theta: DVector<f64>,
    n_features: usize,
    n_classes: usize,
    fit_intercept: bool,
}

impl Model {
    /// Wraps a parameter vector for d features and K classes.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if the length does not fit, [`Error::NonFiniteParameter`] for
    /// NaN/inf.
    pub fn from_theta(
        theta: DVector<f64>,
        n_features: usize,
        n_classes: usize,
        fit_intercept: bool,
    ) -> Result<Self> {
        let expected = Objective::new(0.0, fit_intercept).n_params(n_features, n_classes);
        if theta.len() != expected {
            return Err(Error::ShapeMismatch {
                what: "parameters θ",
                expected: format!("{expected} values"),
                got: format!("{}", theta.len()),
            });
        }
        if let Some(index) = theta.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFiniteParameter { index });
        }
        Ok(Self {
            theta,
            n_features,
            n_classes,
            fit_intercept,
        })
    }

    /// All parameters θ (weights, then the intercepts if fitted).
    pub fn theta(&self) -> &DVector<f64> {
        &self.theta
    }

    /// The weights (scikit-learn's `coef_`): d entries for the binary model, K rows of d
    /// (row-major) for the multinomial one.
    pub fn coef(&self) -> &[f64] {
        &self.theta.as_slice()[..self.n_features * outputs(self.n_classes)]
    }

    /// The intercepts (scikit-learn's `intercept_`): one for the binary model, K (centred) for
    /// the multinomial one; zeros when not fitted.
    pub fn intercepts(&self) -> Vec<f64> {
        let start = self.n_features * outputs(self.n_classes);
        if self.fit_intercept {
            self.theta.as_slice()[start..].to_vec()
        } else {
            vec![0.0; outputs(self.n_classes)]
        }
    }

    /// The binary model's intercept b (the first intercept of a multinomial model).
    pub fn intercept(&self) -> f64 {
        self.intercepts()[0]
    }

    /// Number of features d.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Number of classes K.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Whether θ ends with intercepts.
    pub fn fit_intercept(&self) -> bool {
        self.fit_intercept
    }

    /// Scores for every row of `x` (n × d): n × 1 (binary, w·x + b) or n × K.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `x` does not have d columns.
    pub fn decision_function(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        if x.ncols() != self.n_features {
            return Err(Error::ShapeMismatch {
                what: "features",
                expected: format!("{} columns (the model's features)", self.n_features),
                got: format!("{} columns", x.ncols()),
            });
        }
        let objective = Objective::new(0.0, self.fit_intercept);
        Ok(objective.margins(x, &self.theta, self.n_classes))
    }

    /// Class probabilities, n × K (binary: the columns are P(y = 0), P(y = 1)).
    ///
    /// # Errors
    /// As [`Model::decision_function`].
    pub fn predict_proba(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        Ok(class_probabilities(
            &self.decision_function(x)?,
            self.n_classes,
        ))
    }

    /// Predicted classes (binary: 1 where w·x + b ≥ 0; ties between classes go to the lower).
    ///
    /// # Errors
    /// As [`Model::decision_function`].
    pub fn predict(&self, x: &DMatrix<f64>) -> Result<DVector<f64>> {
        let scores = self.decision_function(x)?;
        Ok(DVector::from_fn(scores.nrows(), |i, _| {
            let row: Vec<f64> = scores.row(i).iter().copied().collect();
            predicted_class(&row) as f64
        }))
    }
}
