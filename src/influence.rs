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
use crate::objective::{sigmoid, Objective};

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
            let margins = objective.margins(selected.x(), &self.theta);
            for (i, &m) in margins.iter().enumerate() {
                let s = sigmoid(m);
                changes.push((design_row(objective, &selected, i), sign * s * (1.0 - s)));
            }
        }
        // With λ scaled by n, removing rows also lowers the penalty on the diagonal.
        let penalty_change = objective.l2_for(delta.n_after) - objective.l2_for(delta.n_before);
        if penalty_change != 0.0 {
            let p = self.theta.len();
            for j in 0..objective.n_penalised(delta.before.n_features()) {
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

/// x̂ᵢ = [xᵢ; 1] (or xᵢ without intercept).
fn design_row(objective: &Objective, data: &Dataset, i: usize) -> DVector<f64> {
    let d = data.n_features();
    let mut row = DVector::from_element(objective.n_params(d), 1.0);
    row.rows_mut(0, d).copy_from(&data.x().row(i).transpose());
    row
}
