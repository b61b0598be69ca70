//! Unlearning requests and the closed-form updates of Warnecke et al. (NDSS 2023), §4.
//!
//! A request replaces the affected training points Z by perturbed points Z̃, giving the edited
//! data D̃ = (D ∖ Z) ∪ Z̃. With G = Σ_{z̃∈Z̃} ∇ℓ(z̃, θ*) − Σ_{z∈Z} ∇ℓ(z, θ*):
//!
//! - first-order update: θ* − τ·G (Eq. 5 of the paper, τ the unlearning rate);
//! - second-order update: θ* − H̃⁻¹·G with H̃ = ∇²L(θ*; D̃) (Eq. 6; the Hessian on the edited
//!   data, as in the paper's certified code and Guo et al. 2020).

use nalgebra::DVector;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::objective::Objective;

/// One unlearning request: any combination of feature replacement, relabelling and removal.
///
/// Rows are indices into the training set D (0-based). When a row is both relabelled and
/// removed, removal wins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edit {
    /// Feature columns to replace in every row where they differ from `feature_value`.
    pub features: Vec<usize>,
    /// The replacement value, in the units of the model's features (the demo standardises, so
    /// the default 0 is the training mean). Default 0.
    pub feature_value: f64,
    /// `(row, new_label)` pairs, labels in {0, 1}.
    pub relabel: Vec<(usize, f64)>,
    /// Rows to remove.
    pub remove: Vec<usize>,
}

impl Edit {
    /// True if the edit cannot change anything (no features, labels or rows named).
    pub fn is_empty(&self) -> bool {
        self.features.is_empty() && self.relabel.is_empty() && self.remove.is_empty()
    }

    /// Checks every index and value against a dataset of `n_samples × n_features`.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`], [`Error::InvalidLabel`], [`Error::Duplicate`] (a row
    /// relabelled twice), [`Error::InvalidParameter`] for a non-finite `feature_value`.
    pub fn validate(&self, n_samples: usize, n_features: usize) -> Result<()> {
        if !self.feature_value.is_finite() {
            return Err(Error::InvalidParameter {
                name: "feature_value",
                value: self.feature_value,
                expected: "a finite number",
            });
        }
        check_indices("features to forget", &self.features, n_features)?;
        check_indices("rows to remove", &self.remove, n_samples)?;
        let rows: Vec<usize> = self.relabel.iter().map(|&(row, _)| row).collect();
        check_indices("rows to relabel", &rows, n_samples)?;
        let mut seen = vec![false; n_samples];
        for &(row, label) in &self.relabel {
            if label != 0.0 && label != 1.0 {
                return Err(Error::InvalidLabel { row, value: label });
            }
            if std::mem::replace(&mut seen[row], true) {
                return Err(Error::Duplicate {
                    what: "rows to relabel",
                    index: row,
                });
            }
        }
        Ok(())
    }

    /// Replaces the chosen feature columns of `x` (any number of rows) in place.
    pub fn replace_features(&self, x: &mut nalgebra::DMatrix<f64>) {
        for &j in &self.features {
            x.column_mut(j).fill(self.feature_value);
        }
    }
}

fn check_indices(what: &'static str, indices: &[usize], len: usize) -> Result<()> {
    match indices.iter().find(|&&i| i >= len) {
        Some(&index) => Err(Error::IndexOutOfRange { what, index, len }),
        None => Ok(()),
    }
}

/// An edit applied to a dataset: D̃ and the affected points before (Z) and after (Z̃).
#[derive(Debug, Clone)]
pub struct AppliedEdit {
    /// D̃: the kept rows of D, in order, with features replaced and labels changed.
    pub edited: Dataset,
    /// Rows of D that the edit changes or removes, ascending (the set Z).
    pub affected: Vec<usize>,
    /// Z: the affected rows as they were in D.
    pub before: Dataset,
    /// Z̃: the affected rows that are kept, as they are in D̃ (removed rows have no z̃).
    pub after: Dataset,
}

/// Applies `edit` to `data`.
///
/// # Errors
/// As [`Edit::validate`].
pub fn apply_edit(data: &Dataset, edit: &Edit) -> Result<AppliedEdit> {
    edit.validate(data.n_samples(), data.n_features())?;
    let mut removed = vec![false; data.n_samples()];
    for &row in &edit.remove {
        removed[row] = true;
    }
    let mut x = data.x().clone();
    edit.replace_features(&mut x);
    let mut y = data.y().clone();
    for &(row, label) in &edit.relabel {
        y[row] = label;
    }
    let changed = |i: usize| removed[i] || y[i] != data.y()[i] || x.row(i) != data.x().row(i);
    let affected: Vec<usize> = (0..data.n_samples()).filter(|&i| changed(i)).collect();
    let kept: Vec<usize> = (0..data.n_samples()).filter(|&i| !removed[i]).collect();
    let kept_affected: Vec<usize> = affected.iter().copied().filter(|&i| !removed[i]).collect();
    let perturbed = Dataset::from_parts_unchecked(x, y);
    Ok(AppliedEdit {
        edited: perturbed.select_rows(&kept),
        before: data.select_rows(&affected),
        after: perturbed.select_rows(&kept_affected),
        affected,
    })
}

/// G = Σ_{z̃∈Z̃} ∇ℓ(z̃, θ) − Σ_{z∈Z} ∇ℓ(z, θ): data-loss gradients only (λθ cancels).
///
/// Costs O(m·d) for m affected rows. For a label flip the result is Σ ±x̂ᵢ, independent of θ.
pub fn gradient_difference(
    objective: &Objective,
    applied: &AppliedEdit,
    theta: &DVector<f64>,
) -> DVector<f64> {
    objective.data_gradient(&applied.after, theta) - objective.data_gradient(&applied.before, theta)
}

/// First-order update θ − τ·G (Warnecke et al., Eq. 5).
///
/// # Errors
/// [`Error::InvalidParameter`] unless τ is finite and ≥ 0.
pub fn first_order_update(
    theta: &DVector<f64>,
    gradient_difference: &DVector<f64>,
    tau: f64,
) -> Result<DVector<f64>> {
    if !(tau.is_finite() && tau >= 0.0) {
        return Err(Error::InvalidParameter {
            name: "τ (unlearning rate)",
            value: tau,
            expected: "a finite number ≥ 0",
        });
    }
    Ok(theta - gradient_difference * tau)
}

/// Second-order update θ − H̃⁻¹·G with H̃ = ∇²L(θ; D̃) (Warnecke et al., Eq. 6).
///
/// # Errors
/// [`Error::NotPositiveDefinite`] if H̃ cannot be factorised, [`Error::NumericalFailure`] if
/// the result is not finite.
pub fn second_order_update(
    objective: &Objective,
    edited: &Dataset,
    theta: &DVector<f64>,
    gradient_difference: &DVector<f64>,
) -> Result<DVector<f64>> {
    let step = objective
        .hessian(edited, theta)
        .cholesky()
        .ok_or(Error::NotPositiveDefinite {
            context: "second-order update (Hessian on the edited data)",
        })?
        .solve(gradient_difference);
    let updated = theta - step;
    if updated.iter().all(|v| v.is_finite()) {
        Ok(updated)
    } else {
        Err(Error::NumericalFailure {
            context: "second-order update",
        })
    }
}
