//! The unlearning updates: closed-form steps from θ* towards the model retrained on D̃.
//!
//! With G = Σ_{z̃∈Z̃} ∇ℓ(z̃, θ*) − Σ_{z∈Z} ∇ℓ(z, θ*) (Warnecke et al., NDSS 2023, §4):
//! - first-order update θ* − τ·G (Eq. 5, τ the unlearning rate);
//! - second-order update θ* − H̃⁻¹·G with H̃ = ∇²L(θ*; D̃) (Eq. 6, the Hessian on the edited
//!   data as in the paper's certified code and Guo et al. 2020), or with the Hessian on D
//!   (classic influence functions, Koh & Liang 2017) for contrast;
//! - stepwise variants that split the request into k parts ("1st/2nd-Order-It");
//! - fine-tuning: one epoch of minibatch gradient descent on D̃ (the paper's baseline);
//! - refinement ("exact"): iterate θ ← θ − F⁻¹∇L(θ; D̃) with a fixed factor F until the
//!   gradient residual is below a target.

use nalgebra::DVector;

use crate::data::Dataset;
use crate::edit::{Edit, EditDelta};
use crate::error::{Error, Result};
use crate::influence::HessianFactor;
use crate::live::LiveData;
use crate::objective::{shape, Objective};
use crate::train::{line_search, Point};

/// G = Σ_{z̃∈Z̃} ∇ℓ(z̃, θ) − Σ_{z∈Z} ∇ℓ(z, θ) = ∇L(θ; D̃) − ∇L(θ; D).
///
/// With the default sum form the penalty cancels and G holds data-loss gradients only; with
/// [`L2Scaling::PerSample`](crate::objective::L2Scaling) the removed rows' share of the penalty,
/// (λñ − λn)·θ, is part of G (Guo et al.'s Δ). Costs O(m·d) for m affected rows. For a label flip
/// the result is Σ ±x̂ᵢ, independent of θ.
pub fn gradient_difference(
    objective: &Objective,
    delta: &EditDelta,
    theta: &DVector<f64>,
) -> DVector<f64> {
    let (d, k) = (delta.before.n_features(), delta.before.n_classes());
    let mut g = objective.data_gradient(&delta.after, theta)
        - objective.data_gradient(&delta.before, theta);
    let penalty_change = objective.l2_for(delta.n_after) - objective.l2_for(delta.n_before);
    if penalty_change != 0.0 {
        let penalised = objective.n_penalised(d, k);
        g.rows_mut(0, penalised)
            .axpy(penalty_change, &theta.rows(0, penalised), 1.0);
    }
    g
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
    check_rate("τ (unlearning rate)", tau)?;
    finite(
        theta - gradient_difference * tau,
        "first-order update (lower τ)",
    )
}

/// Second-order update θ − H̃⁻¹·G with H̃ = ∇²L(θ; D̃) built and factorised from scratch
/// (Warnecke et al., Eq. 6). O(n·p² + p³).
///
/// # Errors
/// [`Error::NotPositiveDefinite`] or [`Error::IllConditioned`] if H̃ cannot be factorised or
/// trusted, [`Error::NumericalFailure`] if the result is not finite.
pub fn second_order_update(
    objective: &Objective,
    edited: &Dataset,
    theta: &DVector<f64>,
    gradient_difference: &DVector<f64>,
) -> Result<DVector<f64>> {
    HessianFactor::new_for("second-order update", objective, edited, theta)?.step(
        theta,
        gradient_difference,
        "second-order update",
    )
}

/// Fine-tuning baseline (the paper's): one epoch over D̃ in row order, in minibatches of
/// `batch_size`, each step θ ← θ − (rate/|B|)·(Σ_B ∇ℓ(z, θ) + λθ + b). As in the paper's code
/// the penalty and noise gradient is added once per batch.
///
/// # Errors
/// [`Error::InvalidParameter`] for a negative or non-finite rate or a batch size of 0,
/// [`Error::NumericalFailure`] if θ stops being finite.
pub fn fine_tune(
    objective: &Objective,
    edited: &Dataset,
    theta: &DVector<f64>,
    rate: f64,
    batch_size: usize,
) -> Result<DVector<f64>> {
    check_rate("fine-tuning rate", rate)?;
    if batch_size == 0 {
        return Err(Error::InvalidParameter {
            name: "batch_size",
            value: 0.0,
            expected: "at least 1",
        });
    }
    let n = edited.n_samples();
    let mut theta = theta.clone();
    for start in (0..n).step_by(batch_size) {
        let rows: Vec<usize> = (start..(start + batch_size).min(n)).collect();
        let batch = edited.select_rows(&rows);
        let g = objective.data_gradient(&batch, &theta)
            + objective.penalty_gradient(&theta, shape(edited));
        theta -= g * (rate / rows.len() as f64);
    }
    finite(theta, "fine-tuning")
}

/// The result of [`refine`].
#[derive(Debug, Clone, PartialEq)]
pub struct Refined {
    /// The refined parameters.
    pub theta: DVector<f64>,
    /// Refinement steps taken.
    pub iterations: usize,
    /// How many times the factor had to be rebuilt because the kept one made too little progress.
    pub refreshes: usize,
    /// ‖∇L(θ; D̃)‖₂ at the returned θ.
    pub residual: f64,
}

/// "Exact" unlearning by refinement: from `theta` (usually the second-order result) iterate
/// θ ← θ − t·F⁻¹∇L(θ; D̃) with the kept Hessian factor F, until ‖∇L(θ; D̃)‖₂ ≤ `target`.
///
/// Each step costs O(n·p + p²): a gradient and two triangular solves, no new Hessian. F⁻¹∇L is
/// a descent direction because F is positive definite, so a backtracking line search on L
/// (t = 1, ½, …) keeps every step safe even when F is far from the Hessian at the optimum
/// (where the plain fixed-factor iteration can diverge). F is rebuilt at the current θ (a
/// Newton step, fast convergence again) only when that is cheaper than continuing: when a step
/// made no progress, or when the remaining steps at the last step's rate would cost more
/// gradient passes (n·p each) than one rebuild (n·p² + p³/3).
///
/// # Errors
/// [`Error::DidNotConverge`] if `max_iter` steps do not reach the target,
/// [`Error::NotPositiveDefinite`] if a rebuilt Hessian cannot be factorised,
/// [`Error::NumericalFailure`] for NaN.
pub fn refine(
    objective: &Objective,
    edited: &Dataset,
    factor: &HessianFactor,
    theta: &DVector<f64>,
    target: f64,
    max_iter: usize,
) -> Result<Refined> {
    let mut point = Point::at(edited, objective, theta.clone());
    let mut rebuilt: Option<HessianFactor> = None;
    let (mut iterations, mut refreshes) = (0, 0);
    loop {
        let residual = point.gradient.norm();
        if !residual.is_finite() {
            return Err(Error::NumericalFailure {
                context: "refinement",
            });
        }
        if residual <= target {
            return Ok(Refined {
                theta: point.theta,
                iterations,
                refreshes,
                residual,
            });
        }
        if iterations == max_iter {
            return Err(Error::DidNotConverge {
                iterations,
                grad_norm: residual,
            });
        }
        let step = rebuilt.as_ref().unwrap_or(factor).solve(&point.gradient);
        let accepted = line_search(edited, objective, &point, &step);
        let rebuild = match &accepted {
            None => true,
            Some(next) => {
                let rate = next.gradient.norm() / residual;
                let remaining = (target / next.gradient.norm()).ln() / rate.ln();
                let (n, p) = (edited.n_samples() as f64, theta.len() as f64);
                rate >= 1.0 || remaining > p + p * p / (3.0 * n)
            }
        };
        if let Some(next) = accepted {
            point = next;
        }
        if rebuild && point.gradient.norm() > target {
            // The factor only preconditions a line search here: where a fresh one cannot be
            // trusted (saturated margins on the way), the previous one still gives descent.
            match HessianFactor::new(objective, edited, &point.theta) {
                Ok(fresh) => {
                    rebuilt = Some(fresh);
                    refreshes += 1;
                }
                Err(Error::IllConditioned { .. } | Error::NotPositiveDefinite { .. }) => {}
                Err(other) => return Err(other),
            }
        }
        iterations += 1;
    }
}

/// First or second order, for the stepwise updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// θ − τG per step.
    First,
    /// θ − H⁻¹G per step, H on the current edited data at the current θ.
    Second,
}

/// Stepwise update ("1st/2nd-Order-It" in the paper's code): the request is cut into `steps`
/// parts ([`Edit::split`]); each part is applied to the data as edited so far, and its G (and
/// for second order its Hessian) is taken at the current θ. Returns θ after the last part.
///
/// # Errors
/// Invalid edit or τ, a Hessian that is not positive definite.
pub fn stepwise_update(
    objective: &Objective,
    data: &LiveData,
    edit: &Edit,
    theta: &DVector<f64>,
    steps: usize,
    order: Order,
    tau: f64,
) -> Result<DVector<f64>> {
    let mut live = data.clone();
    live.delta(edit)?; // validates the whole request up front
    let mut theta = theta.clone();
    for part in edit.split(steps) {
        let delta = live.delta(&part)?;
        live.commit(&part);
        if delta.affected.is_empty() {
            continue;
        }
        let g = gradient_difference(objective, &delta, &theta);
        theta = match order {
            Order::First => first_order_update(&theta, &g, tau)?,
            Order::Second => second_order_update(objective, &live.materialise(), &theta, &g)?,
        };
    }
    Ok(theta)
}

fn check_rate(name: &'static str, rate: f64) -> Result<()> {
    if rate.is_finite() && rate >= 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name,
            value: rate,
            expected: "a finite number ≥ 0",
        })
    }
}

fn finite(theta: DVector<f64>, context: &'static str) -> Result<DVector<f64>> {
    if theta.iter().all(|v| v.is_finite()) {
        Ok(theta)
    } else {
        Err(Error::NumericalFailure { context })
    }
}
