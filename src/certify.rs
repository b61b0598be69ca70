//! Certified unlearning (Guo, Goldstein, Hannun & van der Maaten, ICML 2020, Thm 3; Warnecke et
//! al., NDSS 2023, Thm 2): train on L_b(θ) = L(θ) + bᵀθ with b ~ N(0, σ²I); if after unlearning
//! the gradient residual ‖∇L_b(θ; D̃)‖ is at most β_max = σε/c with c = √(2 ln(1.5/δ)), the
//! result is (ε, δ)-indistinguishable from retraining on D̃ with fresh noise.
//!
//! The residual is bounded per request and the bounds add up (Guo et al., Algorithm 2); when
//! the sum would pass β_max the model is retrained from scratch with a new b. The bounds here
//! need ‖x̂ᵢ‖₂ ≤ 1 for every row and a λ-strongly convex objective (every parameter penalised).

use nalgebra::DMatrix;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::objective::{gram_into, Objective};

/// Lipschitz constant of σ'(t) = σ(t)(1 − σ(t)) used by the bounds; 1/4 as Guo et al. (the
/// exact constant, 1/(6√3) ≈ 0.096, is smaller, so 1/4 keeps every bound conservative).
pub const GAMMA: f64 = 0.25;

/// Slack allowed on ‖x̂ᵢ‖ ≤ 1 for rows scaled to unit norm in floating point.
const NORM_SLACK: f64 = 1e-12;

/// The privacy parameters of certified unlearning.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(js, derive(serde::Serialize))]
pub struct Privacy {
    /// ε > 0.
    pub epsilon: f64,
    /// 0 < δ < 1.
    pub delta: f64,
    /// σ > 0, the standard deviation of each entry of b.
    pub sigma: f64,
}

impl Privacy {
    /// Checks ε > 0, 0 < δ < 1, σ > 0, all finite.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the bad one.
    pub fn validate(&self) -> Result<()> {
        let check = |name, value: f64, ok: bool, expected| {
            if value.is_finite() && ok {
                Ok(())
            } else {
                Err(Error::InvalidParameter {
                    name,
                    value,
                    expected,
                })
            }
        };
        check("ε", self.epsilon, self.epsilon > 0.0, "a number > 0")?;
        check(
            "δ",
            self.delta,
            self.delta > 0.0 && self.delta < 1.0,
            "a number in (0, 1)",
        )?;
        check("σ", self.sigma, self.sigma > 0.0, "a number > 0")
    }

    /// c = √(2 ln(1.5/δ)).
    pub fn c(&self) -> f64 {
        noise_multiplier(self.delta)
    }

    /// β_max = σε/c: the largest total gradient residual the noise can hide.
    pub fn budget(&self) -> f64 {
        self.sigma * self.epsilon / self.c()
    }
}

/// c = √(2 ln(1.5/δ)) (Guo et al., Thm 3: δ = 1.5·exp(−c²/2)).
pub fn noise_multiplier(delta: f64) -> f64 {
    (2.0 * (1.5 / delta).ln()).sqrt()
}

/// The σ that certifies a gradient residual `residual` at (ε, δ): σ = residual·c/ε.
pub fn sigma_for(residual: f64, epsilon: f64, delta: f64) -> f64 {
    residual * noise_multiplier(delta) / epsilon
}

/// Second-order step bound (Guo et al., Cor. 1, extended to a Hessian taken at θ_s ≠ θ and to
/// feature and label edits): for θ' = θ − Δ with Δ = H_s⁻¹G,
///
/// ‖∇L_b(θ'; D̃)‖ ≤ ‖∇L_b(θ; D)‖ + γ·‖X̃‖₂·‖X̃Δ‖₂·(‖Δ‖₂ + ‖θ − θ_s‖₂).
///
/// This returns the second term; the first is the residual carried from earlier requests.
/// Why: the residual is (H_s − H̄)Δ with H̄ the mean Hessian on the segment [θ', θ], and
/// |σ'(a) − σ'(b)| ≤ γ|a − b| with |x̂ᵀ(ξ − θ_s)| ≤ ‖ξ − θ_s‖ for ‖x̂‖ ≤ 1.
pub fn second_order_bound(
    design_norm: f64,
    design_step_norm: f64,
    step_norm: f64,
    staleness: f64,
) -> f64 {
    GAMMA * design_norm * design_step_norm * (step_norm + staleness)
}

/// First-order step bound: ‖(I − τH̄)G‖ ≤ ‖G‖·max(|1 − τμ|, |1 − τ(μ + ‖X̃‖₂²/4)|), the
/// eigenvalues of the mean Hessian H̄ lying in [μ, μ + ‖X̃‖₂²/4] (μ the strong convexity).
pub fn first_order_bound(g_norm: f64, tau: f64, mu: f64, design_norm: f64) -> f64 {
    let top = mu + design_norm * design_norm / 4.0;
    g_norm * (1.0 - tau * mu).abs().max((1.0 - tau * top).abs())
}

/// Data-independent (worst-case) bound on the second-order residual for m affected rows:
/// γ·ñ·(k·m/μ)², where ‖G‖ ≤ k·m with k the largest change of one row's gradient (1 for a
/// label flip or a removal with fixed λ; 2 for a feature change, or a removal whose share of
/// the penalty leaves with it as in Guo et al.), ñ the rows of D̃ and μ the strong convexity.
/// For removal with per-sample λ this is Guo et al.'s Thm 4, 4γm²/(λ²(n − m)).
pub fn worst_case_bound(n_after: usize, m: usize, k: f64, mu: f64) -> f64 {
    let g = k * m as f64 / mu;
    GAMMA * n_after as f64 * g * g
}

/// ‖X̂‖₂ from the Gram matrix X̂ᵀX̂ (the square root of its largest eigenvalue).
pub fn spectral_norm_from_gram(gram: &DMatrix<f64>) -> f64 {
    gram.clone()
        .symmetric_eigenvalues()
        .iter()
        .fold(0.0f64, |a, &b| a.max(b))
        .sqrt()
}

/// X̂ᵀX̂ for the rows of `data` (with the intercept column if fitted).
pub fn gram(objective: &Objective, data: &Dataset) -> DMatrix<f64> {
    let design = design_matrix(objective, data);
    let mut gram = DMatrix::zeros(design.ncols(), design.ncols());
    gram_into(&mut gram, &design, &design);
    gram
}

/// The rows x̂ᵢ = [xᵢ; 1] (or xᵢ) as an n × (d + 1) (or n × d) matrix.
pub fn design_matrix(objective: &Objective, data: &Dataset) -> DMatrix<f64> {
    let (n, d) = (data.n_samples(), data.n_features());
    let mut design = DMatrix::from_element(n, d + usize::from(objective.fit_intercept), 1.0);
    design.columns_mut(0, d).copy_from(data.x());
    design
}

/// Which assumptions of the bounds fail for `objective` on `data` (empty when all hold). Rows are
/// named by `row_ids[i]` (the caller's numbering of row i, which removals do not shift).
pub fn failed_assumptions(objective: &Objective, data: &Dataset, row_ids: &[usize]) -> Vec<String> {
    let mut failed = Vec::new();
    if objective.l2 <= 0.0 {
        failed.push("λ must be > 0 for a strongly convex objective".to_owned());
    }
    if objective.fit_intercept && !objective.penalize_intercept {
        failed.push(
            "the intercept is not penalised: penalise it or fit without an intercept".to_owned(),
        );
    }
    if data.n_classes() > 2 {
        failed.push(
            "the bounds are proven for binary models; multinomial models are not certified"
                .to_owned(),
        );
    }
    if objective.noise.is_none() {
        failed.push("the model was trained without the noise term bᵀθ".to_owned());
    }
    if let Some((position, norm)) = largest_row_norm(objective, data) {
        let row = row_ids.get(position).copied().unwrap_or(position);
        if norm > 1.0 + NORM_SLACK {
            failed.push(format!(
                "row {row} has ‖x̂‖₂ = {norm:.4} > 1: scale rows to unit norm"
            ));
        }
    }
    failed
}

/// The row with the largest ‖x̂ᵢ‖₂ and that norm.
pub fn largest_row_norm(objective: &Objective, data: &Dataset) -> Option<(usize, f64)> {
    let design = design_matrix(objective, data);
    (0..design.nrows())
        .map(|i| (i, design.row(i).norm()))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_numbers_of_the_digest() {
        // Paper digest §6, case 9 (values from Guo et al.'s and Warnecke et al.'s code).
        assert!((noise_multiplier(1e-4) - 4.385386).abs() < 5e-7);
        assert!((noise_multiplier(1e-2) - 3.165639).abs() < 5e-7);
        assert!((noise_multiplier(1e-5) - 4.882293).abs() < 5e-7);
        let p = Privacy {
            epsilon: 1.0,
            delta: 1e-4,
            sigma: 10.0,
        };
        assert!((p.budget() - 2.280301).abs() < 5e-7);
        assert!((sigma_for(0.232_444_215_733_771_9, 0.1, 0.01) - 7.358344860277508).abs() < 1e-12);
    }

    #[test]
    fn guo_worst_case_matches_theorem_4() {
        // Per-sample λ: k = 2, μ = λ(n − m); digest case 12 (83.465) and case 10 (14.2857).
        let (lambda, n): (f64, usize) = (1e-3, 11_982);
        let bound = worst_case_bound(n - 1, 1, 2.0, lambda * (n - 1) as f64);
        assert!((bound - 4.0 * GAMMA / (lambda * lambda * (n - 1) as f64)).abs() < 1e-9);
        assert!((bound - 83.465).abs() < 5e-4);
        assert!((worst_case_bound(7, 1, 2.0, 0.1 * 7.0) - 14.2857).abs() < 5e-5);
    }
}
