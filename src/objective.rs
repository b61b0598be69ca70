//! The L2-regularised logistic objective with its gradient and Hessian, for the binary model
//! (K = 2) and the multinomial (softmax) model (K ≥ 3).
//!
//! Binary: L(θ; D) = Σᵢ log(1 + exp(−sᵢ θᵀx̂ᵢ)) + (λ/2)‖w‖² [+ bᵀθ],  sᵢ = 2yᵢ − 1,
//! with θ = [w; b₀] and x̂ = [x; 1] when an intercept is fitted, θ = w and x̂ = x otherwise.
//!
//! Multinomial: L(W, b; D) = Σᵢ −log softmax(Wxᵢ + b)_{yᵢ} + (λ/2)‖W‖²_F, W being K × d, and θ
//! laid out as [W's rows (class 0's d weights, class 1's, …); b₀, …, b_{K−1}] (scikit-learn's
//! `coef_` rows, then `intercept_`). The loss does not change when all intercepts move
//! together, so the intercepts are kept centred (Σₖ bₖ = 0, scikit-learn's convention).
//!
//! By default (the sum form of Warnecke et al., NDSS 2023, certified code `DPLRUnlearner`) λ is
//! not scaled by n and the intercepts are not penalised: the same optimum as scikit-learn's
//! `LogisticRegression(C = 1/λ)`. Certified unlearning (Guo et al., ICML 2020) adds the random
//! linear term bᵀθ and needs every parameter penalised; Guo et al. also scale λ by the number of
//! rows ([`L2Scaling::PerSample`]).

use nalgebra::{DMatrix, DVector};

use crate::data::Dataset;

/// How λ enters the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(js, derive(serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum L2Scaling {
    /// (λ/2)‖θ‖²: the paper's sum form; removing rows leaves the penalty unchanged.
    #[default]
    Total,
    /// (λn/2)‖θ‖² for n rows (Guo et al. 2020): each row carries a share λ/2 of the penalty,
    /// which leaves with it when the row is removed.
    PerSample,
}

/// The objective's settings: λ, intercept handling and the optional certified noise b. The
/// number of classes comes from the data. `Debug` does not print b (certified unlearning's secret).
#[derive(Clone, PartialEq)]
pub struct Objective {
    /// λ ≥ 0.
    pub l2: f64,
    /// If true, θ ends with the intercepts (one, or one per class).
    pub fit_intercept: bool,
    /// If true the intercepts are penalised like the weights (needed for strong convexity in
    /// certified mode); otherwise they are free.
    pub penalize_intercept: bool,
    /// Whether λ is multiplied by the number of rows.
    pub l2_scaling: L2Scaling,
    /// The linear term b of bᵀθ (certified unlearning's objective perturbation), p entries.
    pub noise: Option<DVector<f64>>,
}

impl std::fmt::Debug for Objective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Objective")
            .field("l2", &self.l2)
            .field("fit_intercept", &self.fit_intercept)
            .field("penalize_intercept", &self.penalize_intercept)
            .field("l2_scaling", &self.l2_scaling)
            .field(
                "noise",
                &self
                    .noise
                    .as_ref()
                    .map(|b| format!("<secret: {} values>", b.len())),
            )
            .finish()
    }
}

/// The number of score columns for K classes: 1 for the binary model, K for softmax.
pub fn outputs(n_classes: usize) -> usize {
    if n_classes == 2 {
        1
    } else {
        n_classes
    }
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

/// Class probabilities from one row of scores: σ(m) for the binary model (a single score), the
/// softmax otherwise (computed after subtracting the largest score, so it never overflows).
pub fn probabilities(scores: &[f64]) -> Vec<f64> {
    if let [m] = scores {
        let p = sigmoid(*m);
        return vec![1.0 - p, p];
    }
    let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exp: Vec<f64> = scores.iter().map(|&s| (s - top).exp()).collect();
    let total: f64 = exp.iter().sum();
    exp.into_iter().map(|e| e / total).collect()
}

/// −log P(y | scores), stable for any scores.
pub fn row_loss(y: f64, scores: &[f64]) -> f64 {
    if let [m] = scores {
        return log_loss(y, *m);
    }
    let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let log_total = top + scores.iter().map(|&s| (s - top).exp()).sum::<f64>().ln();
    log_total - scores[y as usize]
}

/// The predicted class of one row of scores (ties go to the lower class; binary: 1 iff m ≥ 0).
pub fn predicted_class(scores: &[f64]) -> usize {
    if let [m] = scores {
        return usize::from(*m >= 0.0);
    }
    let mut best = 0;
    for (k, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = k;
        }
    }
    best
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
        self.l2_for_mass(n_rows as f64)
    }

    /// As [`Objective::l2_for`] for weighted rows of total weight `mass`.
    pub fn l2_for_mass(&self, mass: f64) -> f64 {
        match self.l2_scaling {
            L2Scaling::Total => self.l2,
            L2Scaling::PerSample => self.l2 * mass,
        }
    }

    /// Number of parameters for d features and K classes: d·c weights, plus c intercepts if
    /// fitted, with c = [`outputs`]`(K)`.
    pub fn n_params(&self, n_features: usize, n_classes: usize) -> usize {
        let c = outputs(n_classes);
        n_features * c + if self.fit_intercept { c } else { 0 }
    }

    /// How many leading entries of θ the penalty covers: the weights, and the intercepts too
    /// if they are penalised.
    pub fn n_penalised(&self, n_features: usize, n_classes: usize) -> usize {
        if self.fit_intercept && self.penalize_intercept {
            self.n_params(n_features, n_classes)
        } else {
            n_features * outputs(n_classes)
        }
    }

    /// Whether a class without rows leaves no finite optimum: with a free intercept it runs
    /// off to ±∞ (and with λ = 0 so do the weights).
    pub fn needs_every_class(&self) -> bool {
        (self.fit_intercept && !self.penalize_intercept) || self.l2 == 0.0
    }

    /// Whether the loss is flat along a direction of θ: moving all K softmax intercepts
    /// together changes nothing, unless they are penalised.
    fn has_free_intercept_shift(&self, n_classes: usize) -> bool {
        n_classes > 2 && self.fit_intercept && !self.penalize_intercept
    }

    /// ∇ of the penalty and noise: λ_eff·[θ_pen; 0] + b, for data of shape (Σwᵢ, d, K).
    pub fn penalty_gradient(
        &self,
        theta: &DVector<f64>,
        data_shape: (f64, usize, usize),
    ) -> DVector<f64> {
        let (mass, n_features, n_classes) = data_shape;
        let k = self.n_penalised(n_features, n_classes);
        let mut g = DVector::zeros(theta.len());
        g.rows_mut(0, k)
            .axpy(self.l2_for_mass(mass), &theta.rows(0, k), 0.0);
        if let Some(b) = &self.noise {
            g += b;
        }
        g
    }

    /// Scores X̂θ for every row of `x` (n × d): an n × c matrix, c = [`outputs`]`(K)`.
    pub fn margins(
        &self,
        x: &DMatrix<f64>,
        theta: &DVector<f64>,
        n_classes: usize,
    ) -> DMatrix<f64> {
        let (d, c) = (x.ncols(), outputs(n_classes));
        // The weights are stored class by class, i.e. as a column-major d × c matrix.
        let weights = nalgebra::DMatrixView::from_slice(&theta.as_slice()[..d * c], d, c);
        let mut m = x * weights;
        if self.fit_intercept {
            for (k, mut column) in m.column_iter_mut().enumerate() {
                column.add_scalar_mut(theta[d * c + k]);
            }
        }
        m
    }

    /// L(θ; D).
    pub fn loss(&self, data: &Dataset, theta: &DVector<f64>) -> f64 {
        self.loss_at(
            data,
            theta,
            &self.margins(data.x(), theta, data.n_classes()),
        )
    }

    /// L(θ; D) given the scores (so callers that have them skip the O(n·d) product).
    pub(crate) fn loss_at(
        &self,
        data: &Dataset,
        theta: &DVector<f64>,
        margins: &DMatrix<f64>,
    ) -> f64 {
        let data_loss: f64 = match (margins.ncols(), data.is_weighted()) {
            // Binary, unweighted: no per-row buffer.
            (1, false) => margins
                .iter()
                .zip(data.y().iter())
                .map(|(&m, &y)| log_loss(y, m))
                .sum(),
            _ => {
                let mut scores = vec![0.0; margins.ncols()];
                (0..data.n_samples())
                    .map(|i| {
                        fill_row(&mut scores, margins, i);
                        data.weight(i) * row_loss(data.y()[i], &scores)
                    })
                    .sum()
            }
        };
        let k = self.n_penalised(data.n_features(), data.n_classes());
        let noise = self.noise.as_ref().map_or(0.0, |b| b.dot(theta));
        data_loss + 0.5 * self.l2_for_mass(data.mass()) * theta.rows(0, k).norm_squared() + noise
    }

    /// Σᵢ ∇ℓ(zᵢ, θ): the data part of the gradient, without λ. Binary: Σᵢ (σ(θᵀx̂ᵢ) − yᵢ) x̂ᵢ;
    /// softmax: Σᵢ (pᵢₖ − [yᵢ = k]) x̂ᵢ for class k's block.
    ///
    /// This is the quantity the unlearning updates difference (the regulariser cancels in G).
    pub fn data_gradient(&self, data: &Dataset, theta: &DVector<f64>) -> DVector<f64> {
        self.data_gradient_at(data, &self.margins(data.x(), theta, data.n_classes()))
    }

    pub(crate) fn data_gradient_at(&self, data: &Dataset, margins: &DMatrix<f64>) -> DVector<f64> {
        let (d, k) = (data.n_features(), data.n_classes());
        let c = outputs(k);
        let residuals = residuals(data, margins);
        let mut g = DVector::zeros(self.n_params(d, k));
        // Xᵀ R, a d × c matrix stored class by class: exactly θ's weight layout.
        let mut weights =
            nalgebra::DMatrixViewMut::from_slice(&mut g.as_mut_slice()[..d * c], d, c);
        weights.gemm_tr(1.0, data.x(), &residuals, 0.0);
        if self.fit_intercept {
            for class in 0..c {
                g[d * c + class] = residuals.column(class).sum();
            }
        }
        g
    }

    /// ∇L(θ; D) = Σᵢ ∇ℓ(zᵢ, θ) + λ[w; 0] (+ b).
    pub fn gradient(&self, data: &Dataset, theta: &DVector<f64>) -> DVector<f64> {
        self.gradient_at(
            data,
            theta,
            &self.margins(data.x(), theta, data.n_classes()),
        )
    }

    pub(crate) fn gradient_at(
        &self,
        data: &Dataset,
        theta: &DVector<f64>,
        margins: &DMatrix<f64>,
    ) -> DVector<f64> {
        self.data_gradient_at(data, margins) + self.penalty_gradient(theta, shape(data))
    }

    /// ∇²L(θ; D): binary Σᵢ σᵢ(1 − σᵢ) x̂ᵢx̂ᵢᵀ; softmax Σᵢ (diag(pᵢ) − pᵢpᵢᵀ) ⊗ x̂ᵢx̂ᵢᵀ in θ's
    /// layout; plus λ on the penalised entries. Depends neither on the labels nor on b.
    ///
    /// With free softmax intercepts the loss is flat along u = (0, …, 0, 1, …, 1)/√K, so this
    /// returns H + c·uuᵀ (c the mean diagonal entry) instead: every gradient of the loss is
    /// orthogonal to u, so Newton steps and H⁻¹G are unchanged (they equal the pseudo-inverse
    /// solution) while the matrix becomes positive definite and can be factorised.
    pub fn hessian(&self, data: &Dataset, theta: &DVector<f64>) -> DMatrix<f64> {
        self.hessian_at(data, &self.margins(data.x(), theta, data.n_classes()))
    }

    pub(crate) fn hessian_at(&self, data: &Dataset, margins: &DMatrix<f64>) -> DMatrix<f64> {
        let (x, d, k) = (data.x(), data.n_features(), data.n_classes());
        let (c, p, n) = (outputs(k), self.n_params(d, k), x.nrows());
        let probabilities = class_probabilities(margins, k);
        let mut h = DMatrix::zeros(p, p);
        // Rows are taken in chunks through one small buffer: no copy of X per Hessian.
        let mut scaled = DMatrix::zeros(HESSIAN_CHUNK.min(n), d);
        let mut weights = Vec::with_capacity(HESSIAN_CHUNK.min(n));
        for r0 in (0..n).step_by(HESSIAN_CHUNK) {
            let m = HESSIAN_CHUNK.min(n - r0);
            for a in 0..c {
                for b in a..c {
                    // Weight of x̂x̂ᵀ in block (a, b): σ(1 − σ) (binary) or pₐ([a = b] − p_b).
                    let (ca, cb) = (a + k - c, b + k - c);
                    let weight = |i: usize| {
                        let (pa, pb) = (probabilities[(r0 + i, ca)], probabilities[(r0 + i, cb)]);
                        data.weight(r0 + i) * pa * (f64::from(u8::from(a == b)) - pb)
                    };
                    // Once per row, not once per cell.
                    weights.clear();
                    weights.extend((0..m).map(weight));
                    let mut chunk = scaled.rows_mut(0, m);
                    for j in 0..d {
                        for (i, w) in weights.iter().enumerate() {
                            chunk[(i, j)] = x[(r0 + i, j)] * w;
                        }
                    }
                    let mut block = h.view_mut((a * d, b * d), (d, d));
                    add_transpose_product(&mut block, x, r0, &chunk);
                    if self.fit_intercept {
                        let (ia, ib) = (d * c + a, d * c + b);
                        for j in 0..d {
                            h[(a * d + j, ib)] += chunk.column(j).sum(); // Σᵢ wᵢ xᵢⱼ
                        }
                        h[(ia, ib)] += weights.iter().sum::<f64>();
                    }
                }
            }
        }
        mirror_class_blocks(&mut h, d, c, self.fit_intercept);
        let l2 = self.l2_for_mass(data.mass());
        for j in 0..self.n_penalised(d, k) {
            h[(j, j)] += l2;
        }
        if self.has_free_intercept_shift(k) {
            let scale = h.trace() / p as f64;
            let start = d * c;
            for i in start..p {
                for j in start..p {
                    h[(i, j)] += scale / c as f64;
                }
            }
        }
        h
    }
}

/// Rows per chunk of the Hessian product (large enough for the blocked kernel, small enough
/// for the buffer to stay in cache).
const HESSIAN_CHUNK: usize = 1024;

/// Fills the lower class blocks, the lower weight–intercept entries and the intercept–weight
/// entries from the upper ones the Hessian loop computed.
fn mirror_class_blocks(h: &mut DMatrix<f64>, d: usize, c: usize, fit_intercept: bool) {
    for a in 0..c {
        for b in a..c {
            if a != b {
                let upper = h.view((a * d, b * d), (d, d)).transpose();
                h.view_mut((b * d, a * d), (d, d)).copy_from(&upper);
            }
            if fit_intercept {
                let (ia, ib) = (d * c + a, d * c + b);
                for j in 0..d {
                    // (a's weights, b's intercept) = (b's weights, a's intercept) by symmetry.
                    h[(b * d + j, ia)] = h[(a * d + j, ib)];
                    h[(ia, b * d + j)] = h[(a * d + j, ib)];
                    h[(ib, a * d + j)] = h[(a * d + j, ib)];
                }
                h[(ib, ia)] = h[(ia, ib)];
            }
        }
    }
}

/// (row mass Σwᵢ, features, classes) of `data`.
pub(crate) fn shape(data: &Dataset) -> (f64, usize, usize) {
    (data.mass(), data.n_features(), data.n_classes())
}

/// Copies row `i` of a score matrix into `out` (a reused buffer: no allocation per row).
fn fill_row(out: &mut [f64], m: &DMatrix<f64>, i: usize) {
    for (k, v) in out.iter_mut().enumerate() {
        *v = m[(i, k)];
    }
}

/// n × K class probabilities from n × c scores.
pub fn class_probabilities(margins: &DMatrix<f64>, n_classes: usize) -> DMatrix<f64> {
    let n = margins.nrows();
    if margins.ncols() == 1 {
        let positive = margins.column(0).map(sigmoid);
        return DMatrix::from_fn(n, 2, |i, k| {
            if k == 1 {
                positive[i]
            } else {
                1.0 - positive[i]
            }
        });
    }
    let mut p = DMatrix::zeros(n, n_classes);
    let mut scores = vec![0.0; margins.ncols()];
    for i in 0..n {
        fill_row(&mut scores, margins, i);
        for (k, v) in probabilities(&scores).into_iter().enumerate() {
            p[(i, k)] = v;
        }
    }
    p
}

/// n × c residuals: σ(m) − y (binary) or p − onehot(y) (softmax).
fn residuals(data: &Dataset, margins: &DMatrix<f64>) -> DMatrix<f64> {
    let k = data.n_classes();
    let mut r = if margins.ncols() == 1 {
        let mut r = margins.clone();
        r.column_mut(0)
            .zip_apply(data.y(), |m, y| *m = sigmoid(*m) - y);
        r
    } else {
        let mut r = class_probabilities(margins, k);
        for (i, &y) in data.y().iter().enumerate() {
            r[(i, y as usize)] -= 1.0;
        }
        r
    };
    if data.is_weighted() {
        for (i, mut row) in r.row_iter_mut().enumerate() {
            row *= data.weight(i);
        }
    }
    r
}

/// Writes Xᵀ·A into the top-left d × d corner of `h` (A has X's shape).
pub(crate) fn gram_into(h: &mut DMatrix<f64>, x: &DMatrix<f64>, a: &DMatrix<f64>) {
    let d = x.ncols();
    let mut corner = h.view_mut((0, 0), (d, d));
    corner.fill(0.0);
    for r0 in (0..x.nrows()).step_by(HESSIAN_CHUNK) {
        let m = HESSIAN_CHUNK.min(x.nrows() - r0);
        add_transpose_product(&mut corner, x, r0, &a.rows(r0, m));
    }
}

/// out += X[r0..r0+m, :]ᵀ · A for an m × d block A of rows.
///
/// nalgebra's `gemm_tr` computes this with dot products; `gemm` hands strided operands to its
/// blocked kernel (matrixmultiply), ~10× faster here, so the rows of X are passed transposed as
/// a view with swapped strides (no copy). `gemm` only takes that kernel when every dimension
/// exceeds 5 (its own small-matrix path assumes ordinary strides), so small blocks use `gemm_tr`.
fn add_transpose_product<S: nalgebra::Storage<f64, nalgebra::Dyn, nalgebra::Dyn>>(
    out: &mut nalgebra::DMatrixViewMut<'_, f64>,
    x: &DMatrix<f64>,
    r0: usize,
    a: &nalgebra::Matrix<f64, nalgebra::Dyn, nalgebra::Dyn, S>,
) {
    const SMALL: usize = 5;
    let (n, d, m) = (x.nrows(), x.ncols(), a.nrows());
    if d > SMALL && m > SMALL && a.ncols() > SMALL {
        let xt = nalgebra::DMatrixView::from_slice_with_strides(&x.as_slice()[r0..], d, m, n, 1);
        out.gemm(1.0, &xt, a, 1.0);
    } else {
        out.gemm_tr(1.0, &x.rows(r0, m), a, 1.0);
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

    fn three_classes() -> Dataset {
        let x = DMatrix::from_row_slice(
            6,
            2,
            &[
                1.0, 0.5, 0.2, -1.0, -0.5, 0.3, 0.9, 0.9, -0.7, 0.1, 0.4, -0.6,
            ],
        );
        Dataset::with_classes(x, DVector::from_vec(vec![0.0, 1.0, 2.0, 1.0, 0.0, 2.0]), 3).unwrap()
    }

    #[test]
    fn softmax_gradient_and_hessian_match_finite_differences() {
        let data = three_classes();
        check_derivatives(&data, &Objective::new(0.7, false));
        check_derivatives(
            &data,
            &Objective {
                penalize_intercept: true,
                ..Objective::new(0.7, true)
            },
        );
        // Free intercepts: the Hessian carries c·uuᵀ along the flat direction u, which the
        // finite differences do not see; check the weight columns, and that u is an eigenvector.
        let obj = Objective::new(0.7, true);
        let theta = DVector::from_fn(obj.n_params(2, 3), |i, _| 0.2 * i as f64 - 0.5);
        let h = obj.hessian(&data, &theta);
        check_derivatives_columns(&data, &obj, &theta, 0..6);
        let u = DVector::from_fn(9, |i, _| if i >= 6 { 1.0 / 3f64.sqrt() } else { 0.0 });
        let hu = &h * &u;
        let c = hu.dot(&u);
        assert!(c > 0.0 && (hu - &u * c).amax() < 1e-12);
        assert!(
            obj.gradient(&data, &theta).dot(&u).abs() < 1e-12,
            "gradients are ⊥ u"
        );
    }

    #[test]
    fn weighted_rows_match_finite_differences_and_repetition() {
        let data = toy();
        let weighted = data
            .clone()
            .with_weights(DVector::from_vec(vec![0.5, 2.0, 0.0, 1.0]))
            .unwrap();
        check_derivatives(&weighted, &Objective::new(0.7, true));
        check_derivatives(
            &three_classes()
                .with_weights(DVector::from_element(6, 0.3))
                .unwrap(),
            &Objective::new(0.7, false),
        );
        // Weight 2 on a row equals the row twice; weight 0 equals leaving it out.
        let obj = Objective::new(0.7, true);
        let theta = DVector::from_vec(vec![0.2, -0.4, 0.1]);
        let doubled = data
            .clone()
            .with_weights(DVector::from_vec(vec![1.0, 2.0, 0.0, 1.0]))
            .unwrap();
        let repeated = data.select_rows(&[0, 1, 1, 3]);
        let gap = obj.data_gradient(&doubled, &theta) - obj.data_gradient(&repeated, &theta);
        assert!(gap.amax() < 1e-14);
        assert!((obj.loss(&doubled, &theta) - obj.loss(&repeated, &theta)).abs() < 1e-12);
        let h_gap = obj.hessian(&doubled, &theta) - obj.hessian(&repeated, &theta);
        assert!(h_gap.amax() < 1e-14);
    }

    fn check_derivatives(data: &Dataset, obj: &Objective) {
        let p = obj.n_params(data.n_features(), data.n_classes());
        let theta = DVector::from_fn(p, |i, _| 0.3 - 0.4 * i as f64);
        check_derivatives_columns(data, obj, &theta, 0..p);
    }

    fn check_derivatives_columns(
        data: &Dataset,
        obj: &Objective,
        theta: &DVector<f64>,
        columns: std::ops::Range<usize>,
    ) {
        let theta = theta.clone();
        let g = obj.gradient(data, &theta);
        let h = obj.hessian(data, &theta);
        let step = 1e-6;
        for k in columns {
            let mut plus = theta.clone();
            let mut minus = theta.clone();
            plus[k] += step;
            minus[k] -= step;
            let fd = (obj.loss(data, &plus) - obj.loss(data, &minus)) / (2.0 * step);
            assert!((fd - g[k]).abs() < 1e-8, "gradient {k}: {fd} vs {}", g[k]);
            let fd_col = (obj.gradient(data, &plus) - obj.gradient(data, &minus)) / (2.0 * step);
            assert!(
                (&fd_col - h.column(k)).amax() < 1e-8,
                "column {k}: {fd_col} vs {}",
                h.column(k)
            );
        }
    }
}
