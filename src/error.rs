//! The one error type of the crate. Every variant says what went wrong, where, and how to fix it,
//! because these messages reach people through the browser demo and the JS API.

use std::fmt;

/// Everything a caller can get wrong, and every numerical failure the core detects.
// Field names say what they hold; `Display` turns them into the user-facing sentence.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A buffer or matrix has the wrong size.
    ShapeMismatch {
        what: &'static str,
        expected: String,
        got: String,
    },
    /// A value is NaN or infinite.
    NonFinite {
        what: &'static str,
        row: usize,
        col: usize,
    },
    /// A value too large for the model's arithmetic (beyond ±[`crate::limits::LARGE_VALUE`]).
    TooLargeValue {
        what: &'static str,
        row: usize,
        col: usize,
        value: f64,
    },
    /// A model parameter θᵢ is NaN or infinite.
    NonFiniteParameter { index: usize },
    /// A label is not 0 or 1.
    InvalidLabel {
        row: usize,
        value: f64,
        n_classes: usize,
    },
    /// A class has no training row, so a free intercept has no finite optimum.
    MissingClass { class: usize, n_classes: usize },
    /// A request would leave a class without training rows (see [`Error::MissingClass`]).
    RequestRemovesClass { class: usize, n_classes: usize },
    /// There are no rows (or no features) to work with.
    Empty { what: &'static str },
    /// An index (row or feature) is outside its range.
    IndexOutOfRange {
        what: &'static str,
        index: usize,
        len: usize,
    },
    /// The same row appears twice where that makes no sense.
    Duplicate { what: &'static str, index: usize },
    /// A name (of a method, an option value…) that is not one of the known ones.
    UnknownName {
        what: &'static str,
        name: String,
        expected: String,
    },
    /// Certified mode and a method without a residual bound.
    NotCertifiable { method: &'static str },
    /// A combination the crate does not offer.
    NotSupported {
        what: &'static str,
        why: &'static str,
    },
    /// A request names a training row that an earlier request removed.
    AlreadyRemoved { row: usize },
    /// A setting is outside its domain.
    InvalidParameter {
        name: &'static str,
        value: f64,
        expected: &'static str,
    },
    /// The Hessian could not be factorised by Cholesky.
    NotPositiveDefinite { context: &'static str },
    /// The Hessian is numerically singular: its solves would be dominated by rounding.
    IllConditioned {
        context: &'static str,
        /// A lower bound on the condition number.
        condition: f64,
        /// The parameters along the flattest direction, in words ("feature 3, the intercept").
        flat: String,
        /// Whether λ = 0 (then separable data are a likely cause).
        l2_zero: bool,
    },
    /// λ = 0 and the classes are (quasi-)separable: the loss falls without end as the weights
    /// grow along a direction, so there is no finite optimum.
    NoFiniteOptimum {
        separated_rows: usize,
        n_rows: usize,
        /// λ: 0, or one too small to matter.
        l2: f64,
    },
    /// Newton's method hit its iteration limit.
    DidNotConverge { iterations: usize, grad_norm: f64 },
    /// Newton's method found no step that lowers the objective, short of the tolerance.
    Stalled { iterations: usize, grad_norm: f64 },
    /// A computation produced NaN or infinity.
    NumericalFailure { context: &'static str },
    /// A request (or options object) from outside whose shape is wrong; the message names the
    /// key and index.
    Malformed(String),
    /// An exported model file that cannot be read (see [`crate::model_file`]).
    ModelFile { why: String },
    /// A size beyond what the memory allows (see [`crate::limits`]).
    TooLarge {
        what: &'static str,
        size: String,
        limit: String,
        fix: &'static str,
    },
    /// An observer (a progress callback) stopped the computation.
    Stopped { by: String },
    /// The platform's secure random generator failed, so no secret noise could be drawn.
    Entropy { why: String },
}

/// `Result` with the crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::ShapeMismatch {
                what,
                expected,
                got,
            } => write!(f, "{what}: expected {expected}, got {got}"),
            Error::NonFinite { what, row, col } => write!(
                f,
                "{what}: value at row {row}, column {col} is NaN or infinite; \
                 remove or impute it before training"
            ),
            Error::TooLargeValue {
                what,
                row,
                col,
                value,
            } => write!(
                f,
                "{what}: value {value:e} at row {row}, column {col} is beyond ±1e140, where the \
                 model's squares and sums overflow; rescale (standardise) the column"
            ),
            Error::NonFiniteParameter { index } => write!(
                f,
                "parameters θ: θ[{index}] is NaN or infinite; every parameter of a model must be \
                 a finite number"
            ),
            Error::InvalidLabel {
                row,
                value,
                n_classes,
            } => match n_classes {
                2 => write!(
                    f,
                    "labels: row {row} has label {value}, but labels must be 0 or 1"
                ),
                k => write!(
                    f,
                    "labels: row {row} has label {value}, but labels must be whole numbers \
                     from 0 to {}",
                    k - 1
                ),
            },
            Error::MissingClass { class, n_classes } => match n_classes {
                2 => write!(
                    f,
                    "labels: every training row has label {}; keep rows of both classes (a free \
                     intercept has no finite optimum otherwise)",
                    1 - class
                ),
                _ => write!(
                    f,
                    "labels: no training row has class {class}; keep rows of every class (a free \
                     intercept has no finite optimum otherwise)"
                ),
            },
            Error::RequestRemovesClass { class, n_classes } => write!(
                f,
                "the request leaves no training row {}: with a free intercept (or λ = 0) the \
                 edited data have no finite optimum, so no update can approach it; keep at \
                 least one row of every class, or penalise the intercept with λ > 0",
                if *n_classes == 2 {
                    format!("with label {class}")
                } else {
                    format!("of class {class}")
                }
            ),
            Error::Empty { what } => write!(f, "{what} is empty"),
            Error::IndexOutOfRange { what, index, len } => write!(
                f,
                "{what}: index {index} is out of range (valid: 0 to {})",
                len.saturating_sub(1)
            ),
            Error::UnknownName {
                what,
                name,
                expected,
            } => write!(f, "{what}: unknown name `{name}`; expected one of {expected}"),
            Error::NotCertifiable { method } => write!(
                f,
                "method `{method}` has no bound on the gradient residual, so it cannot be used in \
                 certified mode; choose lazy, first_order, second_order, exact, retrain_warm or retrain"
            ),
            Error::NotSupported { what, why } => write!(f, "{what} is not supported: {why}"),
            Error::AlreadyRemoved { row } => write!(
                f,
                "row {row} was removed by an earlier request; it can no longer be relabelled or removed"
            ),
            Error::Duplicate { what, index } => {
                write!(f, "{what}: index {index} appears more than once")
            }
            Error::InvalidParameter {
                name,
                value,
                expected,
            } => write!(f, "{name} = {value} is invalid: expected {expected}"),
            Error::NotPositiveDefinite { context } => write!(
                f,
                "{context}: the Hessian is not positive definite (Cholesky failed); \
                 increase λ so the objective is strongly convex"
            ),
            Error::IllConditioned {
                context,
                condition,
                flat,
                l2_zero,
            } => {
                let how = if condition.is_finite() {
                    format!("condition number ≳ {condition:.1e}")
                } else {
                    "not even positive definite in float64".to_owned()
                };
                write!(
                    f,
                    "{context}: the Hessian is numerically singular ({how}), so its solutions \
                     would be mostly rounding error; it is flattest along {flat}: "
                )?;
                if *l2_zero {
                    write!(
                        f,
                        "with λ = 0 this means constant or collinear columns, or classes that a \
                         hyperplane separates (no finite optimum); use λ > 0, or remove or merge \
                         those columns"
                    )
                } else {
                    write!(
                        f,
                        "constant or collinear columns, columns at very different scales, or a \
                         model so sure of every row that its curvature vanishes (λ too small for \
                         the data); remove or merge those columns, standardise them, or increase λ"
                    )
                }
            }
            Error::NoFiniteOptimum {
                separated_rows,
                n_rows,
                l2,
            } => {
                let how = if separated_rows == n_rows {
                    format!("all {n_rows} training rows lie strictly on their class's side of a hyperplane")
                } else {
                    format!(
                        "{separated_rows} of {n_rows} training rows lie strictly on their class's \
                         side of a hyperplane and the other {} on it",
                        n_rows - separated_rows
                    )
                };
                if *l2 == 0.0 {
                    write!(
                        f,
                        "no finite optimum: with λ = 0 the classes are separable ({how}), so the \
                         loss keeps falling as the weights grow and any 'converged' weights are \
                         arbitrary; use λ > 0"
                    )
                } else {
                    write!(
                        f,
                        "no finite optimum in practice: λ = {l2:e} is too small to matter (its \
                         pull λ‖w‖ is below the tolerance) and the classes are separable ({how}), \
                         so the weights grow until the tolerance stops them and are arbitrary; \
                         use a larger λ"
                    )
                }
            }
            Error::DidNotConverge {
                iterations,
                grad_norm,
            } => write!(
                f,
                "training did not converge in {iterations} Newton iterations \
                 (‖∇L‖₂ = {grad_norm:.3e}); increase λ or max_iter, or loosen tol; features at \
                 large scales (beyond ±1e6) need standardising first"
            ),
            Error::Stalled {
                iterations,
                grad_norm,
            } => write!(
                f,
                "training stalled after {iterations} Newton iterations (‖∇L‖₂ = {grad_norm:.3e}): \
                 no step lowers the objective further, usually because it is nearly flat in some \
                 direction, or because the features are at large scales; increase λ, loosen tol \
                 or standardise the features"
            ),
            Error::NumericalFailure { context } => write!(
                f,
                "{context}: the computation produced NaN or infinity; \
                 check the data scale or increase λ"
            ),
            Error::ModelFile { why } => write!(f, "model: {why}"),
            Error::Malformed(message) => f.write_str(message),
            Error::TooLarge {
                what,
                size,
                limit,
                fix,
            } => write!(
                f,
                "{what}: {size}, beyond the limit of {limit} that this library allows (WebAssembly \
                 has at most 4 GiB of memory); {fix}"
            ),
            Error::Stopped { by } => write!(f, "stopped by {by}; nothing was changed"),
            Error::Entropy { why } => write!(
                f,
                "certified noise: the platform's secure random generator failed ({why}); \
                 certified unlearning needs it (crypto.getRandomValues in a browser), so run it \
                 where that is available, or pass a seed for reproducible noise that is not a \
                 privacy guarantee"
            ),
        }
    }
}

impl std::error::Error for Error {}
