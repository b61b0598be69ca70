//! The L2-regularised logistic objective (sum form) with its gradient and Hessian.
//!
//! L(θ; D) = Σᵢ log(1 + exp(−sᵢ θᵀx̂ᵢ)) + (λ/2)‖w‖²,  sᵢ = 2yᵢ − 1 ∈ {−1, +1},
//!
//! with θ = [w; b] and x̂ = [x; 1] when an intercept is fitted (the intercept `b` is not
//! penalised), θ = w and x̂ = x otherwise. This is the objective of Warnecke et al. (NDSS 2023,
//! certified code `DPLRUnlearner`) and has the same optimum as scikit-learn's
//! `LogisticRegression(C = 1/λ)`.

use nalgebra::{DMatrix, DVector};

use crate::data::Dataset;

/// The regularisation strength λ and whether an unpenalised intercept is part of θ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Objective {
    /// λ ≥ 0, the weight of (λ/2)‖w‖² (sum form: not divided by n).
    pub l2: f64,
    /// If true, θ has d + 1 entries and the last one is the unpenalised intercept.
    pub fit_intercept: bool,
}

/// log(1 + eᵗ) without overflow for large t or loss of precision for very negative t.
pub fn softplus(t: f64) -> f64 {
    t.max(0.0) + (-t.abs()).exp().ln_1p()
}

/// 1 / (1 + e⁻ᵗ), exact to rounding for every finite t (no inf/inf).
pub fn sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        1.0 / (1.0 + (-t).exp())
    } else {
        let e = t.exp();
        e / (1.0 + e)
    }
}

/// Log-loss of one example with label `y ∈ {0,1}` and margin `m = θᵀx̂`: log(1 + exp(−s·m)).
pub fn log_loss(y: f64, margin: f64) -> f64 {
    softplus(-(2.0 * y - 1.0) * margin)
}

impl Objective {
    /// Number of parameters for `n_features` features: d, or d + 1 with an intercept.
    pub fn n_params(&self, n_features: usize) -> usize {
        n_features + usize::from(self.fit_intercept)
    }

    /// Margins θᵀx̂ᵢ for every row of `x` (n × d).
    pub fn margins(&self, x: &DMatrix<f64>, theta: &DVector<f64>) -> DVector<f64> {
        let d = x.ncols();
        let mut m = x * theta.rows(0, d);
        if self.fit_intercept {
            m.add_scalar_mut(theta[d]);
        }
        m
    }

    /// L(θ; D).
    pub fn loss(&self, data: &Dataset, theta: &DVector<f64>) -> f64 {
        let m = self.margins(data.x(), theta);
        let data_loss: f64 = m
            .iter()
            .zip(data.y().iter())
            .map(|(&m, &y)| log_loss(y, m))
            .sum();
        data_loss + 0.5 * self.l2 * theta.rows(0, data.n_features()).norm_squared()
    }

    /// Σᵢ ∇ℓ(zᵢ, θ) = Σᵢ (σ(θᵀx̂ᵢ) − yᵢ) x̂ᵢ: the data part of the gradient, without λ.
    ///
    /// This is the quantity the unlearning updates difference (the regulariser cancels in G).
    pub fn data_gradient(&self, data: &Dataset, theta: &DVector<f64>) -> DVector<f64> {
        let d = data.n_features();
        let residuals = self.residuals(data, theta);
        let mut g = DVector::zeros(self.n_params(d));
        g.rows_mut(0, d).gemv_tr(1.0, data.x(), &residuals, 0.0);
        if self.fit_intercept {
            g[d] = residuals.sum();
        }
        g
    }

    /// ∇L(θ; D) = Σᵢ ∇ℓ(zᵢ, θ) + λ[w; 0].
    pub fn gradient(&self, data: &Dataset, theta: &DVector<f64>) -> DVector<f64> {
        let d = data.n_features();
        let mut g = self.data_gradient(data, theta);
        g.rows_mut(0, d).axpy(self.l2, &theta.rows(0, d), 1.0);
        g
    }

    /// ∇²L(θ; D) = Σᵢ σᵢ(1 − σᵢ) x̂ᵢx̂ᵢᵀ + λ diag(1, …, 1, 0). Does not depend on the labels.
    pub fn hessian(&self, data: &Dataset, theta: &DVector<f64>) -> DMatrix<f64> {
        let (x, d) = (data.x(), data.n_features());
        let curvature = self
            .margins(x, theta)
            .map(|m| sigmoid(m) * (1.0 - sigmoid(m)));
        let mut scaled = x.clone();
        for (mut row, &s) in scaled.row_iter_mut().zip(curvature.iter()) {
            row *= s;
        }
        let p = self.n_params(d);
        let mut h = DMatrix::zeros(p, p);
        h.view_mut((0, 0), (d, d)).gemm_tr(1.0, x, &scaled, 0.0);
        for j in 0..d {
            h[(j, j)] += self.l2;
        }
        if self.fit_intercept {
            let cross = scaled.row_sum(); // Σᵢ sᵢ xᵢᵀ
            for j in 0..d {
                h[(j, d)] = cross[j];
                h[(d, j)] = cross[j];
            }
            h[(d, d)] = curvature.sum();
        }
        h
    }

    /// σ(θᵀx̂ᵢ) − yᵢ for every row.
    fn residuals(&self, data: &Dataset, theta: &DVector<f64>) -> DVector<f64> {
        let mut r = self.margins(data.x(), theta);
        r.zip_apply(data.y(), |m, y| *m = sigmoid(*m) - y);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_functions_at_extremes() {
        assert_eq!(sigmoid(800.0), 1.0);
        assert_eq!(sigmoid(-800.0), 0.0);
        assert_eq!(softplus(800.0), 800.0);
        assert!(softplus(-800.0) >= 0.0 && softplus(-800.0) < 1e-300);
        assert!((softplus(0.0) - std::f64::consts::LN_2).abs() < 1e-16);
        assert_eq!(log_loss(1.0, 1e6), 0.0);
        assert_eq!(log_loss(0.0, 1e6), 1e6);
    }

    fn toy() -> Dataset {
        Dataset::from_row_major(
            &[1.0, 0.5, 0.2, -1.0, -0.5, 0.3, 0.9, 0.9],
            4,
            2,
            &[1.0, 0.0, 1.0, 0.0],
        )
        .unwrap()
    }

    #[test]
    fn gradient_and_hessian_match_finite_differences() {
        let data = toy();
        for fit_intercept in [false, true] {
            let obj = Objective {
                l2: 0.7,
                fit_intercept,
            };
            let p = obj.n_params(2);
            let theta = DVector::from_fn(p, |i, _| 0.3 - 0.4 * i as f64);
            let g = obj.gradient(&data, &theta);
            let h = obj.hessian(&data, &theta);
            let step = 1e-6;
            for k in 0..p {
                let mut plus = theta.clone();
                let mut minus = theta.clone();
                plus[k] += step;
                minus[k] -= step;
                let fd = (obj.loss(&data, &plus) - obj.loss(&data, &minus)) / (2.0 * step);
                assert!((fd - g[k]).abs() < 1e-8, "gradient {k}: {fd} vs {}", g[k]);
                let fd_col =
                    (obj.gradient(&data, &plus) - obj.gradient(&data, &minus)) / (2.0 * step);
                assert!((fd_col - h.column(k)).amax() < 1e-8);
            }
        }
    }
}
