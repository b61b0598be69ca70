//! The unlearning methods by name, their settings, and one entry point that runs any of them
//! from a model θ whose Hessian factor was taken at θ_s.

use std::cell::OnceCell;

use nalgebra::DVector;

use crate::data::Dataset;
use crate::edit::{Edit, EditDelta};
use crate::error::{Error, Result};
use crate::influence::HessianFactor;
use crate::live::LiveData;
use crate::objective::Objective;
use crate::train::{minimize, Silent, TrainConfig};
use crate::unlearn::{
    fine_tune, first_order_update, gradient_difference, refine, stepwise_update, Order,
};

/// The ways to obtain a model without the forgotten data, in report order. Serialised by
/// [`Method::key`]'s names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(js, derive(serde::Serialize), serde(rename_all = "snake_case"))]
pub enum Method {
    /// Keep θ (no update): the baseline every method must beat.
    Lazy,
    /// θ − τG.
    FirstOrder,
    /// θ − H̃⁻¹G, H̃ the Hessian on the edited data (the paper's second-order update).
    SecondOrder,
    /// θ − H⁻¹G with the Hessian on the data before the edit (classic influence functions).
    HessianOnD,
    /// First-order update in k steps, G recomputed at each intermediate θ.
    FirstOrderStepwise,
    /// Second-order update in k steps, G and H̃ recomputed at each intermediate θ.
    SecondOrderStepwise,
    /// One epoch of minibatch gradient descent on D̃ (the paper's fine-tuning baseline).
    FineTune,
    /// The second-order result refined with the same factor until the residual meets a target.
    Exact,
    /// Newton's method on D̃ started at θ.
    RetrainWarm,
    /// Newton's method on D̃ started at 0: the reference every distance is measured against.
    Retrain,
}

impl Method {
    /// All methods, in report order.
    pub const ALL: [Method; 10] = [
        Method::Lazy,
        Method::FirstOrder,
        Method::SecondOrder,
        Method::HessianOnD,
        Method::FirstOrderStepwise,
        Method::SecondOrderStepwise,
        Method::FineTune,
        Method::Exact,
        Method::RetrainWarm,
        Method::Retrain,
    ];

    /// The five the paper's comparison is about (and the demo's default).
    pub const CORE: [Method; 5] = [
        Method::Lazy,
        Method::FirstOrder,
        Method::SecondOrder,
        Method::RetrainWarm,
        Method::Retrain,
    ];

    /// Stable machine name (`"second_order"`, …) used in JSON and the JS API.
    pub fn key(self) -> &'static str {
        match self {
            Method::Lazy => "lazy",
            Method::FirstOrder => "first_order",
            Method::SecondOrder => "second_order",
            Method::HessianOnD => "hessian_on_d",
            Method::FirstOrderStepwise => "first_order_stepwise",
            Method::SecondOrderStepwise => "second_order_stepwise",
            Method::FineTune => "fine_tune",
            Method::Exact => "exact",
            Method::RetrainWarm => "retrain_warm",
            Method::Retrain => "retrain",
        }
    }

    /// The method with machine name `key`.
    ///
    /// # Errors
    /// [`Error::UnknownName`] listing the valid names.
    pub fn from_key(key: &str) -> Result<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.key() == key)
            .ok_or_else(|| Error::UnknownName {
                what: "method",
                name: key.to_owned(),
                expected: Method::ALL.map(Method::key).join(", "),
            })
    }
}

/// Parameters of the methods. `Default` gives the documented defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(
    js,
    derive(serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct UpdateSettings {
    /// τ, the first-order unlearning rate. Default 1e-3 (the paper's code uses 1e-4 to 1e-3).
    pub tau: f64,
    /// Parts of the stepwise updates. Default 10 (the paper's `iter_steps`).
    pub steps: usize,
    /// Fine-tuning step size; `None` uses τ (as the paper's code).
    pub fine_tune_rate: Option<f64>,
    /// Fine-tuning minibatch size. Default 32.
    pub batch_size: usize,
    /// Residual target of the exact method; `None` uses the training tolerance.
    pub exact_target: Option<f64>,
    /// Refinement steps allowed to the exact method. Default 100.
    pub exact_max_iter: usize,
}

impl Default for UpdateSettings {
    fn default() -> Self {
        Self {
            tau: 1e-3,
            steps: 10,
            fine_tune_rate: None,
            batch_size: 32,
            exact_target: None,
            exact_max_iter: 100,
        }
    }
}

impl UpdateSettings {
    /// Checks every parameter (so a bad one fails even when its method is not run).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the first bad parameter.
    pub fn validate(&self) -> Result<()> {
        let bad = |name, value: f64, expected| {
            Err(Error::InvalidParameter {
                name,
                value,
                expected,
            })
        };
        let rate_ok = |r: f64| r.is_finite() && (0.0..=crate::limits::LARGE_VALUE).contains(&r);
        if !rate_ok(self.tau) {
            return bad("τ (unlearning rate)", self.tau, "a number from 0 to 1e140");
        }
        if let Some(rate) = self.fine_tune_rate.filter(|&r| !rate_ok(r)) {
            return bad("fine-tuning rate", rate, "a number from 0 to 1e140");
        }
        if let Some(target) = self.exact_target.filter(|t| !(t.is_finite() && *t > 0.0)) {
            return bad("exact target", target, "a finite number > 0");
        }
        if self.steps == 0 || self.steps > crate::limits::MAX_STEPS {
            return bad("steps", self.steps as f64, "a whole number from 1 to 1000");
        }
        if self.exact_max_iter == 0 || self.exact_max_iter > crate::limits::MAX_ITERATIONS {
            let value = self.exact_max_iter as f64;
            return bad(
                "exact max iterations",
                value,
                "a whole number from 1 to 10000",
            );
        }
        if self.batch_size == 0 {
            return bad("batch size", 0.0, "at least 1");
        }
        Ok(())
    }
}

/// Whether the second-order factor came from updating the kept one or from a rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(js, derive(serde::Serialize), serde(rename_all = "lowercase"))]
pub enum FactorSource {
    /// The kept factor with 2m rank-one changes (O(m·p²)); still taken at θ_s.
    Updated,
    /// H̃ built and factorised at the current θ (O(n·p² + p³)).
    Rebuilt,
}

/// Everything a method needs: the data before the edit, the edit and its delta, the current θ
/// and a factor of ∇²L(θ_s; D) for some θ_s (θ_s = θ right after training).
pub struct UpdateContext<'a> {
    /// The objective (with noise b in certified mode).
    pub objective: &'a Objective,
    /// Training settings, for retraining and the default exact target.
    pub config: &'a TrainConfig,
    /// D, the data before this edit.
    pub live: &'a LiveData,
    /// The request.
    pub edit: &'a Edit,
    /// Its Z and Z̃ on `live`.
    pub delta: &'a EditDelta,
    /// The current parameters.
    pub theta: &'a DVector<f64>,
    /// A factor of ∇²L(θ_s; D), if D has one (a Hessian-free request may have left data whose
    /// Hessian cannot be factorised; the methods that need one rebuild it, or say why not).
    pub factor: Option<&'a HessianFactor>,
    edited: OnceCell<Dataset>,
}

impl<'a> UpdateContext<'a> {
    /// A context; D̃ is materialised only if a method needs it.
    pub fn new(
        objective: &'a Objective,
        config: &'a TrainConfig,
        live: &'a LiveData,
        edit: &'a Edit,
        delta: &'a EditDelta,
        theta: &'a DVector<f64>,
        factor: Option<&'a HessianFactor>,
    ) -> Self {
        Self {
            objective,
            config,
            live,
            edit,
            delta,
            theta,
            factor,
            edited: OnceCell::new(),
        }
    }

    /// D̃ (built once, O(n·d)).
    pub fn edited(&self) -> &Dataset {
        self.edited.get_or_init(|| {
            let mut live = self.live.clone();
            live.commit(self.edit);
            live.materialise()
        })
    }

    /// G at the current θ.
    pub fn gradient_difference(&self) -> DVector<f64> {
        gradient_difference(self.objective, self.delta, self.theta)
    }

    /// A factor for the second-order step on D̃: the kept factor updated by rank-one changes
    /// when that is cheaper and `refresh` is false (and definiteness survives), otherwise H̃
    /// rebuilt at the current θ.
    ///
    /// # Errors
    /// [`Error::NotPositiveDefinite`] if H̃ cannot be factorised.
    pub fn edited_factor(&self, refresh: bool) -> Result<(HessianFactor, FactorSource)> {
        let delta = self.delta;
        // Each moved row is one rank-one change (binary) or K (softmax).
        let per_row = crate::objective::outputs(delta.before.n_classes());
        let changes = (delta.affected.len() + delta.after_rows.len()) * per_row;
        let cheaper = HessianFactor::update_is_cheaper(delta.n_after, changes, self.theta.len());
        if let Some(kept) = self.factor.filter(|_| cheaper && !refresh) {
            if let Ok(factor) = kept.edited(self.objective, delta) {
                return Ok((factor, FactorSource::Updated));
            }
        }
        let rebuilt = HessianFactor::new_for(
            "second-order update (Hessian on the edited data)",
            self.objective,
            self.edited(),
            self.theta,
        )?;
        Ok((rebuilt, FactorSource::Rebuilt))
    }

    /// The second-order update θ − H̃⁻¹G, with the factor it used (kept and updated, or rebuilt
    /// when `refresh` or when that is cheaper).
    ///
    /// # Errors
    /// As [`UpdateContext::edited_factor`] and [`HessianFactor::step`].
    pub fn second_order(
        &self,
        refresh: bool,
    ) -> Result<(DVector<f64>, (HessianFactor, FactorSource))> {
        let factor = self.edited_factor(refresh)?;
        let theta = factor.0.step(
            self.theta,
            &self.gradient_difference(),
            "second-order update",
        )?;
        Ok((theta, factor))
    }

    /// Runs `method`; returns the new θ and the iterations or steps it took.
    ///
    /// # Errors
    /// Whatever the method reports: bad settings, a Hessian that is not positive definite,
    /// retraining or refinement that does not converge, NaN.
    pub fn run(&self, method: Method, settings: &UpdateSettings) -> Result<(DVector<f64>, usize)> {
        let theta = self.theta;
        let stepwise = |order| {
            stepwise_update(
                self.objective,
                self.live,
                self.edit,
                theta,
                settings.steps,
                order,
                settings.tau,
            )
        };
        Ok(match method {
            Method::Lazy => (theta.clone(), 0),
            Method::FirstOrder => (
                first_order_update(theta, &self.gradient_difference(), settings.tau)?,
                0,
            ),
            Method::SecondOrder => (self.second_order(false)?.0, 0),
            Method::HessianOnD => {
                let rebuilt;
                let factor = match self.factor {
                    Some(f) => f,
                    None => {
                        let data = self.live.materialise();
                        rebuilt =
                            HessianFactor::new_for("Hessian on D", self.objective, &data, theta)?;
                        &rebuilt
                    }
                };
                (
                    factor.step(theta, &self.gradient_difference(), "Hessian on D")?,
                    0,
                )
            }
            Method::FirstOrderStepwise => (stepwise(Order::First)?, settings.steps),
            Method::SecondOrderStepwise => (stepwise(Order::Second)?, settings.steps),
            Method::FineTune => {
                let rate = settings.fine_tune_rate.unwrap_or(settings.tau);
                let tuned = fine_tune(
                    self.objective,
                    self.edited(),
                    theta,
                    rate,
                    settings.batch_size,
                )?;
                (tuned, 1)
            }
            Method::Exact => {
                let (start, (factor, _)) = self.second_order(false)?;
                let target = settings.exact_target.unwrap_or(self.config.tol);
                let refined = refine(
                    self.objective,
                    self.edited(),
                    &factor,
                    &start,
                    target,
                    settings.exact_max_iter,
                )?;
                (refined.theta, refined.iterations)
            }
            Method::RetrainWarm => self.retrain(theta.clone())?,
            Method::Retrain => self.retrain(DVector::zeros(theta.len()))?,
        })
    }

    /// With λ = 0 an edit can make the data separable, and then an update lands on a finite θ
    /// although the edited optimum is at infinity. Warm Newton from `theta` on D̃ settles it
    /// (O(n·p²) per step, λ = 0 only); with λ > 0 the optimum always exists.
    ///
    /// # Errors
    /// [`Error::NoFiniteOptimum`] and the other errors of training.
    pub fn confirm_finite_optimum(&self, theta: &DVector<f64>) -> Result<()> {
        let all = self.live.all_rows();
        let shape = (self.delta.n_after as f64, all.n_features(), all.n_classes());
        if !crate::train::negligible_penalty(self.objective, shape, self.config.tol, theta) {
            return Ok(());
        }
        let start = theta.clone();
        minimize(
            self.edited(),
            self.objective,
            self.config,
            start,
            &mut Silent,
        )
        .map(|_| ())
    }

    fn retrain(&self, start: DVector<f64>) -> Result<(DVector<f64>, usize)> {
        let (model, report) = minimize(
            self.edited(),
            self.objective,
            self.config,
            start,
            &mut Silent,
        )?;
        Ok((model.theta().clone(), report.iterations))
    }
}
