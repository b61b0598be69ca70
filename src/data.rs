//! Checked training data: features `x` (n × d) and class labels `y` in {0, …, K − 1} (K = 2 for
//! the binary model). The split and standardisation of a raw table are in [`crate::prepare`].

use nalgebra::{DMatrix, DVector};

use crate::error::{Error, Result};

/// Features and class labels, validated once on construction.
///
/// `x` is n × d (one row per example; nalgebra stores it column-major), `y` has n entries, each
/// a whole number from 0 to K − 1 stored as `f64` (K = 2: the binary labels 0 and 1). All
/// values are finite.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    x: DMatrix<f64>,
    y: DVector<f64>,
    n_classes: usize,
    /// Per-row weights of the loss (all 1 when `None`).
    weights: Option<DVector<f64>>,
}

impl Dataset {
    /// Binary data: checks shapes, finiteness and that every label is 0 or 1.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `y.len() != x.nrows()`, [`Error::NonFinite`] for a NaN or
    /// infinite feature, [`Error::InvalidLabel`] for a label other than 0 or 1.
    pub fn new(x: DMatrix<f64>, y: DVector<f64>) -> Result<Self> {
        Self::with_classes(x, y, 2)
    }

    /// Data with K = `n_classes` ≥ 2 classes, labelled 0 to K − 1.
    ///
    /// # Errors
    /// As [`Dataset::new`], with labels checked against 0..K; [`Error::InvalidParameter`] if
    /// K < 2.
    pub fn with_classes(x: DMatrix<f64>, y: DVector<f64>, n_classes: usize) -> Result<Self> {
        if n_classes < 2 {
            return Err(Error::InvalidParameter {
                name: "number of classes",
                value: n_classes as f64,
                expected: "at least 2",
            });
        }
        if y.len() != x.nrows() {
            return Err(Error::ShapeMismatch {
                what: "labels",
                expected: format!("{} labels (one per row of x)", x.nrows()),
                got: format!("{}", y.len()),
            });
        }
        check_finite("features", &x)?;
        for (row, &value) in y.iter().enumerate() {
            if !is_class(value, n_classes) {
                return Err(Error::InvalidLabel {
                    row,
                    value,
                    n_classes,
                });
            }
        }
        Ok(Self {
            x,
            y,
            n_classes,
            weights: None,
        })
    }

    /// The same data with per-row weights wᵢ ≥ 0 on the loss: L = Σᵢ wᵢℓ(zᵢ, θ) + penalty
    /// (the penalty's row count becomes Σwᵢ under per-sample λ). Used for the hedging path
    /// between D and D̃.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] for a wrong length, [`Error::InvalidParameter`] for a negative
    /// or non-finite weight.
    pub fn with_weights(mut self, weights: DVector<f64>) -> Result<Self> {
        self.set_weights(weights)?;
        Ok(self)
    }

    /// As [`Dataset::with_weights`], in place (re-weighting the same rows needs no copy of them).
    ///
    /// # Errors
    /// As [`Dataset::with_weights`]; the data keep their previous weights.
    pub fn set_weights(&mut self, weights: DVector<f64>) -> Result<()> {
        if weights.len() != self.n_samples() {
            return Err(Error::ShapeMismatch {
                what: "row weights",
                expected: format!("{} weights (one per row)", self.n_samples()),
                got: format!("{}", weights.len()),
            });
        }
        if let Some(&w) = weights.iter().find(|w| !(w.is_finite() && **w >= 0.0)) {
            return Err(Error::InvalidParameter {
                name: "row weight",
                value: w,
                expected: "a finite number ≥ 0",
            });
        }
        self.weights = Some(weights);
        Ok(())
    }

    /// The weight of row `i` (1 unless weights were given).
    pub fn weight(&self, i: usize) -> f64 {
        self.weights.as_ref().map_or(1.0, |w| w[i])
    }

    /// Whether the rows carry weights.
    pub fn is_weighted(&self) -> bool {
        self.weights.is_some()
    }

    /// Σᵢ wᵢ (n when unweighted): the row count the per-sample penalty scales with.
    pub fn mass(&self) -> f64 {
        self.weights
            .as_ref()
            .map_or(self.n_samples() as f64, |w| w.sum())
    }

    /// Binary data from a row-major buffer of `n_rows × n_features` values (the layout of a JS
    /// `Float64Array` or a CSV table).
    ///
    /// # Errors
    /// As [`Dataset::new`], plus [`Error::ShapeMismatch`] if `values.len() != n_rows * n_features`.
    pub fn from_row_major(
        values: &[f64],
        n_rows: usize,
        n_features: usize,
        labels: &[f64],
    ) -> Result<Self> {
        Self::from_row_major_with_classes(values, n_rows, n_features, labels, 2)
    }

    /// As [`Dataset::from_row_major`] with K = `n_classes` classes.
    ///
    /// # Errors
    /// As [`Dataset::with_classes`].
    pub fn from_row_major_with_classes(
        values: &[f64],
        n_rows: usize,
        n_features: usize,
        labels: &[f64],
        n_classes: usize,
    ) -> Result<Self> {
        let x = matrix_from_row_major(values, n_rows, n_features)?;
        Self::with_classes(x, DVector::from_column_slice(labels), n_classes)
    }

    /// Features, n × d.
    pub fn x(&self) -> &DMatrix<f64> {
        &self.x
    }

    /// Labels, n entries in {0, …, K − 1}.
    pub fn y(&self) -> &DVector<f64> {
        &self.y
    }

    /// Number of rows n.
    pub fn n_samples(&self) -> usize {
        self.x.nrows()
    }

    /// Number of features d.
    pub fn n_features(&self) -> usize {
        self.x.ncols()
    }

    /// Number of classes K (2 for binary data).
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// The rows at `rows`, in that order (with their weights).
    pub fn select_rows(&self, rows: &[usize]) -> Dataset {
        let mut selected = self.like(self.x.select_rows(rows), self.y.select_rows(rows));
        selected.weights = self.weights.as_ref().map(|w| w.select_rows(rows));
        selected
    }

    /// Fails unless every class occurs (otherwise a free intercept runs off to ±∞).
    pub(crate) fn require_every_class(&self) -> Result<()> {
        let mut seen = vec![false; self.n_classes];
        for &label in self.y.iter() {
            seen[label as usize] = true;
        }
        match seen.iter().position(|&s| !s) {
            Some(class) => Err(Error::MissingClass {
                class,
                n_classes: self.n_classes,
            }),
            None => Ok(()),
        }
    }

    pub(crate) fn parts_mut(&mut self) -> (&mut DMatrix<f64>, &mut DVector<f64>) {
        (&mut self.x, &mut self.y)
    }

    pub(crate) fn into_parts(self) -> (DMatrix<f64>, DVector<f64>) {
        (self.x, self.y)
    }

    /// Data known to be valid by construction (unchecked).
    pub(crate) fn from_valid(x: DMatrix<f64>, y: DVector<f64>, n_classes: usize) -> Self {
        Self {
            x,
            y,
            n_classes,
            weights: None,
        }
    }

    /// Data with the same classes as `self`, from parts derived from valid data (unchecked).
    pub(crate) fn like(&self, x: DMatrix<f64>, y: DVector<f64>) -> Self {
        Self::from_valid(x, y, self.n_classes)
    }
}

/// Largest |feature| that raises no scale warning: beyond it, Newton's absolute tolerance on
/// ‖∇L‖ is far below the rounding of the gradient, and the curvature of the other columns is
/// swamped.
pub const LARGE_FEATURE: f64 = 1e6;

/// Warnings for badly scaled features: columns whose values reach beyond ±[`LARGE_FEATURE`].
pub fn scale_warnings(x: &DMatrix<f64>) -> Vec<String> {
    let large: Vec<(usize, f64)> = x
        .column_iter()
        .enumerate()
        .map(|(j, c)| (j, c.amax()))
        .filter(|&(_, m)| m > LARGE_FEATURE)
        .collect();
    let Some(&(first, size)) = large.iter().max_by(|a, b| a.1.total_cmp(&b.1)) else {
        return Vec::new();
    };
    vec![format!(
        "badly scaled features: {} beyond ±{LARGE_FEATURE:.0e} (feature {first} up to {size:.1e}); \
         the tolerance is on ‖∇L‖ in the data's own units, so standardise the columns first",
        if large.len() == 1 {
            "1 column reaches".to_owned()
        } else {
            format!("{} columns reach", large.len())
        }
    )]
}

/// Whether `value` is a class label 0, 1, …, K − 1.
pub fn is_class(value: f64, n_classes: usize) -> bool {
    value.fract() == 0.0 && value >= 0.0 && value < n_classes as f64
}

/// An n × d matrix from a row-major buffer.
///
/// # Errors
/// [`Error::ShapeMismatch`] if `values.len() != n_rows * n_features`, [`Error::NonFinite`] for
/// a NaN or infinite value.
pub fn matrix_from_row_major(
    values: &[f64],
    n_rows: usize,
    n_features: usize,
) -> Result<DMatrix<f64>> {
    let expected = n_rows.checked_mul(n_features);
    if expected != Some(values.len()) {
        return Err(Error::ShapeMismatch {
            what: "features (row-major buffer)",
            expected: format!("{n_rows} rows × {n_features} features"),
            got: format!("{} values", values.len()),
        });
    }
    let x = DMatrix::from_row_slice(n_rows, n_features, values);
    check_finite("features", &x)?;
    Ok(x)
}

fn check_finite(what: &'static str, x: &DMatrix<f64>) -> Result<()> {
    // Row-major scan so the first reported cell is the first one a person reading the table meets.
    for row in 0..x.nrows() {
        for col in 0..x.ncols() {
            let value = x[(row, col)];
            if !value.is_finite() {
                return Err(Error::NonFinite { what, row, col });
            }
            if value.abs() > crate::limits::LARGE_VALUE {
                return Err(Error::TooLargeValue {
                    what,
                    row,
                    col,
                    value,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_shapes_labels_and_values() {
        assert!(matches!(
            Dataset::from_row_major(&[1.0, 2.0, 3.0], 2, 2, &[0.0, 1.0]),
            Err(Error::ShapeMismatch { .. })
        ));
        assert_eq!(
            Dataset::from_row_major(&[1.0, 2.0], 2, 1, &[0.0, 2.0]),
            Err(Error::InvalidLabel {
                row: 1,
                value: 2.0,
                n_classes: 2
            })
        );
        assert_eq!(
            Dataset::from_row_major(&[1.0, 2.0, f64::NAN, 4.0], 2, 2, &[0.0, 1.0]),
            Err(Error::NonFinite {
                what: "features",
                row: 1,
                col: 0
            })
        );
    }
}
