//! The Cholesky factor of the Hessian at θ*, kept from training and reused across requests.
//!
//! The logistic Hessian is H(θ; D) = Σᵢ σ'(θᵀx̂ᵢ) x̂ᵢx̂ᵢᵀ + λI_w, a sum over rows that does not
//! involve the labels. So for an edit Z → Z̃ at the same θ*:
//!
//!   H̃ = H(θ*; D̃) = H(θ*; D) + Σ_{z̃∈Z̃} σ'(θ*ᵀx̃) x̃x̃ᵀ − Σ_{z∈Z} σ'(θ*ᵀx) xxᵀ,
//!
//! 2m rank-one changes for m affected rows (none for a pure label edit). Updating the factor
//! costs O(m·p²) instead of O(n·p² + p³) for rebuilding it (p parameters).

use nalgebra::{Cholesky, DMatrix, DVector, Dyn};

use crate::data::Dataset;
use crate::edit::EditDelta;
use crate::error::{Error, Result};
use crate::objective::{class_probabilities, outputs, Objective};

/// A Cholesky factor of ∇²L(θ; D) and the θ and row count it belongs to.
#[derive(Debug, Clone)]
pub struct HessianFactor {
    cholesky: Cholesky<f64, Dyn>,
    theta: DVector<f64>,
}

impl HessianFactor {
    /// Builds and factorises ∇²L(θ; D).
    ///
    /// # Errors
    /// [`Error::NotPositiveDefinite`] if Cholesky fails.
    pub fn new(objective: &Objective, data: &Dataset, theta: &DVector<f64>) -> Result<Self> {
        let cholesky = factorise(objective.hessian(data, theta), "Hessian at θ*")?;
        Ok(Self {
            cholesky,
            theta: theta.clone(),
        })
    }

    /// The parameters the Hessian was taken at.
    pub fn theta(&self) -> &DVector<f64> {
        &self.theta
    }

    /// The condition number λ_max/λ_min of H (from its eigenvalues, O(p³)).
    pub fn condition_number(&self) -> f64 {
        let l = self.cholesky.l();
        let eigenvalues = (&l * l.transpose()).symmetric_eigenvalues();
        eigenvalues.max() / eigenvalues.min().max(f64::MIN_POSITIVE)
    }

    /// H⁻¹v.
    pub fn solve(&self, v: &DVector<f64>) -> DVector<f64> {
        self.cholesky.solve(v)
    }

    /// The factor of H̃ = ∇²L(θ; D̃) for `applied` (at the same θ), by rank-one updates for the
    /// rows of Z̃ and downdates for the rows of Z. Updates go first, so every intermediate matrix
    /// stays ⪰ H̃ and positive definite.
    ///
    /// # Errors
    /// [`Error::NotPositiveDefinite`] if a downdate loses definiteness (H̃ singular or badly
    /// conditioned); callers can rebuild H̃ instead.
    pub fn edited(&self, objective: &Objective, delta: &EditDelta) -> Result<Self> {
        // A row whose features did not change (a relabelled row) leaves H unchanged.
        let mut moved_before = vec![true; delta.affected.len()];
        let mut moved_after = Vec::with_capacity(delta.after_rows.len());
        for (l, row) in delta.after_rows.iter().enumerate() {
            let k = delta.affected.binary_search(row).unwrap_or(0);
            if delta.after.x().row(l) == delta.before.x().row(k) {
                moved_before[k] = false;
            } else {
                moved_after.push(l);
            }
        }
        let moved_before: Vec<usize> = (0..moved_before.len())
            .filter(|&k| moved_before[k])
            .collect();
        let mut changes = Vec::new();
        for (rows, picked, sign) in [
            (&delta.after, &moved_after, 1.0),
            (&delta.before, &moved_before, -1.0),
        ] {
            let selected = rows.select_rows(picked);
            for (vector, weight) in curvature_terms(objective, &selected, &self.theta) {
                changes.push((vector, sign * weight));
            }
        }
        // With λ scaled by n, removing rows also lowers the penalty on the diagonal.
        let penalty_change = objective.l2_for(delta.n_after) - objective.l2_for(delta.n_before);
        if penalty_change != 0.0 {
            let p = self.theta.len();
            let (d, k) = (delta.before.n_features(), delta.before.n_classes());
            for j in 0..objective.n_penalised(d, k) {
                changes.push((
                    DVector::from_fn(p, |k, _| f64::from(k == j)),
                    penalty_change,
                ));
            }
        }
        let mut cholesky = self.cholesky.clone();
        for positive in [true, false] {
            for (x, sigma) in changes.iter().filter(|(_, s)| (*s > 0.0) == positive) {
                if *sigma != 0.0 {
                    cholesky.rank_one_update(x, *sigma);
                }
            }
        }
        let diagonal_ok = cholesky
            .l_dirty()
            .diagonal()
            .iter()
            .all(|&v| v.is_finite() && v > 0.0);
        if !diagonal_ok {
            return Err(Error::NotPositiveDefinite {
                context: "Hessian update for the edited data",
            });
        }
        Ok(Self {
            cholesky,
            theta: self.theta.clone(),
        })
    }

    /// True when updating (2m rank-one changes, ~2m·p² flops) is cheaper than rebuilding
    /// (n·p² for the product plus p³/3 for the factorisation).
    pub fn update_is_cheaper(n_edited: usize, n_changes: usize, n_params: usize) -> bool {
        let p = n_params as f64;
        2.0 * n_changes as f64 * p * p < n_edited as f64 * p * p + p * p * p / 3.0
    }
}

/// Cholesky of a Hessian, or the error naming where it failed.
pub(crate) fn factorise(h: DMatrix<f64>, context: &'static str) -> Result<Cholesky<f64, Dyn>> {
    Cholesky::new(h).ok_or(Error::NotPositiveDefinite { context })
}

/// Each row's Hessian contribution as weighted rank-one terms (v, w), Σ w·vvᵀ: binary,
/// σ(1 − σ)·x̂x̂ᵀ; softmax, (diag(p) − ppᵀ) ⊗ x̂x̂ᵀ = Σₖ pₖ·((eₖ − p) ⊗ x̂)((eₖ − p) ⊗ x̂)ᵀ.
fn curvature_terms(
    objective: &Objective,
    rows: &Dataset,
    theta: &DVector<f64>,
) -> Vec<(DVector<f64>, f64)> {
    let k = rows.n_classes();
    let c = outputs(k);
    let probabilities = class_probabilities(&objective.margins(rows.x(), theta, k), k);
    let mut terms = Vec::new();
    for i in 0..rows.n_samples() {
        let p: Vec<f64> = probabilities.row(i).iter().copied().collect();
        if c == 1 {
            terms.push((design_row(objective, rows, i, &[1.0]), p[1] * p[0]));
            continue;
        }
        for class in 0..k {
            let direction: Vec<f64> = (0..k)
                .map(|j| f64::from(u8::from(j == class)) - p[j])
                .collect();
            terms.push((design_row(objective, rows, i, &direction), p[class]));
        }
    }
    terms
}

/// a ⊗ x̂ᵢ in θ's layout: aⱼ·xᵢ for class block j, then aⱼ for intercept j (if fitted).
fn design_row(objective: &Objective, data: &Dataset, i: usize, a: &[f64]) -> DVector<f64> {
    let (d, c) = (data.n_features(), a.len());
    let mut v = DVector::zeros(objective.n_params(d, data.n_classes()));
    for (j, &aj) in a.iter().enumerate() {
        for f in 0..d {
            v[j * d + f] = aj * data.x()[(i, f)];
        }
        if objective.fit_intercept {
            v[d * c + j] = aj;
        }
    }
    v
}
