//! Training by Newton's method with a Cholesky solve and a backtracking line search.

use nalgebra::{DMatrix, DVector};

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::objective::{L2Scaling, Objective};

/// Settings for [`train`]. Build with `TrainConfig::default()` and override fields.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(
    js,
    derive(serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct TrainConfig {
    /// λ ≥ 0 in (λ/2)‖w‖² (sum form). Default 1.0 (scikit-learn `C = 1/λ = 1`).
    pub l2: f64,
    /// Fit an intercept. Default true.
    pub fit_intercept: bool,
    /// Penalise the intercept like the weights (certified unlearning needs this). Default false.
    pub penalize_intercept: bool,
    /// λ as a total (default, the paper's sum form) or per row (Guo et al. 2020).
    pub l2_scaling: L2Scaling,
    /// Stop when ‖∇L(θ)‖₂ ≤ tol. Default 1e-10 (absolute, in the sum-form units of L).
    pub tol: f64,
    /// Maximal Newton iterations. Default 100.
    pub max_iter: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            l2: 1.0,
            fit_intercept: true,
            penalize_intercept: false,
            l2_scaling: L2Scaling::Total,
            tol: 1e-10,
            max_iter: 100,
        }
    }
}

impl TrainConfig {
    /// Checks every setting.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if λ is negative or not finite, tol is not positive and finite,
    /// or max_iter is 0.
    pub fn validate(&self) -> Result<()> {
        if !(self.l2.is_finite() && self.l2 >= 0.0) {
            return Err(Error::InvalidParameter {
                name: "λ (l2)",
                value: self.l2,
                expected: "a finite number ≥ 0",
            });
        }
        if !(self.tol.is_finite() && self.tol > 0.0) {
            return Err(Error::InvalidParameter {
                name: "tol",
                value: self.tol,
                expected: "a finite number > 0",
            });
        }
        if self.max_iter == 0 || self.max_iter > crate::limits::MAX_ITERATIONS {
            return Err(Error::InvalidParameter {
                name: "max_iter",
                value: self.max_iter as f64,
                expected: "a whole number from 1 to 10000",
            });
        }
        Ok(())
    }

    /// The objective these settings describe (without noise).
    pub fn objective(&self) -> Objective {
        Objective {
            penalize_intercept: self.penalize_intercept,
            l2_scaling: self.l2_scaling,
            ..Objective::new(self.l2, self.fit_intercept)
        }
    }
}

/// Watches a long computation: called before every Newton step. An error it returns stops the
/// computation, which returns that error and changes nothing (a progress callback that throws).
pub trait Observer<T: ?Sized> {
    /// One event (a Newton step about to be taken).
    ///
    /// # Errors
    /// Any: it stops the computation and is returned from it.
    fn observe(&mut self, event: &T) -> Result<()>;
}

impl<T: ?Sized, F: FnMut(&T) -> Result<()>> Observer<T> for F {
    fn observe(&mut self, event: &T) -> Result<()> {
        self(event)
    }
}

/// The observer that watches nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl<T: ?Sized> Observer<T> for Silent {
    fn observe(&mut self, _: &T) -> Result<()> {
        Ok(())
    }
}

/// How a training run ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainReport {
    /// Newton iterations taken (0 if the start already met the tolerance).
    pub iterations: usize,
    /// ‖∇L(θ)‖₂ at the returned θ.
    pub grad_norm: f64,
}

/// Fits θ* = argmin L(θ; D) from θ = 0.
///
/// # Errors
/// Invalid settings, [`Error::Empty`] for no rows, [`Error::MissingClass`] when an intercept is
/// fitted (or λ = 0) and only one label occurs, [`Error::NotPositiveDefinite`] if the Hessian
/// cannot be factorised (λ = 0 with collinear features), [`Error::DidNotConverge`] if the
/// tolerance is not met within `max_iter` iterations (e.g. λ = 0 on separable data).
pub fn train(data: &Dataset, config: &TrainConfig) -> Result<(Model, TrainReport)> {
    let p = config
        .objective()
        .n_params(data.n_features(), data.n_classes());
    train_from(data, config, DVector::zeros(p))
}

/// As [`train`], starting Newton's method at `theta0` (a warm start).
///
/// # Errors
/// As [`train`], plus [`Error::ShapeMismatch`] if `theta0` has the wrong length and
/// [`Error::NonFiniteParameter`] if it holds NaN or infinity.
pub fn train_from(
    data: &Dataset,
    config: &TrainConfig,
    theta0: DVector<f64>,
) -> Result<(Model, TrainReport)> {
    minimize(data, &config.objective(), config, theta0, &mut Silent)
}

/// Newton's method on any [`Objective`] (for example one with certified noise b); `config`
/// supplies tol and max_iter and is validated, its λ and intercept settings are not used.
/// `observe` sees the iteration count and ‖∇L‖ before every Newton step ([`Silent`]: none).
///
/// # Errors
/// As [`train_from`], and whatever `observe` returns.
pub fn minimize(
    data: &Dataset,
    objective: &Objective,
    config: &TrainConfig,
    theta0: DVector<f64>,
    observe: &mut dyn Observer<TrainReport>,
) -> Result<(Model, TrainReport)> {
    config.validate()?;
    TrainConfig {
        l2: objective.l2,
        ..*config
    }
    .validate()?;
    if data.n_samples() == 0 {
        return Err(Error::Empty {
            what: "training data",
        });
    }
    crate::limits::check_training_size(
        data.n_samples(),
        data.n_features(),
        objective.n_params(data.n_features(), data.n_classes()),
        crate::objective::outputs(data.n_classes()),
    )?;
    if objective.needs_every_class() {
        data.require_every_class()?;
    }
    if data.n_classes() > 2 && objective.l2 == 0.0 {
        return Err(Error::NotSupported {
            what: "a multinomial model with λ = 0",
            why: "adding the same weights to every class changes no probability, so the weights \
                  have no unique optimum (only λ > 0 picks one); use λ > 0",
        });
    }
    // Validates the length of θ₀ before any work.
    let start = Model::from_theta(
        theta0,
        data.n_features(),
        data.n_classes(),
        objective.fit_intercept,
    )?;
    let (theta, report) = newton(data, objective, config, start.theta().clone(), observe)?;
    Ok((
        Model::from_theta(
            theta,
            data.n_features(),
            data.n_classes(),
            objective.fit_intercept,
        )?,
        report,
    ))
}

/// Armijo constant: accept a step that achieves this share of the predicted decrease.
const ARMIJO: f64 = 1e-4;
/// Give up a line search after this many halvings.
const MAX_HALVINGS: usize = 50;

fn newton(
    data: &Dataset,
    objective: &Objective,
    config: &TrainConfig,
    theta: DVector<f64>,
    observe: &mut dyn Observer<TrainReport>,
) -> Result<(DVector<f64>, TrainReport)> {
    let mut point = Point::at(data, objective, theta);
    let mut iterations = 0;
    loop {
        let grad_norm = point.gradient.norm();
        observe.observe(&TrainReport {
            iterations,
            grad_norm,
        })?;
        if !grad_norm.is_finite() {
            return Err(Error::NumericalFailure {
                context: "training (gradient)",
            });
        }
        if grad_norm <= config.tol {
            check_finite_optimum(data, objective, config, &point)?;
            let report = TrainReport {
                iterations,
                grad_norm,
            };
            return Ok((point.theta, report));
        }
        if iterations == config.max_iter {
            return Err(Error::DidNotConverge {
                iterations,
                grad_norm,
            });
        }
        let hessian = objective.hessian_at(data, &point.margins);
        point = match damped_step(data, objective, &point, hessian) {
            Some(next) => next,
            // No step improves on θ: if ‖∇L‖ is at the rounding level of its own computation
            // (large n), θ is as converged as float64 allows.
            None if grad_norm <= rounding_floor(data, &point) => {
                check_finite_optimum(data, objective, config, &point)?;
                let report = TrainReport {
                    iterations,
                    grad_norm,
                };
                return Ok((point.theta, report));
            }
            None => {
                return Err(Error::Stalled {
                    iterations,
                    grad_norm,
                })
            }
        };
        iterations += 1;
    }
}

/// Whether the penalty's pull at θ, λ_eff·‖θ_pen‖, is below the stopping tolerance: then λ
/// decides nothing about where Newton stops (λ = 0 always).
pub(crate) fn negligible_penalty(
    objective: &Objective,
    shape: (f64, usize, usize),
    tol: f64,
    theta: &DVector<f64>,
) -> bool {
    let (mass, d, k) = shape;
    let penalised = objective.n_penalised(d, k);
    objective.l2_for_mass(mass) * theta.rows(0, penalised).norm() <= tol
}

/// Relative slack in the separation test: a margin change this small against the largest one
/// counts as no change (rows on the separating hyperplane).
const SEPARATION_SLACK: f64 = 1e-6;

/// With λ = 0 a "converged" θ may sit far out along a direction v that separates the classes:
/// the loss tends to 0 as θ grows along v and ∇L to 0 with it, so Newton stops at an arbitrary
/// point. There the next Newton step would still move every row's margin towards its own class
/// (and the rows on the hyperplane not at all), which a step at a finite optimum cannot do: a
/// direction that no row's margin opposes is by definition a separating one (Albert &
/// Anderson, 1984). A λ whose pull λ‖w‖ is below the tolerance decides nothing either (the
/// tolerance stops Newton first), so it is tested the same way. Costs one Hessian, for such λ
/// only.
fn check_finite_optimum(
    data: &Dataset,
    objective: &Objective,
    config: &TrainConfig,
    point: &Point,
) -> Result<()> {
    let shape = crate::objective::shape(data);
    if !negligible_penalty(objective, shape, config.tol, &point.theta)
        || point.gradient.norm() == 0.0
    {
        return Ok(());
    }
    let hessian = objective.hessian_at(data, &point.margins);
    // A whisker of damping: the Hessian is (nearly) singular exactly when the test matters.
    let damping = 1e-12 * hessian.diagonal().amax().max(f64::MIN_POSITIVE);
    let Some(factor) =
        (hessian + DMatrix::identity(point.theta.len(), point.theta.len()) * damping).cholesky()
    else {
        return Ok(());
    };
    let step = factor.solve(&point.gradient);
    let mut change = objective.margins(data.x(), &step, data.n_classes());
    change.neg_mut();
    // How much each row's own class gains over the others (binary: sᵢ·Δmᵢ).
    let gains: Vec<f64> = (0..data.n_samples())
        .filter(|&i| data.weight(i) > 0.0)
        .map(|i| {
            let y = data.y()[i] as usize;
            if change.ncols() == 1 {
                (2.0 * y as f64 - 1.0) * change[(i, 0)]
            } else {
                (0..change.ncols())
                    .filter(|&k| k != y)
                    .map(|k| change[(i, y)] - change[(i, k)])
                    .fold(f64::INFINITY, f64::min)
            }
        })
        .collect();
    let top = gains.iter().fold(0.0f64, |a, &g| a.max(g.abs()));
    let slack = SEPARATION_SLACK * top;
    if top > 0.0 && gains.iter().all(|&g| g >= -slack) {
        return Err(Error::NoFiniteOptimum {
            separated_rows: gains.iter().filter(|&&g| g > slack).count(),
            n_rows: gains.len(),
            l2: objective.l2,
        });
    }
    Ok(())
}

/// An estimate of the rounding error in ∇L at `point`: 64·ε·Σᵢ ‖∇ℓᵢ‖₁ ≤ 64·ε·Σᵢ 2‖x̂ᵢ‖₁ (each
/// row's gradient is a residual of size ≤ 1 per class times x̂ᵢ; 2 bounds their sum).
fn rounding_floor(data: &Dataset, point: &Point) -> f64 {
    let mut row_l1 = DVector::from_element(data.n_samples(), 1.0);
    for column in data.x().column_iter() {
        row_l1.zip_apply(&column, |acc, v| *acc += v.abs());
    }
    let scale = point.gradient.len() as f64 / data.n_features().max(1) as f64;
    64.0 * f64::EPSILON * 2.0 * scale * row_l1.sum()
}

/// Largest damping tried, relative to the Hessian's largest diagonal entry.
const MAX_DAMPING: f64 = 1e12;

/// A Newton step with line search. If H cannot be factorised (numerically singular, e.g. where
/// the sigmoid saturates and the curvature of a free intercept underflows) or the line search
/// finds no acceptable step, the step is damped, (H + μI)⁻¹∇L, with μ growing ×100 until it
/// works (Levenberg–Marquardt): for large μ this is a short gradient step.
fn damped_step(
    data: &Dataset,
    objective: &Objective,
    point: &Point,
    hessian: DMatrix<f64>,
) -> Option<Point> {
    let scale = hessian.diagonal().amax().max(f64::MIN_POSITIVE);
    let mut damping = 0.0;
    loop {
        let mut damped = hessian.clone();
        for j in 0..damped.nrows() {
            damped[(j, j)] += damping;
        }
        if let Some(factor) = damped.cholesky() {
            let step = factor.solve(&point.gradient);
            if let Some(next) = line_search(data, objective, point, &step) {
                return Some(next);
            }
        }
        damping = if damping == 0.0 {
            1e-6 * scale
        } else {
            damping * 100.0
        };
        if damping > MAX_DAMPING * scale {
            return None;
        }
    }
}

/// θ with the quantities every step needs there: the margins X̂θ, L(θ) and ∇L(θ).
#[derive(Debug, Clone)]
pub(crate) struct Point {
    pub(crate) theta: DVector<f64>,
    pub(crate) margins: DMatrix<f64>,
    pub(crate) loss: f64,
    pub(crate) gradient: DVector<f64>,
}

impl Point {
    pub(crate) fn at(data: &Dataset, objective: &Objective, theta: DVector<f64>) -> Self {
        let margins = objective.margins(data.x(), &theta, data.n_classes());
        Self {
            loss: objective.loss_at(data, &theta, &margins),
            gradient: objective.gradient_at(data, &theta, &margins),
            theta,
            margins,
        }
    }
}

/// Backtracking along −step (Armijo). The margins are linear in θ, so X̂·step is computed once
/// and each trial costs O(n). Near the optimum the loss no longer changes in floating point, so
/// a step that leaves the loss flat but shrinks the gradient is accepted too.
pub(crate) fn line_search(
    data: &Dataset,
    objective: &Objective,
    point: &Point,
    step: &DVector<f64>,
) -> Option<Point> {
    let step_margins = objective.margins(data.x(), step, data.n_classes());
    let decrease = point.gradient.dot(step);
    let mut t = 1.0;
    for _ in 0..MAX_HALVINGS {
        let theta = &point.theta - step * t;
        let margins = &point.margins - &step_margins * t;
        let loss = objective.loss_at(data, &theta, &margins);
        let sufficient = loss <= point.loss - ARMIJO * t * decrease;
        if sufficient || loss <= point.loss + 1e-12 * point.loss.abs() {
            // Fresh margins: the incremental ones drift by rounding over long steps.
            let trial = Point::at(data, objective, theta);
            if sufficient || trial.gradient.norm() < point.gradient.norm() {
                return Some(trial);
            }
        }
        t *= 0.5;
    }
    None
}
