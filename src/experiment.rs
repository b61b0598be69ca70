//! A trained model with its data, and the side-by-side comparison of unlearning methods against
//! retraining that the demo shows.

use nalgebra::DVector;

use crate::data::Dataset;
use crate::edit::{apply_edit, AppliedEdit, Edit, LiveData};
use crate::error::{Error, Result};
use crate::influence::HessianFactor;
use crate::metrics::{distance, gradient_residual, predictions, test_metrics, TestMetrics};
use crate::model::Model;
use crate::objective::Objective;
use crate::train::{train, train_from, TrainConfig, TrainReport};
use crate::unlearn::{
    fine_tune, first_order_update, gradient_difference, newton_update, refine, stepwise_update,
    Order,
};

/// The ways to obtain a model without the forgotten data, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Keep θ* (no update): the baseline every method must beat.
    Lazy,
    /// θ* − τG.
    FirstOrder,
    /// θ* − H̃⁻¹G, H̃ the Hessian on the edited data (the paper's second-order update).
    SecondOrder,
    /// θ* − H⁻¹G with the Hessian on the original data (classic influence functions).
    HessianOnD,
    /// First-order update in k steps, G recomputed at each intermediate θ.
    FirstOrderStepwise,
    /// Second-order update in k steps, G and H̃ recomputed at each intermediate θ.
    SecondOrderStepwise,
    /// One epoch of minibatch gradient descent on D̃ (the paper's fine-tuning baseline).
    FineTune,
    /// The second-order result refined with the same factor until the residual meets a target.
    Exact,
    /// Newton's method on D̃ started at θ*.
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

/// Settings of [`Experiment::compare`].
#[derive(Debug, Clone, PartialEq)]
pub struct CompareOptions {
    /// τ, the first-order unlearning rate. Default 1e-3 (the paper's code uses 1e-4 to 1e-3).
    pub tau: f64,
    /// Which methods to run, in any order; retraining from scratch is always run as the
    /// reference. Default [`Method::CORE`].
    pub methods: Vec<Method>,
    /// Parts of the stepwise updates. Default 10 (the paper's `iter_steps`).
    pub steps: usize,
    /// Fine-tuning step size; `None` uses τ (as the paper's code). Default `None`.
    pub fine_tune_rate: Option<f64>,
    /// Fine-tuning minibatch size. Default 32.
    pub batch_size: usize,
    /// Residual target of the exact method; `None` uses the training tolerance.
    pub exact_target: Option<f64>,
    /// Refinement steps allowed to the exact method. Default 100.
    pub exact_max_iter: usize,
    /// Each method is re-run until this much time (in seconds) has passed and the mean is
    /// reported, so that sub-millisecond updates are not rounded to zero by coarse clocks.
    /// Default 0.002.
    pub min_timing_seconds: f64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        Self {
            tau: 1e-3,
            methods: Method::CORE.to_vec(),
            steps: 10,
            fine_tune_rate: None,
            batch_size: 32,
            exact_target: None,
            exact_max_iter: 100,
            min_timing_seconds: 0.002,
        }
    }
}

/// The outcome of one method.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodOutcome {
    /// Which method.
    pub method: Method,
    /// Its parameters θ (weights, then intercept).
    pub theta: DVector<f64>,
    /// ‖θ − θ_retrain‖₂.
    pub distance_to_retrain: f64,
    /// ‖∇L(θ; D̃)‖₂.
    pub residual: f64,
    /// On the test split, with the edit's feature replacement applied to it too.
    pub test: TestMetrics,
    /// Iterations or steps the method took (0 for closed-form updates).
    pub iterations: usize,
    /// Mean wall time of one run, in seconds (0 for the lazy method).
    pub seconds: f64,
    /// Cold-retraining time divided by this method's time; `None` when this method took no
    /// measurable time (the lazy method).
    pub speedup: Option<f64>,
}

/// Every requested method side by side for one edit.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Rows of the training set the edit changes or removes (Z), ascending.
    pub affected: Vec<usize>,
    /// Rows in the edited training set D̃.
    pub n_edited: usize,
    /// G, the gradient difference the updates use.
    pub gradient_difference: DVector<f64>,
    /// Whether the second-order update reused the training factor (low-rank updates) rather
    /// than rebuilding H̃.
    pub reused_factor: bool,
    /// How cold retraining ended (iterations, final ‖∇L‖).
    pub retrain_report: TrainReport,
    /// One entry per requested method, in [`Method::ALL`] order; always includes
    /// [`Method::Retrain`].
    pub outcomes: Vec<MethodOutcome>,
}

impl Comparison {
    /// The outcome of `method`, if it was requested.
    pub fn outcome(&self, method: Method) -> Option<&MethodOutcome> {
        self.outcomes.iter().find(|o| o.method == method)
    }
}

/// Training and test data with the model trained on them and its Hessian factor.
#[derive(Debug, Clone)]
pub struct Experiment {
    train: Dataset,
    test: Dataset,
    config: TrainConfig,
    model: Model,
    report: TrainReport,
    factor: HessianFactor,
}

impl Experiment {
    /// Trains on `train` with `config` and factorises the Hessian at θ*.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if the test data has a different number of features, and every
    /// error of [`train`].
    pub fn new(train_data: Dataset, test: Dataset, config: TrainConfig) -> Result<Self> {
        if test.n_features() != train_data.n_features() {
            return Err(Error::ShapeMismatch {
                what: "test features",
                expected: format!("{} columns (as the training data)", train_data.n_features()),
                got: format!("{} columns", test.n_features()),
            });
        }
        let (model, report) = train(&train_data, &config)?;
        let factor = HessianFactor::new(&config.objective(), &train_data, model.theta())?;
        Ok(Self {
            train: train_data,
            test,
            config,
            model,
            report,
            factor,
        })
    }

    /// The trained model θ*.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// How training ended.
    pub fn report(&self) -> &TrainReport {
        &self.report
    }

    /// The training settings.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The training data D.
    pub fn train_data(&self) -> &Dataset {
        &self.train
    }

    /// The held-out test data.
    pub fn test_data(&self) -> &Dataset {
        &self.test
    }

    /// Accuracy and log-loss of θ* on the test split (agreement is with itself, so 1).
    pub fn test_metrics(&self) -> TestMetrics {
        let objective = self.config.objective();
        let own = predictions(&objective, &self.test, self.model.theta());
        test_metrics(&objective, &self.test, self.model.theta(), &own)
    }

    /// Applies `edit` with every requested [`Method`] and measures each against retraining
    /// from scratch.
    ///
    /// Timing: `clock` returns seconds from any fixed origin. Finding the affected rows and
    /// building D̃ is shared and not timed; computing G is part of every update's time, and the
    /// second-order time includes updating (or rebuilding) and factorising H̃. The experiment
    /// itself is never changed.
    ///
    /// # Errors
    /// Invalid edit or options, an edited set with no rows or one class, a Hessian that is not
    /// positive definite, retraining or refinement that does not converge.
    pub fn compare(
        &self,
        edit: &Edit,
        options: &CompareOptions,
        clock: &mut dyn FnMut() -> f64,
    ) -> Result<Comparison> {
        validate(options)?;
        let objective = self.config.objective();
        let applied = apply_edit(&self.train, edit)?;
        let run = Run {
            experiment: self,
            objective: &objective,
            applied: &applied,
            edit,
            options,
        };
        let (reused_factor, _) = run.second_order_factor()?;
        let ((cold, retrain_report), t_cold) = timed(clock, options.min_timing_seconds, || {
            train(&applied.edited, &self.config)
        })?;
        let mut methods: Vec<Method> = Method::ALL
            .into_iter()
            .filter(|m| *m == Method::Retrain || options.methods.contains(m))
            .collect();
        methods.dedup();

        let test = self.edited_test(edit);
        let reference = predictions(&objective, &test, cold.theta());
        let mut outcomes = Vec::with_capacity(methods.len());
        for method in methods {
            let ((theta, iterations), seconds) = match method {
                Method::Lazy => ((self.model.theta().clone(), 0), 0.0),
                Method::Retrain => ((cold.theta().clone(), retrain_report.iterations), t_cold),
                _ => timed(clock, options.min_timing_seconds, || run.method(method))?,
            };
            outcomes.push(MethodOutcome {
                method,
                distance_to_retrain: distance(&theta, cold.theta()),
                residual: gradient_residual(&objective, &applied.edited, &theta),
                test: test_metrics(&objective, &test, &theta, &reference),
                iterations,
                seconds,
                speedup: (seconds > 0.0).then(|| t_cold / seconds),
                theta,
            });
        }
        Ok(Comparison {
            affected: applied.delta.affected.clone(),
            n_edited: applied.edited.n_samples(),
            gradient_difference: gradient_difference(
                &objective,
                &applied.delta,
                self.model.theta(),
            ),
            reused_factor,
            retrain_report,
            outcomes,
        })
    }

    /// The test split with the edit's feature replacement applied.
    fn edited_test(&self, edit: &Edit) -> Dataset {
        let (mut x, y) = self.test.clone().into_parts();
        edit.replace_features(&mut x);
        Dataset::from_parts_unchecked(x, y)
    }
}

fn validate(options: &CompareOptions) -> Result<()> {
    let positive = |name: &'static str, value: usize| {
        if value == 0 {
            Err(Error::InvalidParameter {
                name,
                value: 0.0,
                expected: "at least 1",
            })
        } else {
            Ok(())
        }
    };
    positive("steps", options.steps)?;
    positive("batch_size", options.batch_size)?;
    if let Some(target) = options.exact_target {
        if !(target.is_finite() && target > 0.0) {
            return Err(Error::InvalidParameter {
                name: "exact_target",
                value: target,
                expected: "a finite number > 0",
            });
        }
    }
    // τ and the fine-tuning rate are checked by the updates themselves; check τ up front so a
    // bad τ fails even when no first-order method was requested.
    first_order_update(&DVector::zeros(0), &DVector::zeros(0), options.tau).map(|_| ())
}

/// Everything one comparison's methods share.
struct Run<'a> {
    experiment: &'a Experiment,
    objective: &'a Objective,
    applied: &'a AppliedEdit,
    edit: &'a Edit,
    options: &'a CompareOptions,
}

impl Run<'_> {
    fn theta_star(&self) -> &DVector<f64> {
        self.experiment.model.theta()
    }

    fn g(&self) -> DVector<f64> {
        gradient_difference(self.objective, &self.applied.delta, self.theta_star())
    }

    /// The factor of H̃ = ∇²L(θ*; D̃): the training factor with 2m rank-one changes when that is
    /// cheaper (and stays positive definite), otherwise rebuilt. Returns whether it was reused.
    fn second_order_factor(&self) -> Result<(bool, HessianFactor)> {
        let delta = &self.applied.delta;
        let changes = delta.affected.len() + delta.after_rows.len();
        if HessianFactor::update_is_cheaper(delta.n_after, changes, self.theta_star().len()) {
            if let Ok(factor) = self.experiment.factor.edited(self.objective, delta) {
                return Ok((true, factor));
            }
        }
        let rebuilt = HessianFactor::new(self.objective, &self.applied.edited, self.theta_star())?;
        Ok((false, rebuilt))
    }

    /// θ and iteration count of one method (not lazy, not the reference retrain).
    fn method(&self, method: Method) -> Result<(DVector<f64>, usize)> {
        let options = self.options;
        let theta_star = self.theta_star();
        let edited = &self.applied.edited;
        let stepwise = |order| {
            let live = LiveData::new(self.experiment.train.clone());
            stepwise_update(
                self.objective,
                &live,
                self.edit,
                theta_star,
                options.steps,
                order,
                options.tau,
            )
        };
        Ok(match method {
            Method::FirstOrder => (first_order_update(theta_star, &self.g(), options.tau)?, 0),
            Method::SecondOrder => {
                let (_, factor) = self.second_order_factor()?;
                (newton_update(&factor, theta_star, &self.g())?, 0)
            }
            Method::HessianOnD => (
                newton_update(&self.experiment.factor, theta_star, &self.g())?,
                0,
            ),
            Method::FirstOrderStepwise => (stepwise(Order::First)?, options.steps),
            Method::SecondOrderStepwise => (stepwise(Order::Second)?, options.steps),
            Method::FineTune => {
                let rate = options.fine_tune_rate.unwrap_or(options.tau);
                (
                    fine_tune(self.objective, edited, theta_star, rate, options.batch_size)?,
                    1,
                )
            }
            Method::Exact => {
                let (_, factor) = self.second_order_factor()?;
                let start = newton_update(&factor, theta_star, &self.g())?;
                let target = options.exact_target.unwrap_or(self.experiment.config.tol);
                let refined = refine(
                    self.objective,
                    edited,
                    &factor,
                    &start,
                    target,
                    options.exact_max_iter,
                )?;
                (refined.theta, refined.iterations)
            }
            Method::RetrainWarm => {
                let (model, report) =
                    train_from(edited, &self.experiment.config, theta_star.clone())?;
                (model.theta().clone(), report.iterations)
            }
            Method::Lazy | Method::Retrain => (theta_star.clone(), 0),
        })
    }
}

/// Upper bound on repetitions, so that a broken clock cannot loop for long.
const MAX_REPEATS: usize = 1_000;

/// Runs `f` once for its result, then again until `min_seconds` have passed; returns the result
/// and the mean time per run.
fn timed<T>(
    clock: &mut dyn FnMut() -> f64,
    min_seconds: f64,
    mut f: impl FnMut() -> Result<T>,
) -> Result<(T, f64)> {
    let start = clock();
    let result = f()?;
    let mut runs = 1usize;
    while clock() - start < min_seconds && runs < MAX_REPEATS {
        f()?;
        runs += 1;
    }
    Ok((result, (clock() - start) / runs as f64))
}
