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

/// Largest accepted lower bound on the condition number, (max Lᵢᵢ / min Lᵢᵢ)²: beyond it a
/// solve keeps fewer than about three significant digits.
pub const MAX_CONDITION: f64 = 1e13;

/// Condition number beyond which results carry a warning: along the flattest directions a
/// small residual no longer means θ is near the optimum.
pub const WARN_CONDITION: f64 = 1e10;

/// Largest accepted relative residual ‖H x − g‖ / ‖g‖ of a solve.
pub const SOLVE_TOLERANCE: f64 = 1e-8;

/// A Cholesky factor of ∇²L(θ; D) and the θ it was taken at.
#[derive(Debug, Clone)]
pub struct HessianFactor {
    cholesky: Cholesky<f64, Dyn>,
    theta: DVector<f64>,
    layout: Layout,
}

/// What each entry of θ is, to name the flat directions of a singular Hessian.
#[derive(Debug, Clone, Copy)]
struct Layout {
    n_features: usize,
    n_classes: usize,
    l2_zero: bool,
}

impl Layout {
    fn of(objective: &Objective, data: &Dataset) -> Self {
        Self {
            n_features: data.n_features(),
            n_classes: data.n_classes(),
            l2_zero: objective.l2 == 0.0,
        }
    }

    /// "feature 3", "the intercept", "feature 3 (class 2)", "the intercept of class 2".
    fn describe(&self, j: usize) -> String {
        let (d, c) = (self.n_features, outputs(self.n_classes));
        match (j < d * c, c) {
            (true, 1) => format!("feature {j}"),
            (true, _) => format!("feature {} (class {})", j % d, j / d),
            (false, 1) => "the intercept".to_owned(),
            (false, _) => format!("the intercept of class {}", j - d * c),
        }
    }
}

impl HessianFactor {
    /// Builds and factorises ∇²L(θ; D), and checks that it can be trusted.
    ///
    /// # Errors
    /// [`Error::NotPositiveDefinite`] if Cholesky fails, [`Error::IllConditioned`] (naming the
    /// parameters along the flattest direction) if H is numerically singular.
    pub fn new(objective: &Objective, data: &Dataset, theta: &DVector<f64>) -> Result<Self> {
        Self::new_for("Hessian at θ", objective, data, theta)
    }

    /// As [`HessianFactor::new`], with `context` naming the step in errors.
    ///
    /// # Errors
    /// As [`HessianFactor::new`].
    pub fn new_for(
        context: &'static str,
        objective: &Objective,
        data: &Dataset,
        theta: &DVector<f64>,
    ) -> Result<Self> {
        let layout = Layout::of(objective, data);
        Self::factorise(objective.hessian(data, theta), theta, layout, context)
    }

    fn factorise(
        h: DMatrix<f64>,
        theta: &DVector<f64>,
        layout: Layout,
        context: &'static str,
    ) -> Result<Self> {
        let Some(cholesky) = Cholesky::new(h.clone()) else {
            // Not even positive definite in float64: name the flat direction all the same.
            return Err(Error::IllConditioned {
                context,
                condition: f64::INFINITY,
                flat: flattest_direction(&h, &layout),
                l2_zero: layout.l2_zero,
            });
        };
        let factor = Self {
            cholesky,
            theta: theta.clone(),
            layout,
        };
        factor.check(context)?;
        Ok(factor)
    }

    /// The pivot-ratio test: (max Lᵢᵢ / min Lᵢᵢ)² ≤ κ(H), so a large ratio proves H singular in
    /// float64. A NaN or non-positive pivot is no factor at all.
    fn check(&self, context: &'static str) -> Result<()> {
        let diagonal = self.cholesky.l_dirty().diagonal();
        if diagonal.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            return Err(Error::NotPositiveDefinite { context });
        }
        let condition = self.pivot_condition();
        if condition > MAX_CONDITION {
            return Err(self.ill_conditioned(context, condition));
        }
        Ok(())
    }

    /// (max Lᵢᵢ / min Lᵢᵢ)², a lower bound on the condition number of H (O(p)).
    pub fn pivot_condition(&self) -> f64 {
        let diagonal = self.cholesky.l_dirty().diagonal();
        let (lo, hi) = diagonal
            .iter()
            .fold((f64::INFINITY, 0.0f64), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        (hi / lo).powi(2)
    }

    /// A warning when H is nearly singular (pivot condition above [`WARN_CONDITION`]).
    pub fn condition_warning(&self, what: &str) -> Option<String> {
        let condition = self.pivot_condition();
        (condition > WARN_CONDITION).then(|| {
            format!(
                "{what} is nearly singular (condition number ≳ {condition:.1e}): along its \
                 flattest directions a small residual does not mean θ is near the optimum, and \
                 the second-order updates amplify rounding errors; increase λ or standardise the \
                 features"
            )
        })
    }

    fn ill_conditioned(&self, context: &'static str, condition: f64) -> Error {
        let l = self.cholesky.l();
        Error::IllConditioned {
            context,
            condition,
            flat: flattest_direction(&(&l * l.transpose()), &self.layout),
            l2_zero: self.layout.l2_zero,
        }
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

    /// The second-order step θ − H⁻¹g, with the solve checked: ‖H x − g‖ ≤ [`SOLVE_TOLERANCE`]·‖g‖
    /// and every entry finite. The one place the update's linear algebra is done.
    ///
    /// # Errors
    /// [`Error::IllConditioned`] when the solve misses the tolerance, [`Error::NumericalFailure`]
    /// for a result that is not finite.
    pub fn step(
        &self,
        theta: &DVector<f64>,
        g: &DVector<f64>,
        context: &'static str,
    ) -> Result<DVector<f64>> {
        let x = self.cholesky.solve(g);
        let l = self.cholesky.l();
        let residual = (&l * l.tr_mul(&x) - g).norm();
        let finite = x.iter().all(|v| v.is_finite());
        if finite && residual.is_finite() && residual > SOLVE_TOLERANCE * g.norm() {
            // Backward-stable solves leave ‖r‖ ≈ ε·κ·‖g‖, so the residual estimates κ.
            let estimate = residual / (g.norm() * f64::EPSILON);
            return Err(self.ill_conditioned(context, estimate));
        }
        let stepped = theta - x;
        if stepped.iter().all(|v| v.is_finite()) {
            Ok(stepped)
        } else {
            Err(Error::NumericalFailure { context })
        }
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
        let updated = Self {
            cholesky,
            theta: self.theta.clone(),
            layout: self.layout,
        };
        updated.check("Hessian update for the edited data")?;
        Ok(updated)
    }

    /// True when updating (2m rank-one changes, ~2m·p² flops) is cheaper than rebuilding
    /// (n·p² for the product plus p³/3 for the factorisation).
    pub fn update_is_cheaper(n_edited: usize, n_changes: usize, n_params: usize) -> bool {
        let p = n_params as f64;
        2.0 * n_changes as f64 * p * p < n_edited as f64 * p * p + p * p * p / 3.0
    }
}

/// The parameters that carry the eigenvector of `h`'s smallest eigenvalue (O(p³), only on
/// failure): the ones with at least a fifth of its largest entry, at most four named.
fn flattest_direction(h: &DMatrix<f64>, layout: &Layout) -> String {
    let eigen = h.clone().symmetric_eigen();
    let v = eigen.eigenvectors.column(eigen.eigenvalues.imin());
    let top = v.amax();
    let mut named: Vec<(usize, f64)> = (0..v.len())
        .filter(|&j| v[j].abs() >= 0.2 * top)
        .map(|j| (j, v[j].abs()))
        .collect();
    named.sort_by(|a, b| b.1.total_cmp(&a.1));
    let words: Vec<String> = named
        .iter()
        .take(4)
        .map(|&(j, _)| layout.describe(j))
        .collect();
    match named.len().saturating_sub(4) {
        0 => words.join(", "),
        more => format!("{} and {more} more", words.join(", ")),
    }
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
