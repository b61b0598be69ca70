//! A trained model with its data, and the side-by-side comparison of every unlearning method
//! against retraining that the demo shows.

use nalgebra::DVector;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::metrics::{distance, gradient_residual, predictions, test_metrics, TestMetrics};
use crate::model::Model;
use crate::train::{train, train_from, TrainConfig, TrainReport};
use crate::unlearn::{
    apply_edit, first_order_update, gradient_difference, second_order_update, Edit,
};

/// The ways to obtain a model without the forgotten data, in the order they are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Keep θ* (no update): the baseline every method must beat.
    Lazy,
    /// θ* − τG.
    FirstOrder,
    /// θ* − H̃⁻¹G.
    SecondOrder,
    /// Newton's method on D̃ started at θ*.
    RetrainWarm,
    /// Newton's method on D̃ started at 0: the reference every distance is measured against.
    Retrain,
}

impl Method {
    /// All methods, in report order.
    pub const ALL: [Method; 5] = [
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
            Method::RetrainWarm => "retrain_warm",
            Method::Retrain => "retrain",
        }
    }
}

/// Settings of [`Experiment::compare`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompareOptions {
    /// τ, the first-order unlearning rate. Default 1e-3 (the paper's code uses 1e-4 to 1e-3).
    pub tau: f64,
    /// Each method is re-run until this much time (in seconds) has passed, and the mean is
    /// reported, so that sub-millisecond updates are not rounded to zero by coarse clocks.
    /// Default 0.002.
    pub min_timing_seconds: f64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        Self {
            tau: 1e-3,
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
    /// Mean wall time of one run, in seconds (0 for the lazy method).
    pub seconds: f64,
    /// Cold-retraining time divided by this method's time; `None` when this method took no
    /// measurable time (the lazy method).
    pub speedup: Option<f64>,
}

/// Every method side by side for one edit.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Rows of the training set the edit changes or removes (Z), ascending.
    pub affected: Vec<usize>,
    /// Rows in the edited training set D̃.
    pub n_edited: usize,
    /// G, the gradient difference both updates use.
    pub gradient_difference: DVector<f64>,
    /// How cold retraining ended (iterations, final ‖∇L‖).
    pub retrain_report: TrainReport,
    /// One entry per [`Method`], in [`Method::ALL`] order.
    pub outcomes: Vec<MethodOutcome>,
}

impl Comparison {
    /// The outcome of `method`.
    pub fn outcome(&self, method: Method) -> &MethodOutcome {
        // Every comparison holds all methods in `Method::ALL` (declaration) order.
        &self.outcomes[method as usize]
    }
}

/// Training and test data with the model trained on them.
#[derive(Debug, Clone)]
pub struct Experiment {
    train: Dataset,
    test: Dataset,
    config: TrainConfig,
    model: Model,
    report: TrainReport,
}

impl Experiment {
    /// Trains on `train` with `config`.
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
        Ok(Self {
            train: train_data,
            test,
            config,
            model,
            report,
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

    /// Applies `edit` with every [`Method`] and measures each against cold retraining.
    ///
    /// Timing: `clock` returns seconds from any fixed origin. Finding the affected rows and
    /// building D̃ is shared and not timed; computing G is part of both updates' time, and the
    /// second-order time includes building and factorising H̃ (as in the paper's runtime
    /// comparison). The experiment itself is never changed.
    ///
    /// # Errors
    /// Invalid edit or τ, an edited set with no rows or one class, a Hessian that is not
    /// positive definite, retraining that does not converge.
    pub fn compare(
        &self,
        edit: &Edit,
        options: &CompareOptions,
        clock: &mut dyn FnMut() -> f64,
    ) -> Result<Comparison> {
        let objective = self.config.objective();
        let theta_star = self.model.theta();
        let applied = apply_edit(&self.train, edit)?;
        let edited = &applied.edited;
        let min_time = options.min_timing_seconds;

        let (g, _) = timed(clock, 0.0, || {
            Ok(gradient_difference(&objective, &applied, theta_star))
        })?;
        let (first, t_first) = timed(clock, min_time, || {
            let g = gradient_difference(&objective, &applied, theta_star);
            first_order_update(theta_star, &g, options.tau)
        })?;
        let (second, t_second) = timed(clock, min_time, || {
            let g = gradient_difference(&objective, &applied, theta_star);
            second_order_update(&objective, edited, theta_star, &g)
        })?;
        let ((warm, _), t_warm) = timed(clock, min_time, || {
            train_from(edited, &self.config, theta_star.clone())
        })?;
        let ((cold, retrain_report), t_cold) =
            timed(clock, min_time, || train(edited, &self.config))?;

        let (mut test_x, test_y) = self.test.clone().into_parts();
        edit.replace_features(&mut test_x);
        let test = Dataset::from_parts_unchecked(test_x, test_y);
        let reference = predictions(&objective, &test, cold.theta());

        let runs = [
            (Method::Lazy, theta_star.clone(), 0.0),
            (Method::FirstOrder, first, t_first),
            (Method::SecondOrder, second, t_second),
            (Method::RetrainWarm, warm.theta().clone(), t_warm),
            (Method::Retrain, cold.theta().clone(), t_cold),
        ];
        let outcomes = runs
            .into_iter()
            .map(|(method, theta, seconds)| MethodOutcome {
                method,
                distance_to_retrain: distance(&theta, cold.theta()),
                residual: gradient_residual(&objective, edited, &theta),
                test: test_metrics(&objective, &test, &theta, &reference),
                seconds,
                speedup: (seconds > 0.0).then(|| t_cold / seconds),
                theta,
            })
            .collect();
        Ok(Comparison {
            affected: applied.affected.clone(),
            n_edited: edited.n_samples(),
            gradient_difference: g,
            retrain_report,
            outcomes,
        })
    }
}

/// Upper bound on repetitions, so that a broken clock cannot loop forever.
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
