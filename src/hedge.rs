//! The hedging path: the exact optimum as the affected points are swapped out continuously,
//!
//!   θ(ε) = argmin_θ L(θ; D) + ε·Σ_{z̃∈Z̃} ℓ(z̃, θ) − ε·Σ_{z∈Z} ℓ(z, θ),  ε ∈ [0, 1],
//!
//! the construction behind the paper's updates (Warnecke et al., NDSS 2023, §4; Koh & Liang's
//! influence functions): θ(0) = θ*, θ(1) is the model retrained on D̃, and the first- and
//! second-order updates are straight lines from θ* whose end points approximate θ(1). Plotting
//! both shows where the straight-line approximation bends away from the path.

use nalgebra::DVector;

use crate::data::Dataset;
use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::live::LiveData;
use crate::objective::Objective;
use crate::train::{minimize, Observer, TrainConfig, TrainReport};

/// One point of the path and of the two straight lines.
#[derive(Debug, Clone, PartialEq)]
pub struct HedgePoint {
    /// ε ∈ [0, 1].
    pub epsilon: f64,
    /// θ(ε), the exact optimum of the hedged objective.
    pub exact: DVector<f64>,
    /// θ* + ε·(θ_first − θ*) = θ* − ε·τG.
    pub first_order: DVector<f64>,
    /// θ* + ε·(θ_second − θ*) = θ* − ε·H̃⁻¹G.
    pub second_order: DVector<f64>,
    /// ‖θ_first(ε) − θ(ε)‖₂ and ‖θ_second(ε) − θ(ε)‖₂.
    pub distance: (f64, f64),
    /// ‖∇L_ε(θ)‖₂ of the hedged objective at the two lines' points.
    pub residual: (f64, f64),
    /// Newton iterations to θ(ε), warm-started at the previous point.
    pub iterations: usize,
}

/// The hedged objective's data: D, with the affected rows weighted 1 − ε, and Z̃ weighted ε.
struct Hedge {
    rows: Dataset,
    n_original: usize,
    affected: Vec<usize>,
}

impl Hedge {
    fn new(data: &Dataset, edit: &Edit) -> Result<Self> {
        let delta = LiveData::new(data.clone()).delta(edit)?;
        let (x, y) = (&delta.after.x(), &delta.after.y());
        let n = data.n_samples();
        let mut all_x = data.x().clone().resize_vertically(n + x.nrows(), 0.0);
        all_x.rows_mut(n, x.nrows()).copy_from(x);
        let mut all_y = data.y().clone().resize_vertically(n + y.len(), 0.0);
        all_y.rows_mut(n, y.len()).copy_from(y);
        Ok(Self {
            rows: data.like(all_x, all_y),
            n_original: n,
            affected: delta.affected,
        })
    }

    /// The rows weighted for `epsilon` (re-weighted in place: no copy of the rows per ε).
    fn at(&mut self, epsilon: f64) -> Result<&Dataset> {
        let total = self.rows.n_samples();
        let mut weights = DVector::from_element(total, 1.0);
        for &i in &self.affected {
            weights[i] = 1.0 - epsilon;
        }
        weights
            .rows_mut(self.n_original, total - self.n_original)
            .fill(epsilon);
        self.rows.set_weights(weights)?;
        Ok(&self.rows)
    }
}

/// Where a path computation is: the index of the ε being solved, their number, and Newton's
/// report so far at that ε.
#[derive(Debug, Clone, Copy)]
pub struct PathProgress<'a> {
    /// Index into `epsilons` of the point being solved.
    pub step: usize,
    /// The number of points.
    pub steps: usize,
    /// The ε being solved.
    pub epsilon: f64,
    /// Newton's iteration and ‖∇L_ε‖ at that ε.
    pub newton: &'a TrainReport,
}

/// θ(ε) for every ε in `epsilons` (ascending, in [0, 1]), with the straight lines from θ* to
/// `first` and `second` (the first- and second-order update results) beside it; `observe`
/// sees every Newton step of every ε (for progress bars).
///
/// # Errors
/// [`Error::InvalidParameter`] for ε outside [0, 1] or not ascending; an invalid edit; training
/// errors on the way (for example a class that disappears as ε → 1); whatever `observe` returns.
pub fn hedging_path(
    objective: &Objective,
    config: &TrainConfig,
    data: &Dataset,
    edit: &Edit,
    lines: (&DVector<f64>, &DVector<f64>, &DVector<f64>),
    epsilons: &[f64],
    observe: &mut dyn for<'a> Observer<PathProgress<'a>>,
) -> Result<Vec<HedgePoint>> {
    let (theta_star, first, second) = lines;
    if epsilons.len() > crate::limits::MAX_PATH_POINTS {
        return Err(Error::InvalidParameter {
            name: "number of ε",
            value: epsilons.len() as f64,
            expected: "at most 1001 points (each is a Newton solve)",
        });
    }
    if let Some(&bad) = epsilons.iter().find(|e| !(0.0..=1.0).contains(*e)) {
        return Err(Error::InvalidParameter {
            name: "ε",
            value: bad,
            expected: "numbers from 0 to 1",
        });
    }
    if let Some(pair) = epsilons.windows(2).find(|w| w[1] < w[0]) {
        return Err(Error::InvalidParameter {
            name: "ε",
            value: pair[1],
            expected: "ascending values",
        });
    }
    let mut hedge = Hedge::new(data, edit)?;
    let mut theta = theta_star.clone();
    let mut path = Vec::with_capacity(epsilons.len());
    for (step, &epsilon) in epsilons.iter().enumerate() {
        let weighted = hedge.at(epsilon)?;
        let mut newton = |report: &TrainReport| {
            observe.observe(&PathProgress {
                step,
                steps: epsilons.len(),
                epsilon,
                newton: report,
            })
        };
        let (model, report) = minimize(weighted, objective, config, theta, &mut newton)?;
        theta = model.theta().clone();
        let line = |end: &DVector<f64>| theta_star + (end - theta_star) * epsilon;
        let (first_point, second_point) = (line(first), line(second));
        let residual = |t: &DVector<f64>| objective.gradient(weighted, t).norm();
        path.push(HedgePoint {
            epsilon,
            distance: (
                (&first_point - &theta).norm(),
                (&second_point - &theta).norm(),
            ),
            residual: (residual(&first_point), residual(&second_point)),
            exact: theta.clone(),
            first_order: first_point,
            second_order: second_point,
            iterations: report.iterations,
        });
    }
    Ok(path)
}
