//! The L2-regularised logistic objective with its gradient and Hessian.
//!
//! L(θ; D) = Σᵢ log(1 + exp(−sᵢ θᵀx̂ᵢ)) + (λ/2)‖w‖² [+ bᵀθ],  sᵢ = 2yᵢ − 1 ∈ {−1, +1},
//!
//! with θ = [w; b₀] and x̂ = [x; 1] when an intercept is fitted, θ = w and x̂ = x otherwise.
//! By default (the sum form of Warnecke et al., NDSS 2023, certified code `DPLRUnlearner`) λ is
//! not scaled by n and the intercept is not penalised: the same optimum as scikit-learn's
//! `LogisticRegression(C = 1/λ)`. Certified unlearning (Guo et al., ICML 2020) adds the random
//! linear term bᵀθ and needs every parameter penalised; Guo et al. also scale λ by the number of
//! rows ([`L2Scaling::PerSample`]).

use nalgebra::{DMatrix, DVector};

use crate::data::Dataset;

/// How λ enters the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum L2Scaling {
    /// (λ/2)‖θ‖²: the paper's sum form; removing rows leaves the penalty unchanged.
    #[default]
    Total,
    /// (λn/2)‖θ‖² for n rows (Guo et al. 2020): each row carries a share λ/2 of the penalty,
    /// which leaves with it when the row is removed.
    PerSample,
}

/// The objective's settings: λ, intercept handling and the optional certified noise b.
#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    /// λ ≥ 0.
    pub l2: f64,
    /// If true, θ has d + 1 entries and the last one is the intercept.
    pub fit_intercept: bool,
    /// If true the intercept is penalised like the weights (needed for strong convexity in
    /// certified mode); otherwise it is free.
    pub penalize_intercept: bool,
    /// Whether λ is multiplied by the number of rows.
    pub l2_scaling: L2Scaling,
    /// The linear term b of bᵀθ (certified unlearning's objective perturbation), p entries.
    pub noise: Option<DVector<f64>>,
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
    /// The default sum form: (λ/2)‖w‖², free intercept, no noise.
    pub fn new(l2: f64, fit_intercept: bool) -> Self {
        Self {
            l2,
            fit_intercept,
            penalize_intercept: false,
            l2_scaling: L2Scaling::Total,
            noise: None,
        }
    }

    /// The effective penalty weight for `n_rows` rows: λ, or λ·n with [`L2Scaling::PerSample`].
    pub fn l2_for(&self, n_rows: usize) -> f64 {
        match self.l2_scaling {
            L2Scaling::Total => self.l2,
            L2Scaling::PerSample => self.l2 * n_rows as f64,
        }
    }

    /// How many leading entries of θ the penalty covers: d, or d + 1 with a penalised intercept.
    pub fn n_penalised(&self, n_features: usize) -> usize {
        n_features + usize::from(self.fit_intercept && self.penalize_intercept)
    }

    /// ∇ of the penalty and noise: λ_eff·[θ_pen; 0] + b, for `n_rows` rows.
    pub fn penalty_gradient(
        &self,
        theta: &DVector<f64>,
        n_features: usize,
        n_rows: usize,
    ) -> DVector<f64> {
        let k = self.n_penalised(n_features);
        let mut g = DVector::zeros(theta.len());
        g.rows_mut(0, k)
            .axpy(self.l2_for(n_rows), &theta.rows(0, k), 0.0);
        if let Some(b) = &self.noise {
            g += b;
        }
        g
    }

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
        self.loss_at(data, theta, &self.margins(data.x(), theta))
    }

    /// L(θ; D) given the margins m = X̂θ (so callers that have them skip the O(n·d) product).
    pub(crate) fn loss_at(
        &self,
        data: &Dataset,
        theta: &DVector<f64>,
        margins: &DVector<f64>,
    ) -> f64 {
        let data_loss: f64 = margins
            .iter()
            .zip(data.y().iter())
            .map(|(&m, &y)| log_loss(y, m))
            .sum();
        let k = self.n_penalised(data.n_features());
        let noise = self.noise.as_ref().map_or(0.0, |b| b.dot(theta));
        data_loss + 0.5 * self.l2_for(data.n_samples()) * theta.rows(0, k).norm_squared() + noise
    }

    /// Σᵢ ∇ℓ(zᵢ, θ) = Σᵢ (σ(θᵀx̂ᵢ) − yᵢ) x̂ᵢ: the data part of the gradient, without λ.
    ///
    /// This is the quantity the unlearning updates difference (the regulariser cancels in G).
    pub fn data_gradient(&self, data: &Dataset, theta: &DVector<f64>) -> DVector<f64> {
        self.data_gradient_at(data, &self.margins(data.x(), theta))
    }

    pub(crate) fn data_gradient_at(&self, data: &Dataset, margins: &DVector<f64>) -> DVector<f64> {
        let d = data.n_features();
        let mut residuals = margins.clone();
        residuals.zip_apply(data.y(), |m, y| *m = sigmoid(*m) - y);
        let mut g = DVector::zeros(self.n_params(d));
        g.rows_mut(0, d).gemv_tr(1.0, data.x(), &residuals, 0.0);
        if self.fit_intercept {
            g[d] = residuals.sum();
        }
        g
    }

    /// ∇L(θ; D) = Σᵢ ∇ℓ(zᵢ, θ) + λ[w; 0] (+ b).
    pub fn gradient(&self, data: &Dataset, theta: &DVector<f64>) -> DVector<f64> {
        self.gradient_at(data, theta, &self.margins(data.x(), theta))
    }

    pub(crate) fn gradient_at(
        &self,
        data: &Dataset,
        theta: &DVector<f64>,
        margins: &DVector<f64>,
    ) -> DVector<f64> {
        self.data_gradient_at(data, margins)
            + self.penalty_gradient(theta, data.n_features(), data.n_samples())
    }

    /// ∇²L(θ; D) = Σᵢ σᵢ(1 − σᵢ) x̂ᵢx̂ᵢᵀ + λ diag(1, …, 1, 0) (last entry λ if the intercept
    /// is penalised). Depends neither on the labels nor on b.
    pub fn hessian(&self, data: &Dataset, theta: &DVector<f64>) -> DMatrix<f64> {
        self.hessian_at(data, &self.margins(data.x(), theta))
    }

    pub(crate) fn hessian_at(&self, data: &Dataset, margins: &DVector<f64>) -> DMatrix<f64> {
        let (x, d) = (data.x(), data.n_features());
        let curvature = margins.map(|m| sigmoid(m) * (1.0 - sigmoid(m)));
        let mut scaled = x.clone();
        for mut column in scaled.column_iter_mut() {
            column.component_mul_assign(&curvature);
        }
        let p = self.n_params(d);
        let mut h = DMatrix::zeros(p, p);
        gram_into(&mut h, x, &scaled);
        if self.fit_intercept {
            let cross = scaled.row_sum(); // Σᵢ sᵢ xᵢᵀ
            for j in 0..d {
                h[(j, d)] = cross[j];
                h[(d, j)] = cross[j];
            }
            h[(d, d)] = curvature.sum();
        }
        let l2 = self.l2_for(data.n_samples());
        for j in 0..self.n_penalised(d) {
            h[(j, j)] += l2;
        }
        h
    }
}

/// Writes Xᵀ·A into the top-left d × d corner of `h` (A has X's shape).
pub(crate) fn gram_into(h: &mut DMatrix<f64>, x: &DMatrix<f64>, a: &DMatrix<f64>) {
    let d = x.ncols();
    transpose_product_into(&mut h.view_mut((0, 0), (d, d)), x, 0, d, a, 0, d);
}

/// out = X[:, i0..i0+bi]ᵀ · A[:, j0..j0+bj].
///
/// nalgebra's `gemm_tr` computes this with dot products; `gemm` hands strided operands to its
/// blocked kernel (matrixmultiply), ~10× faster here, so Xᵀ is passed as a view with swapped
/// strides (no copy). `gemm` only takes that kernel when every dimension exceeds 5 (its own
/// small-matrix path assumes ordinary strides), so small blocks use `gemm_tr`.
fn transpose_product_into(
    out: &mut nalgebra::DMatrixViewMut<'_, f64>,
    x: &DMatrix<f64>,
    i0: usize,
    bi: usize,
    a: &DMatrix<f64>,
    j0: usize,
    bj: usize,
) {
    const SMALL: usize = 5;
    let n = x.nrows();
    if bi > SMALL && bj > SMALL && n > SMALL {
        let columns = &x.as_slice()[i0 * n..(i0 + bi) * n];
        let xt = nalgebra::DMatrixView::from_slice_with_strides(columns, bi, n, n, 1);
        out.gemm(1.0, &xt, &a.columns(j0, bj), 0.0);
    } else {
        out.gemm_tr(1.0, &x.columns(i0, bi), &a.columns(j0, bj), 0.0);
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

    #[test]
    fn strided_gram_matches_the_plain_product_for_every_shape() {
        for (n, d) in [(3, 2), (9, 7), (40, 33), (50, 70), (6, 65)] {
            let x = DMatrix::from_fn(n, d, |i, j| ((i * 31 + j * 17) % 13) as f64 - 6.0);
            let a = DMatrix::from_fn(n, d, |i, j| x[(i, j)] * (1.0 + (i % 5) as f64));
            let mut h = DMatrix::zeros(d + 1, d + 1);
            gram_into(&mut h, &x, &a);
            let want = x.tr_mul(&a);
            assert!(
                (h.view((0, 0), (d, d)) - &want).amax() < 1e-9,
                "n = {n}, d = {d}"
            );
        }
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
            check_derivatives(&data, &Objective::new(0.7, fit_intercept));
            check_derivatives(
                &data,
                &Objective {
                    penalize_intercept: fit_intercept,
                    l2_scaling: L2Scaling::PerSample,
                    noise: Some(DVector::from_fn(2 + usize::from(fit_intercept), |i, _| {
                        0.1 * i as f64 - 0.05
                    })),
                    ..Objective::new(0.7, fit_intercept)
                },
            );
        }
    }

    fn check_derivatives(data: &Dataset, obj: &Objective) {
        let p = obj.n_params(data.n_features());
        let theta = DVector::from_fn(p, |i, _| 0.3 - 0.4 * i as f64);
        let g = obj.gradient(data, &theta);
        let h = obj.hessian(data, &theta);
        let step = 1e-6;
        for k in 0..p {
            let mut plus = theta.clone();
            let mut minus = theta.clone();
            plus[k] += step;
            minus[k] -= step;
            let fd = (obj.loss(data, &plus) - obj.loss(data, &minus)) / (2.0 * step);
            assert!((fd - g[k]).abs() < 1e-8, "gradient {k}: {fd} vs {}", g[k]);
            let fd_col = (obj.gradient(data, &plus) - obj.gradient(data, &minus)) / (2.0 * step);
            assert!((fd_col - h.column(k)).amax() < 1e-8);
        }
    }
}
