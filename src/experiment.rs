//! A trained model with its data, and the side-by-side comparison of unlearning methods against
//! retraining that the demo shows.

use nalgebra::DVector;

use crate::data::Dataset;
use crate::edit::{Edit, EditDelta};
use crate::error::{Error, Result};
use crate::hedge::{self, HedgePoint, PathProgress};
use crate::method::{FactorSource, Method, UpdateContext, UpdateSettings};
use crate::metrics::{distance, gradient_residual, predictions, test_metrics, TestMetrics};
use crate::model::Model;
use crate::train::{Observer, TrainConfig, TrainReport};
use crate::unlearner::{Unlearner, UnlearnerConfig};

/// Settings of [`Experiment::compare`].
#[derive(Debug, Clone, PartialEq)]
pub struct CompareOptions {
    /// τ and the other per-method parameters.
    pub settings: UpdateSettings,
    /// Which methods to run, in any order; retraining from scratch is always run as the
    /// reference. Default [`Method::CORE`].
    pub methods: Vec<Method>,
    /// Each method is re-run until this much time (in seconds) has passed and the mean is
    /// reported, so that sub-millisecond updates are not rounded to zero by coarse clocks.
    /// Default 0.002.
    pub min_timing_seconds: f64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        Self {
            settings: UpdateSettings::default(),
            methods: Method::CORE.to_vec(),
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
    /// One entry per requested method that succeeded, in [`Method::ALL`] order; always
    /// includes [`Method::Retrain`].
    pub outcomes: Vec<MethodOutcome>,
    /// Requested methods that failed (the others are still reported).
    pub failures: Vec<MethodFailure>,
    /// Conditions that make the numbers less trustworthy (a nearly singular Hessian).
    pub warnings: Vec<String>,
}

/// A method that failed in a comparison, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodFailure {
    /// Which method.
    pub method: Method,
    /// Why it failed.
    pub error: Error,
}

impl Comparison {
    /// The outcome of `method`, if it was requested.
    pub fn outcome(&self, method: Method) -> Option<&MethodOutcome> {
        self.outcomes.iter().find(|o| o.method == method)
    }
}

/// A trained [`Unlearner`] (the one owner of model, training data and kept Hessian factor) with
/// held-out test data: comparisons are functions of the two and never change the model.
#[derive(Debug, Clone)]
pub struct Experiment {
    unlearner: Unlearner,
    test: Dataset,
}

impl Experiment {
    /// Trains on `train` with `config` and factorises the Hessian at θ*.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if the test data has a different number of features, and every
    /// error of [`train`], and whatever `observe` (training progress, see
    /// [`crate::train::minimize`]) returns.
    pub fn new(
        train_data: Dataset,
        test: Dataset,
        config: TrainConfig,
        observe: &mut dyn Observer<TrainReport>,
    ) -> Result<Self> {
        if test.n_samples() == 0 {
            return Err(Error::Empty {
                what: "test data (keep at least one row for testing: a test fraction above 0)",
            });
        }
        if test.n_features() != train_data.n_features() {
            return Err(Error::ShapeMismatch {
                what: "test features",
                expected: format!("{} columns (as the training data)", train_data.n_features()),
                got: format!("{} columns", test.n_features()),
            });
        }
        let config = UnlearnerConfig {
            train: config,
            ..UnlearnerConfig::default()
        };
        let unlearner = Unlearner::fit(train_data, config, observe)?;
        Ok(Self { unlearner, test })
    }

    /// The trained model θ*.
    pub fn model(&self) -> &Model {
        self.unlearner.model()
    }

    /// How training ended.
    pub fn report(&self) -> &TrainReport {
        self.unlearner.train_report()
    }

    /// What makes the trained model less trustworthy (badly scaled features); every
    /// comparison repeats them.
    pub fn warnings(&self) -> &[String] {
        self.unlearner.warnings()
    }

    /// The training settings.
    pub fn config(&self) -> &TrainConfig {
        &self.unlearner.config().train
    }

    /// The training data D.
    pub fn train_data(&self) -> &Dataset {
        self.unlearner.data().all_rows()
    }

    /// The held-out test data.
    pub fn test_data(&self) -> &Dataset {
        &self.test
    }

    /// Accuracy and log-loss of θ* on the test split (agreement is with itself, so 1).
    pub fn test_metrics(&self) -> TestMetrics {
        let objective = self.config().objective();
        let own = predictions(&objective, &self.test, self.model().theta());
        test_metrics(&objective, &self.test, self.model().theta(), &own)
    }

    /// The checked request on the kept model: its Z → Z̃ and the context every method runs in.
    fn context<'a>(&'a self, edit: &'a Edit, delta: &'a EditDelta) -> UpdateContext<'a> {
        let u = &self.unlearner;
        UpdateContext::new(
            u.objective_ref(),
            &u.config().train,
            u.data(),
            edit,
            delta,
            u.model().theta(),
            u.factor(),
        )
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
        let settings = options.settings;
        settings.validate()?;
        let timing = options.min_timing_seconds;
        if !(0.0..=crate::limits::MAX_TIMING_SECONDS).contains(&timing) {
            return Err(Error::InvalidParameter {
                name: "minimum timing seconds",
                value: timing,
                expected: "a number from 0 to 10",
            });
        }
        let delta = self.unlearner.checked_delta(edit)?;
        let context = self.context(edit, &delta);
        let (objective, theta_star) = (context.objective, context.theta);
        let edited = context.edited();
        // A factor failure is reported by the second-order methods themselves.
        let factor = context.edited_factor(false).ok();
        let mut warnings = self.warnings().to_vec();
        let what = "the Hessian on the edited data";
        warnings.extend(factor.as_ref().and_then(|(f, _)| f.condition_warning(what)));
        if self.warnings().is_empty() {
            // Values the request itself brings in (a cell set to 1e9).
            warnings.extend(crate::data::scale_warnings(delta.after.x()));
        }
        let ((cold, retrain_iterations), t_cold) =
            timed(clock, options.min_timing_seconds, || {
                context.run(Method::Retrain, &settings)
            })?;
        let retrain_report = TrainReport {
            iterations: retrain_iterations,
            grad_norm: gradient_residual(objective, edited, &cold),
        };
        let methods: Vec<Method> = Method::ALL
            .into_iter()
            .filter(|m| *m == Method::Retrain || options.methods.contains(m))
            .collect();

        let test = self.edited_test(edit);
        let reference = predictions(objective, &test, &cold);
        let mut outcomes = Vec::with_capacity(methods.len());
        let mut failures = Vec::new();
        for method in methods {
            let ((theta, iterations), seconds) = match method {
                Method::Lazy => ((theta_star.clone(), 0), 0.0),
                Method::Retrain => ((cold.clone(), retrain_iterations), t_cold),
                _ => {
                    let run = || context.run(method, &settings);
                    match timed(clock, options.min_timing_seconds, run) {
                        Ok(result) => result,
                        Err(error) => {
                            failures.push(MethodFailure { method, error });
                            continue;
                        }
                    }
                }
            };
            outcomes.push(MethodOutcome {
                method,
                distance_to_retrain: distance(&theta, &cold),
                residual: gradient_residual(objective, edited, &theta),
                test: test_metrics(objective, &test, &theta, &reference),
                iterations,
                seconds,
                speedup: (seconds > 0.0).then(|| t_cold / seconds),
                theta,
            });
        }
        Ok(Comparison {
            affected: delta.affected.clone(),
            n_edited: edited.n_samples(),
            gradient_difference: context.gradient_difference(),
            reused_factor: matches!(factor, Some((_, FactorSource::Updated))),
            retrain_report,
            outcomes,
            failures,
            warnings,
        })
    }

    /// The hedging path θ(ε) between θ* (ε = 0) and the retrained model (ε = 1) at each ε of
    /// `epsilons` (ascending, in [0, 1]), with the first- and second-order updates as straight
    /// lines from θ* beside it (see [`crate::hedge`]); `observe` sees every Newton step of every ε.
    ///
    /// # Errors
    /// Invalid edit, settings or ε; a second-order update or a point of the path that fails;
    /// whatever `observe` returns.
    pub fn hedging_path(
        &self,
        edit: &Edit,
        settings: &UpdateSettings,
        epsilons: &[f64],
        observe: &mut dyn for<'a> Observer<PathProgress<'a>>,
    ) -> Result<Vec<HedgePoint>> {
        settings.validate()?;
        let delta = self.unlearner.checked_delta(edit)?;
        let context = self.context(edit, &delta);
        let (objective, theta_star) = (context.objective, context.theta);
        let (first, _) = context.run(Method::FirstOrder, settings)?;
        let (second, _) = context.run(Method::SecondOrder, settings)?;
        hedge::hedging_path(
            objective,
            self.config(),
            self.train_data(),
            edit,
            (theta_star, &first, &second),
            epsilons,
            observe,
        )
    }

    /// The test split with the edit's feature replacement applied.
    fn edited_test(&self, edit: &Edit) -> Dataset {
        let (mut x, y) = self.test.clone().into_parts();
        edit.replace_features(&mut x);
        self.test.like(x, y)
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
