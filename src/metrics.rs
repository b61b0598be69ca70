//! How good an unlearned model is: on held-out data, against the retrained model, and by its
//! gradient residual on the edited data.

use nalgebra::DVector;

use crate::data::Dataset;
use crate::objective::{predicted_class, row_loss, Objective};

/// Gradient residual ‖∇L(θ; D̃)‖₂: zero exactly at the retrained optimum (Warnecke et al. §5;
/// Guo et al. 2020, the quantity their certificates bound).
pub fn gradient_residual(objective: &Objective, edited: &Dataset, theta: &DVector<f64>) -> f64 {
    objective.gradient(edited, theta).norm()
}

/// Euclidean distance ‖a − b‖₂ between two parameter vectors.
pub fn distance(a: &DVector<f64>, b: &DVector<f64>) -> f64 {
    (a - b).norm()
}

/// Predicted classes (binary: 1 where θᵀx̂ ≥ 0) for every row of `data`.
pub fn predictions(objective: &Objective, data: &Dataset, theta: &DVector<f64>) -> Vec<usize> {
    let scores = objective.margins(data.x(), theta, data.n_classes());
    (0..scores.nrows())
        .map(|i| predicted_class(&scores.row(i).iter().copied().collect::<Vec<_>>()))
        .collect()
}

/// Accuracy, log-loss and agreement of a model on test data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TestMetrics {
    /// Share of rows whose predicted label equals the true label, in [0, 1].
    pub accuracy: f64,
    /// Mean log-loss (natural log), as scikit-learn's `log_loss`.
    pub log_loss: f64,
    /// Share of rows whose predicted label equals the reference model's, in [0, 1].
    pub agreement: f64,
}

/// [`TestMetrics`] of θ on `test`, with agreement measured against `reference` predictions.
///
/// An empty test set gives NaN for every metric (there is nothing to measure).
pub fn test_metrics(
    objective: &Objective,
    test: &Dataset,
    theta: &DVector<f64>,
    reference: &[usize],
) -> TestMetrics {
    let n = test.n_samples() as f64;
    let scores = objective.margins(test.x(), theta, test.n_classes());
    let mut correct = 0usize;
    let mut agree = 0usize;
    let mut loss = 0.0;
    for (i, &r) in reference.iter().enumerate().take(test.n_samples()) {
        let row: Vec<f64> = scores.row(i).iter().copied().collect();
        let predicted = predicted_class(&row);
        let y = test.y()[i];
        correct += usize::from(predicted == y as usize);
        agree += usize::from(predicted == r);
        loss += row_loss(y, &row);
    }
    TestMetrics {
        accuracy: correct as f64 / n,
        log_loss: loss / n,
        agreement: agree as f64 / n,
    }
}
