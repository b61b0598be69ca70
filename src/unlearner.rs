//! A model that forgets request after request: the training data is edited in place, the
//! Hessian factor from training is kept and updated by rank-one changes, and in certified mode
//! every request gets a certificate (Guo et al. 2020, Algorithm 2, extended to feature and
//! label edits as in Warnecke et al. 2023, Thm 2).

use nalgebra::{DMatrix, DVector};

use crate::certify::{
    design_matrix, failed_assumptions, first_order_bound, gram, second_order_bound,
    spectral_norm_from_gram, worst_case_bound, Privacy,
};
use crate::data::Dataset;
use crate::edit::{Edit, EditDelta};
use crate::error::{Error, Result};
use crate::influence::HessianFactor;
use crate::live::LiveData;
use crate::method::{FactorSource, Method, UpdateContext, UpdateSettings};
use crate::model::Model;
use crate::noise::{NoiseGenerator, NoiseKind, NoiseSource, REPRODUCIBLE_NOTICE};
use crate::objective::{L2Scaling, Objective};
use crate::train::{minimize, Observer, Silent, TrainConfig, TrainReport};
use crate::unlearn::refine;

/// Whether a request's second-order step reuses the kept Hessian factor or rebuilds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HessianPolicy {
    /// Update the kept factor, taken at θ_s, by rank-one changes: O(m·p²) per request. The
    /// certificate's bound pays for the stale θ_s with a ‖θ − θ_s‖ term.
    #[default]
    Reuse,
    /// Rebuild H̃ at the current θ: O(n·p² + p³) per request; the factor is fresh afterwards.
    Refresh,
}

/// What a non-certified model does when its residual drifts past [`DriftPolicy::threshold`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    js,
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "lowercase")
)]
pub enum DriftAction {
    /// Say so in the request's warnings. The default.
    #[default]
    Warn,
    /// Refine to the edited optimum with the kept factor (the `exact` method), then say so.
    Refine,
    /// Retrain warm from the current θ, then say so.
    Retrain,
}

impl DriftAction {
    /// "warn", "refine" or "retrain".
    pub fn key(self) -> &'static str {
        match self {
            DriftAction::Warn => "warn",
            DriftAction::Refine => "refine",
            DriftAction::Retrain => "retrain",
        }
    }
}

/// How far a sequence of approximate requests may carry the model from the edited optimum.
///
/// Drift is the relative residual ‖∇L(θ; D̃)‖ / ‖∇L(0; D)‖: the gradient left over, as a share
/// of the untrained model's. Each approximate request adds its error to the next, so it grows
/// request after request; certified mode bounds it with its budget instead.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(js, derive(serde::Deserialize), serde(default))]
pub struct DriftPolicy {
    /// Largest accepted drift. Default 1e-2 (a hundredth of the untrained model's gradient).
    pub threshold: f64,
    /// What to do past it. Default [`DriftAction::Warn`].
    pub action: DriftAction,
}

impl Default for DriftPolicy {
    fn default() -> Self {
        Self {
            threshold: 1e-2,
            action: DriftAction::Warn,
        }
    }
}

/// Settings of an [`Unlearner`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct UnlearnerConfig {
    /// How to train (λ, intercept, tolerance).
    pub train: TrainConfig,
    /// `Some` for certified unlearning: trains on L + bᵀθ, b ~ N(0, σ²I), and certifies each
    /// request against the budget σε/c.
    pub privacy: Option<Privacy>,
    /// Where the noise draws come from (the first b and the fresh b of every retrain).
    /// Default [`NoiseSource::Secret`]; a seed makes them reproducible and voids the guarantee.
    pub noise: NoiseSource,
    /// Outside certified mode: the drift threshold and what to do past it.
    pub drift: DriftPolicy,
}

/// Settings of one [`Unlearner::request`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RequestOptions {
    /// The update. Default [`Method::SecondOrder`].
    pub method: Method,
    /// Its parameters.
    pub settings: UpdateSettings,
    /// Reuse or rebuild the Hessian factor. Default [`HessianPolicy::Reuse`].
    pub hessian: HessianPolicy,
    /// Compute the exact gradient residual ‖∇L(θ; D̃)‖ (O(n·p); always done in certified mode).
    /// Default true.
    pub residual: bool,
}

impl Default for RequestOptions {
    fn default() -> Self {
        Self {
            method: Method::SecondOrder,
            settings: UpdateSettings::default(),
            hessian: HessianPolicy::Reuse,
            residual: true,
        }
    }
}

/// What one certified request guarantees, and why. (To JavaScript, bounds that bound nothing
/// — NaN or ∞ — are `null`.)
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(js, derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct Certificate {
    /// The update that was applied.
    pub method: Method,
    /// The request.
    pub edit: Edit,
    /// Rows the request changed or removed.
    pub affected: usize,
    /// This request's bound on the growth of the gradient residual (NaN when an assumption of
    /// the bounds fails: then it bounds nothing).
    #[cfg_attr(js, serde(serialize_with = "crate::wire::finite_or_null"))]
    pub bound: f64,
    /// ‖X̃‖₂, the spectral norm of the edited design matrix (exact, from X̃ᵀX̃).
    pub design_norm: f64,
    /// The data-independent bound for the same number of affected rows (for comparison; NaN
    /// when an assumption fails).
    #[cfg_attr(js, serde(serialize_with = "crate::wire::finite_or_null"))]
    pub worst_case_bound: f64,
    /// ‖∇L_b(θ; D̃)‖₂ of the returned model, including the noise term (Guo et al.'s issue #1).
    pub residual: f64,
    /// The same without the noise term, which overstates it (shown for contrast).
    pub residual_without_noise: f64,
    /// Accumulated bound before the request.
    pub beta_before: f64,
    /// Accumulated bound after it (after a retrain: the retrained model's residual).
    #[cfg_attr(js, serde(serialize_with = "crate::wire::finite_or_null"))]
    pub beta_after: f64,
    /// β_max = σε/c.
    pub budget: f64,
    /// The privacy parameters.
    #[cfg_attr(js, serde(flatten))]
    pub privacy: Privacy,
    /// Whether the returned model is (ε, δ)-certified: the bound holds and b is secret.
    pub certified: bool,
    /// Whether the assumptions hold and the accumulated bound is within the budget (the
    /// mathematics of the certificate, whatever the noise).
    pub bound_holds: bool,
    /// Whether b is secret or reproducible (drawn from a seed, or given); only secret noise
    /// makes the bound a privacy guarantee.
    pub noise: NoiseKind,
    /// Whether the budget ran out and the model was retrained from scratch with a fresh b.
    pub retrained: bool,
    /// Why the model is not certified, or why it was retrained.
    pub reason: Option<String>,
    /// How many noise vectors b have been drawn so far (1 after training).
    pub noise_draws: usize,
}

/// The outcome of one request.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(js, derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct RequestReport {
    /// The method applied (after a budget retrain, still the one requested).
    pub method: Method,
    /// Rows the request changed or removed.
    pub affected: usize,
    /// Rows left in the training data.
    pub n_rows: usize,
    /// Iterations or steps the method took.
    pub iterations: usize,
    /// For second-order and exact updates: whether the factor was updated or rebuilt.
    pub factor: Option<FactorSource>,
    /// ‖∇L(θ; D̃)‖₂ of the new model (with b in certified mode), if computed.
    pub residual: Option<f64>,
    /// In certified mode, the certificate.
    pub certificate: Option<Certificate>,
    /// Outside certified mode, with the residual: ‖∇L(θ; D̃)‖ / ‖∇L(0; D)‖ (see [`DriftPolicy`]).
    pub drift: Option<f64>,
    /// The automatic correction that ran because the drift passed the threshold, if any.
    pub corrected: Option<DriftAction>,
    /// What makes this result less trustworthy: an update that left the model farther from
    /// the edited optimum than no update, a drift past the threshold.
    pub warnings: Vec<String>,
}

/// A trained model and its (edited) training data, ready for the next request.
#[derive(Debug, Clone)]
pub struct Unlearner {
    config: UnlearnerConfig,
    objective: Objective,
    live: LiveData,
    model: Model,
    train_report: TrainReport,
    /// The kept Hessian factor; `None` after a Hessian-free request left data whose Hessian
    /// cannot be factorised.
    factor: Option<HessianFactor>,
    gram: Option<DMatrix<f64>>,
    beta: f64,
    noise: NoiseGenerator,
    noise_kind: NoiseKind,
    noise_draws: usize,
    /// ‖∇L(0; D)‖ at training, the unit of drift.
    gradient_scale: f64,
    /// Warnings about the training data (badly scaled features).
    warnings: Vec<String>,
}

impl Unlearner {
    /// Trains on `data` (with a noise vector b drawn from `config.noise` in certified mode);
    /// `observe` sees every Newton step ([`Silent`]: none).
    ///
    /// # Errors
    /// Invalid privacy parameters, every error of training, and whatever `observe` returns.
    pub fn fit(
        data: Dataset,
        config: UnlearnerConfig,
        observe: &mut dyn Observer<TrainReport>,
    ) -> Result<Self> {
        let threshold = config.drift.threshold;
        if !(threshold.is_finite() && threshold > 0.0) {
            return Err(Error::InvalidParameter {
                name: "drift threshold",
                value: threshold,
                expected: "a finite number > 0",
            });
        }
        if config.privacy.is_some() && data.n_classes() > 2 {
            return Err(Error::NotSupported {
                what: "certified unlearning of a multinomial model",
                why: "the bounds are proven for binary models (neither paper certifies softmax \
                      regression)",
            });
        }
        let mut noise = NoiseGenerator::new(config.noise);
        let b = match config.privacy {
            Some(privacy) => {
                privacy.validate()?;
                let p = config
                    .train
                    .objective()
                    .n_params(data.n_features(), data.n_classes());
                Some(noise.draw(p, privacy.sigma)?)
            }
            None => None,
        };
        let kind = noise.kind();
        Self::fit_with_noise(data, config, b, (noise, kind), observe)
    }

    /// As [`Unlearner::fit`] with a given noise vector b (p entries), e.g. to reproduce a
    /// reference computation. A given b is known outside the model, so certificates call it
    /// reproducible until a retrain draws a fresh one from `config.noise`.
    ///
    /// # Errors
    /// As [`Unlearner::fit`], plus [`Error::ShapeMismatch`] for a b of the wrong length.
    pub fn fit_with_given_noise(
        data: Dataset,
        config: UnlearnerConfig,
        b: DVector<f64>,
    ) -> Result<Self> {
        let p = config
            .train
            .objective()
            .n_params(data.n_features(), data.n_classes());
        if b.len() != p {
            return Err(Error::ShapeMismatch {
                what: "noise b",
                expected: format!("{p} values (one per parameter)"),
                got: format!("{}", b.len()),
            });
        }
        if let Some(privacy) = config.privacy {
            privacy.validate()?;
            if data.n_classes() > 2 {
                return Err(Error::NotSupported {
                    what: "certified unlearning of a multinomial model",
                    why: "the bounds are proven for binary models",
                });
            }
        }
        let noise = (NoiseGenerator::new(config.noise), NoiseKind::Reproducible);
        Self::fit_with_noise(data, config, Some(b), noise, &mut Silent)
    }

    fn fit_with_noise(
        data: Dataset,
        config: UnlearnerConfig,
        b: Option<DVector<f64>>,
        (noise, noise_kind): (NoiseGenerator, NoiseKind),
        observe: &mut dyn Observer<TrainReport>,
    ) -> Result<Self> {
        let objective = Objective {
            noise: b,
            ..config.train.objective()
        };
        let p = objective.n_params(data.n_features(), data.n_classes());
        let start = DVector::zeros(p);
        let gradient_scale = objective.gradient(&data, &start).norm();
        let (model, train_report) = minimize(&data, &objective, &config.train, start, observe)?;
        let factor = HessianFactor::new(&objective, &data, model.theta())?;
        let gram = config.privacy.map(|_| gram(&objective, &data));
        let warnings = crate::data::scale_warnings(data.x());
        Ok(Self {
            beta: train_report.grad_norm,
            noise_draws: usize::from(objective.noise.is_some()),
            config,
            objective,
            live: LiveData::new(data),
            model,
            train_report,
            factor: Some(factor),
            gram,
            noise,
            noise_kind,
            gradient_scale,
            warnings,
        })
    }

    /// The current model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// How the initial training (or the last retrain) ended.
    pub fn train_report(&self) -> &TrainReport {
        &self.train_report
    }

    /// The training data as edited so far (removed rows inactive).
    pub fn data(&self) -> &LiveData {
        &self.live
    }

    /// The objective's settings, without the noise b (which the guarantee rests on).
    pub fn objective(&self) -> Objective {
        Objective {
            noise: None,
            ..self.objective.clone()
        }
    }

    /// The current noise vector b, for tests that check it is fresh and never exported.
    /// Publishing it voids every certificate.
    #[doc(hidden)]
    pub fn expose_secret_noise(&self) -> Option<&DVector<f64>> {
        self.objective.noise.as_ref()
    }

    /// The objective with the noise b, for computations inside the crate (never exported).
    pub(crate) fn objective_ref(&self) -> &Objective {
        &self.objective
    }

    /// What `edit` changes, after the checks every request passes (see
    /// [`LiveData::checked_delta`]).
    pub(crate) fn checked_delta(&self, edit: &Edit) -> Result<EditDelta> {
        self.live.checked_delta(&self.objective, edit)
    }

    /// The kept Hessian factor (taken at θ_s, moved to the current data).
    pub(crate) fn factor(&self) -> Option<&HessianFactor> {
        self.factor.as_ref()
    }

    /// What makes the trained model less trustworthy (badly scaled features).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// In certified mode, whether the current b is secret or reproducible; `None` otherwise.
    pub fn noise(&self) -> Option<NoiseKind> {
        self.config.privacy.map(|_| self.noise_kind)
    }

    /// The accumulated bound β on the gradient residual.
    pub fn beta(&self) -> f64 {
        self.beta
    }

    /// The settings.
    pub fn config(&self) -> &UnlearnerConfig {
        &self.config
    }

    /// Which assumptions of certified unlearning fail on the current data (empty if all hold),
    /// including a residual that already exceeds the budget.
    pub fn failed_assumptions(&self) -> Vec<String> {
        let rows = self.live.rows_after(&Edit::default());
        let mut failed = failed_assumptions(&self.objective, &self.live.materialise(), &rows);
        if let Some(budget) = self.config.privacy.map(|p| p.budget()) {
            if self.beta > budget && self.beta.is_finite() {
                failed.push(format!(
                    "the residual β = {:.4e} already exceeds the budget {budget:.4e}: lower tol \
                     or raise σ",
                    self.beta
                ));
            }
        }
        failed
    }

    /// Applies `edit` with `options.method` and keeps the result. On error nothing changes.
    ///
    /// # Errors
    /// Invalid edit or settings, a method without a residual bound in certified mode, and
    /// every error of the method itself.
    pub fn request(&mut self, edit: &Edit, options: &RequestOptions) -> Result<RequestReport> {
        options.settings.validate()?;
        if let Some(privacy) = self.config.privacy {
            if !certifiable(options.method) {
                return Err(Error::NotCertifiable {
                    method: options.method.key(),
                });
            }
            privacy.validate()?;
        }
        let delta = self.checked_delta(edit)?;
        let theta = self.model.theta();
        let context = UpdateContext::new(
            &self.objective,
            &self.config.train,
            &self.live,
            edit,
            &delta,
            theta,
            self.factor.as_ref(),
        );
        let refresh = options.hessian == HessianPolicy::Refresh;
        let (new_theta, iterations, step_factor) = match options.method {
            Method::SecondOrder => {
                let (updated, factor) = context.second_order(refresh)?;
                (updated, 0, Some(factor))
            }
            // Done below with fresh noise.
            Method::Retrain if self.config.privacy.is_some() => (theta.clone(), 0, None),
            method => {
                let (updated, iterations) = context.run(method, &options.settings)?;
                (updated, iterations, None)
            }
        };
        if !matches!(options.method, Method::Retrain | Method::RetrainWarm) {
            context.confirm_finite_optimum(&new_theta)?;
        }
        let mut next = Next {
            objective: self.objective.clone(),
            theta: new_theta,
            factor: step_factor,
            gram: self
                .gram
                .as_ref()
                .map(|g| updated_gram(&self.objective, g, &delta)),
            beta: self.beta,
            noise: self.noise.clone(),
            noise_kind: self.noise_kind,
            noise_draws: self.noise_draws,
            train_report: self.train_report,
        };
        let certificate = match self.config.privacy {
            Some(privacy) => {
                if options.method == Method::Retrain {
                    // Retraining in certified mode draws fresh noise (Guo et al., Algorithm 2).
                    next.retrain(context.edited(), &self.config.train, privacy)?;
                }
                Some(self.certify(&context, options, privacy, &mut next)?)
            }
            None => None,
        };
        let residual = match &certificate {
            Some(c) => Some(c.residual),
            None => options.residual.then(|| next.residual(context.edited())),
        };
        if residual.is_some_and(|r| !r.is_finite()) {
            return Err(Error::NumericalFailure {
                context: "the gradient residual of the updated model",
            });
        }
        let mut assessed = match (certificate.is_some(), residual) {
            (false, Some(r)) => self.assess(&context, options.method, &mut next, r)?,
            _ => Assessment::none(residual),
        };
        if let (Some(_), Some(r)) = (&certificate, residual) {
            assessed
                .warnings
                .extend(self.worse_than_none(&context, options.method, r));
        }
        let factor_source = next.factor.as_ref().map(|(_, s)| *s);
        let factor = match next.factor.take() {
            Some((factor, _)) => Some(factor),
            None => self.kept_factor(&context, &next.theta, options, &mut assessed.warnings),
        };
        let what = "the Hessian on the edited data";
        let condition = factor.as_ref().and_then(|f| f.condition_warning(what));
        assessed.warnings.extend(condition);
        // Values the request itself brings in (a cell set to 1e9) are judged like the data's.
        assessed
            .warnings
            .extend(crate::data::scale_warnings(delta.after.x()));

        // Nothing above changed `self`; from here on nothing can fail.
        drop(context);
        self.live.commit(edit);
        self.model = Model::from_theta(
            next.theta,
            self.model.n_features(),
            self.model.n_classes(),
            self.objective.fit_intercept,
        )?;
        self.objective = next.objective;
        self.factor = factor;
        self.gram = next.gram;
        self.beta = next.beta;
        self.noise = next.noise;
        self.noise_kind = next.noise_kind;
        self.noise_draws = next.noise_draws;
        self.train_report = next.train_report;
        Ok(RequestReport {
            method: options.method,
            affected: delta.affected.len(),
            n_rows: delta.n_after,
            iterations,
            factor: factor_source,
            residual: assessed.residual,
            certificate,
            drift: assessed.drift,
            corrected: assessed.corrected,
            warnings: assessed.warnings,
        })
    }

    /// A warning when `residual`, the residual after `method`, is above that of keeping θ (by
    /// more than rounding: the training tolerance).
    fn worse_than_none(
        &self,
        context: &UpdateContext<'_>,
        method: Method,
        residual: f64,
    ) -> Option<String> {
        if method == Method::Lazy {
            return None;
        }
        let unchanged = self
            .objective
            .gradient(context.edited(), context.theta)
            .norm();
        let worse = residual > unchanged * (1.0 + 1e-9) + self.config.train.tol;
        worse.then(|| {
            format!(
                "this update left the model farther from the edited optimum than no update: \
                 ‖∇L(θ; D̃)‖ = {residual:.3e} against {unchanged:.3e} for keeping θ; use exact or \
                 retrain"
            )
        })
    }

    /// The warnings of a non-certified result with residual `residual`, and the drift
    /// correction if the policy asks for one (which replaces `next`'s θ and factor).
    fn assess(
        &self,
        context: &UpdateContext<'_>,
        method: Method,
        next: &mut Next,
        residual: f64,
    ) -> Result<Assessment> {
        let edited = context.edited();
        let warnings = self
            .worse_than_none(context, method, residual)
            .into_iter()
            .collect();
        let policy = self.config.drift;
        let drift = residual / self.gradient_scale.max(f64::MIN_POSITIVE);
        let mut assessed = Assessment {
            residual: Some(residual),
            drift: Some(drift),
            corrected: None,
            warnings,
        };
        if drift <= policy.threshold || matches!(method, Method::Retrain | Method::RetrainWarm) {
            return Ok(assessed);
        }
        let what = format!(
            "the model has drifted from the edited optimum: its residual is {drift:.2e} of the \
             untrained model's, past the threshold {:.0e}",
            policy.threshold
        );
        let config = &self.config.train;
        let corrected = match policy.action {
            DriftAction::Warn => {
                assessed
                    .warnings
                    .push(format!("{what}; refine (exact) or retrain"));
                return Ok(assessed);
            }
            DriftAction::Refine => {
                let factor = match &next.factor {
                    Some((f, _)) => f.clone(),
                    None => context.edited_factor(false)?.0,
                };
                refine(
                    &self.objective,
                    edited,
                    &factor,
                    &next.theta,
                    config.tol,
                    100,
                )?
                .theta
            }
            DriftAction::Retrain => {
                let (model, _) = minimize(
                    edited,
                    &self.objective,
                    config,
                    next.theta.clone(),
                    &mut Silent,
                )?;
                model.theta().clone()
            }
        };
        next.factor = Some((
            HessianFactor::new(&self.objective, edited, &corrected)?,
            FactorSource::Rebuilt,
        ));
        next.theta = corrected;
        let residual = next.residual(edited);
        assessed.residual = Some(residual);
        assessed.drift = Some(residual / self.gradient_scale.max(f64::MIN_POSITIVE));
        assessed.corrected = Some(policy.action);
        assessed.warnings.push(format!(
            "{what}, so it was corrected ({})",
            policy.action.key()
        ));
        Ok(assessed)
    }

    /// The factor to keep after a method other than the second-order update: the kept one
    /// moved to D̃ (still at θ_s), or rebuilt at the new θ when that is cheaper or asked for.
    ///
    /// A method that needs no Hessian is not refused because D̃'s cannot be factorised: the
    /// factor is dropped, the warning says why, and a later request that needs one says so.
    fn kept_factor(
        &self,
        context: &UpdateContext<'_>,
        new_theta: &DVector<f64>,
        options: &RequestOptions,
        warnings: &mut Vec<String>,
    ) -> Option<HessianFactor> {
        let retrained = matches!(options.method, Method::Retrain | Method::RetrainWarm);
        let kept = if !retrained && options.hessian == HessianPolicy::Reuse {
            context.edited_factor(false).map(|(factor, _)| factor)
        } else {
            HessianFactor::new(&self.objective, context.edited(), new_theta)
        };
        kept.map_err(|e| {
            warnings.push(format!(
                "no Hessian factor is kept for the edited data ({e}); the second-order methods \
                 will refuse until a request makes it factorisable"
            ))
        })
        .ok()
    }

    /// Bounds the request, accumulates β, and retrains with fresh noise when the budget would
    /// be exceeded. Updates `next` accordingly.
    fn certify(
        &self,
        context: &UpdateContext<'_>,
        options: &RequestOptions,
        privacy: Privacy,
        next: &mut Next,
    ) -> Result<Certificate> {
        let edited = context.edited();
        let delta = context.delta;
        let gram = next.gram.as_ref().ok_or(Error::NumericalFailure {
            context: "certified mode without a Gram matrix",
        })?;
        let design_norm = spectral_norm_from_gram(gram);
        let mu = self.objective.l2_for(delta.n_after);
        let g_norm = context.gradient_difference().norm();
        let theta = context.theta;
        let residual = next.residual(edited);
        let (bound, accumulates) = match options.method {
            Method::Lazy => (g_norm, true),
            Method::FirstOrder => (
                first_order_bound(g_norm, options.settings.tau, mu, design_norm),
                true,
            ),
            Method::SecondOrder => {
                let step = theta - &next.theta;
                let design_step = step.dot(&(gram * &step)).max(0.0).sqrt();
                let theta_s = next.factor.as_ref().map_or(theta, |(f, _)| f.theta());
                let staleness = (theta - theta_s).norm();
                (
                    second_order_bound(design_norm, design_step, step.norm(), staleness),
                    true,
                )
            }
            // Exact and retrained models: their residual is measured on all of D̃.
            _ => (residual, false),
        };
        let beta_before = self.beta;
        let budget = privacy.budget();
        let mut certificate = Certificate {
            method: options.method,
            edit: context.edit.clone(),
            affected: delta.affected.len(),
            bound,
            design_norm,
            worst_case_bound: worst_case(&self.objective, context.edit, delta, mu),
            residual,
            residual_without_noise: Objective {
                noise: None,
                ..self.objective.clone()
            }
            .gradient(edited, &next.theta)
            .norm(),
            beta_before,
            beta_after: if accumulates {
                beta_before + bound
            } else {
                residual
            },
            budget,
            privacy,
            certified: true,
            bound_holds: true,
            noise: next.noise_kind,
            retrained: false,
            reason: None,
            noise_draws: next.noise_draws,
        };
        let failed =
            failed_assumptions(&self.objective, edited, &self.live.rows_after(context.edit));
        if !failed.is_empty() {
            // The bounds are derived from the assumptions: without them they bound nothing.
            certificate.certified = false;
            certificate.bound = f64::NAN;
            certificate.worst_case_bound = f64::NAN;
            certificate.beta_after = f64::INFINITY;
            certificate.reason = Some(format!("not certified: {}", failed.join("; ")));
        } else if certificate.beta_after > budget {
            next.retrain(edited, &self.config.train, privacy)?;
            certificate.reason = Some(format!(
                "the accumulated bound would reach {:.4e} > budget {budget:.4e}: retrained from \
                 scratch with fresh noise",
                certificate.beta_after
            ));
            certificate.retrained = true;
            certificate.residual = next.residual(edited);
            certificate.residual_without_noise = Objective {
                noise: None,
                ..next.objective.clone()
            }
            .gradient(edited, &next.theta)
            .norm();
            certificate.beta_after = certificate.residual;
            certificate.noise_draws = next.noise_draws;
            if certificate.residual > budget {
                certificate.certified = false;
                certificate.reason = Some(format!(
                    "not certified: retrained with fresh noise, but the retrained model's residual \
                     {:.4e} still exceeds the budget {budget:.4e}; lower tol or raise σ",
                    certificate.residual
                ));
            }
        }
        next.beta = certificate.beta_after;
        certificate.bound_holds = certificate.certified;
        certificate.noise = next.noise_kind;
        if certificate.noise == NoiseKind::Reproducible {
            certificate.certified = false;
            let reason = certificate.reason.take();
            certificate.reason = Some(match reason {
                Some(r) => format!("{r}; {REPRODUCIBLE_NOTICE}"),
                None => REPRODUCIBLE_NOTICE.to_owned(),
            });
        }
        Ok(certificate)
    }
}

/// The residual, drift and warnings of one result.
struct Assessment {
    residual: Option<f64>,
    drift: Option<f64>,
    corrected: Option<DriftAction>,
    warnings: Vec<String>,
}

impl Assessment {
    fn none(residual: Option<f64>) -> Self {
        Self {
            residual,
            drift: None,
            corrected: None,
            warnings: Vec::new(),
        }
    }
}

/// The state a request builds before committing it.
struct Next {
    objective: Objective,
    theta: DVector<f64>,
    factor: Option<(HessianFactor, FactorSource)>,
    gram: Option<DMatrix<f64>>,
    beta: f64,
    noise: NoiseGenerator,
    noise_kind: NoiseKind,
    noise_draws: usize,
    train_report: TrainReport,
}

impl Next {
    fn residual(&self, edited: &Dataset) -> f64 {
        self.objective.gradient(edited, &self.theta).norm()
    }

    /// Retrains from scratch on D̃ with a fresh noise vector (Guo et al., Algorithm 2).
    fn retrain(&mut self, edited: &Dataset, config: &TrainConfig, privacy: Privacy) -> Result<()> {
        let p = self.theta.len();
        self.objective.noise = Some(self.noise.draw(p, privacy.sigma)?);
        self.noise_kind = self.noise.kind();
        self.noise_draws += 1;
        let zero = DVector::zeros(p);
        let (model, report) = minimize(edited, &self.objective, config, zero, &mut Silent)?;
        self.theta = model.theta().clone();
        self.train_report = report;
        self.factor = Some((
            HessianFactor::new(&self.objective, edited, &self.theta)?,
            FactorSource::Rebuilt,
        ));
        Ok(())
    }
}

/// Methods with a residual bound (or an exactly measured residual).
fn certifiable(method: Method) -> bool {
    matches!(
        method,
        Method::Lazy
            | Method::FirstOrder
            | Method::SecondOrder
            | Method::Exact
            | Method::RetrainWarm
            | Method::Retrain
    )
}

/// X̂ᵀX̂ of D̃ from that of D: + x̃x̃ᵀ for Z̃, − xxᵀ for Z (O(m·p²)).
fn updated_gram(objective: &Objective, gram: &DMatrix<f64>, delta: &EditDelta) -> DMatrix<f64> {
    let added = design_matrix(objective, &delta.after);
    let removed = design_matrix(objective, &delta.before);
    gram + added.tr_mul(&added) - removed.tr_mul(&removed)
}

/// [`worst_case_bound`] with the per-row gradient change k for this kind of request.
fn worst_case(objective: &Objective, edit: &Edit, delta: &EditDelta, mu: f64) -> f64 {
    let features_change = edit.replacements().next().is_some() || !edit.cells.is_empty();
    let per_sample =
        delta.n_after != delta.n_before && objective.l2_scaling == L2Scaling::PerSample;
    let k = if features_change || per_sample {
        2.0
    } else {
        1.0
    };
    worst_case_bound(delta.n_after, delta.affected.len(), k, mu)
}
