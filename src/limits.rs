//! How large a problem may be. Every size a caller can give is checked against these before
//! anything is allocated, so a request too large for the memory (WebAssembly has 4 GiB at most)
//! is an error that names the limit, never an out-of-memory abort or minutes of work.

use crate::error::{Error, Result};

/// Values in one array (a table, a split, a sample of rows): 50 million, 400 MB of f64.
pub const MAX_VALUES: usize = 50_000_000;

/// Bytes one training problem may need at its peak: 1.5 GiB.
pub const MAX_PROBLEM_BYTES: f64 = 1.5 * 1024.0 * 1024.0 * 1024.0;

/// The largest |value| a feature, an edit or a rate may hold: beyond it the squares and sums
/// of the model's arithmetic overflow (10²⁸⁰ summed over 50 million rows stays finite).
pub const LARGE_VALUE: f64 = 1e140;

/// Parts of a stepwise update: each is a pass over the data (and, second order, a Hessian).
pub const MAX_STEPS: usize = 1_000;

/// Newton or refinement iterations one call may be allowed.
pub const MAX_ITERATIONS: usize = 10_000;

/// Points of one hedging path (each is a Newton solve).
pub const MAX_PATH_POINTS: usize = 1_001;

/// Seconds a comparison may spend repeating each method to time it.
pub const MAX_TIMING_SECONDS: f64 = 10.0;

/// Multiply-adds one Newton step may take (n·p² for the Hessian): about 5·10⁹, a few seconds
/// in a browser; the full Adult file (3·10⁸) and 100,000 × 200 (4·10⁹) fit.
pub const MAX_STEP_WORK: f64 = 5e9;

/// Peak memory of training on n rows of d features with p parameters and c score columns: the
/// table, the margins and probabilities (a few n × c arrays) and a few p × p matrices (the
/// Hessian, its Cholesky factor and a copy for the checks).
pub fn training_bytes(n: usize, d: usize, p: usize, c: usize) -> f64 {
    let (n, d, p, c) = (n as f64, d as f64, p as f64, c as f64);
    8.0 * (n * d + 4.0 * n * c + 4.0 * p * p)
}

/// Refuses a training problem whose [`training_bytes`] exceed [`MAX_PROBLEM_BYTES`].
///
/// # Errors
/// [`Error::TooLarge`] with the estimate and the fix (fewer features, classes or rows).
pub fn check_training_size(n: usize, d: usize, p: usize, c: usize) -> Result<()> {
    let work = n as f64 * (p * p) as f64;
    if work > MAX_STEP_WORK {
        return Err(Error::TooLarge {
            what: "training problem",
            size: format!(
                "{n} rows × {p} parameters need about {work:.1e} operations per Newton step \
                 (minutes of work)"
            ),
            limit: format!("{MAX_STEP_WORK:.0e} per step"),
            fix: "use fewer features or classes (the work grows with their square) or fewer rows",
        });
    }
    let bytes = training_bytes(n, d, p, c);
    if bytes <= MAX_PROBLEM_BYTES {
        return Ok(());
    }
    Err(Error::TooLarge {
        what: "training problem",
        size: format!(
            "{n} rows × {d} features ({p} parameters) need about {:.1} GB",
            bytes / 1e9
        ),
        limit: format!("{:.1} GB", MAX_PROBLEM_BYTES / 1e9),
        fix: "use fewer features (the Hessian has p² entries) or fewer rows",
    })
}

/// Refuses a count of values above [`MAX_VALUES`].
///
/// # Errors
/// [`Error::TooLarge`] naming `what`.
pub fn check_count(what: &'static str, count: usize) -> Result<()> {
    if count <= MAX_VALUES {
        return Ok(());
    }
    Err(Error::TooLarge {
        what,
        size: format!("{count}"),
        limit: format!("{MAX_VALUES}"),
        fix: "split the work into smaller parts",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_adult_file_fits_and_thousands_of_features_do_not() {
        assert!(check_training_size(32_561, 100, 101, 1).is_ok());
        assert!(check_training_size(100_000, 200, 201, 1).is_ok());
        let err = check_training_size(100, 10_000, 10_001, 1).unwrap_err();
        assert!(err.to_string().contains("use fewer features"), "{err}");
        assert!(check_count("rows", MAX_VALUES).is_ok());
        assert!(check_count("rows", MAX_VALUES + 1).is_err());
    }
}
