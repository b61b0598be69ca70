//! Checked training data: features `x` (n × d) and class labels `y` in {0, …, K − 1} (K = 2 for
//! the binary model), plus the seeded train/test split and the standardisation that the demo
//! applies to a raw table.

use nalgebra::{DMatrix, DVector};

use crate::error::{Error, Result};
use crate::rng::SplitMix64;

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
        "badly scaled features: {} column{} reach beyond ±{LARGE_FEATURE:.0e} (feature {first} up to \
         {size:.1e}); the tolerance is on ‖∇L‖ in the data's own units, so standardise the columns \
         first (prepareTable or prepare)",
        large.len(),
        if large.len() == 1 { "" } else { "s" }
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
            if !x[(row, col)].is_finite() {
                return Err(Error::NonFinite { what, row, col });
            }
        }
    }
    Ok(())
}

/// The share of rows a split keeps for testing, unless told otherwise.
pub const DEFAULT_TEST_FRACTION: f64 = 0.2;

/// The seed of the split, unless told otherwise (the page and the fixtures use it too).
pub const DEFAULT_SPLIT_SEED: u64 = 42;

/// Row indices of a seeded train/test split.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// Training rows of the original table, ascending.
    pub train: Vec<usize>,
    /// Test rows of the original table, ascending.
    pub test: Vec<usize>,
}

/// Splits `0..n` into train and test: a SplitMix64 Fisher–Yates shuffle from `seed`, the first
/// `round(n · test_fraction)` positions become the test rows; both lists are sorted.
///
/// # Errors
/// [`Error::InvalidParameter`] unless `0 ≤ test_fraction < 1`; [`Error::Empty`] if no training
/// row would remain.
pub fn train_test_split(n: usize, test_fraction: f64, seed: u64) -> Result<Split> {
    crate::limits::check_count("rows to split", n)?;
    if !(0.0..1.0).contains(&test_fraction) {
        return Err(Error::InvalidParameter {
            name: "test_fraction",
            value: test_fraction,
            expected: "a number in [0, 1)",
        });
    }
    let n_test = (n as f64 * test_fraction).round() as usize;
    if n_test >= n {
        return Err(Error::Empty {
            what: "training split (lower test_fraction or add rows)",
        });
    }
    let perm = SplitMix64::new(seed).permutation(n);
    let mut test = perm[..n_test].to_vec();
    let mut train = perm[n_test..].to_vec();
    test.sort_unstable();
    train.sort_unstable();
    Ok(Split { train, test })
}

/// Per-feature centring and scaling fitted on training data: x ↦ (x − mean) / scale.
///
/// `scale` is the population standard deviation (ddof = 0, as scikit-learn's `StandardScaler`).
/// A column that is constant — exactly, or up to round-off relative to its magnitude — gets
/// scale 1 and maps to 0, instead of NaN or its rounding noise blown up to ±1.
#[derive(Debug, Clone, PartialEq)]
pub struct Standardizer {
    /// Column means, d entries.
    pub mean: DVector<f64>,
    /// Column scales, d entries, all > 0.
    pub scale: DVector<f64>,
    /// Columns constant (up to round-off) on the fitting rows, ascending: they map to 0.
    pub constant: Vec<usize>,
}

/// A column whose standard deviation is at most this share of its largest |value| is constant
/// up to round-off (sums of n values of size M carry errors of about n·ε·M).
pub const CONSTANT_RELATIVE_SPREAD: f64 = 1e-10;

impl Standardizer {
    /// Fits mean and scale on the columns of `x` (n × d, n ≥ 1).
    pub fn fit(x: &DMatrix<f64>) -> Self {
        let n = x.nrows().max(1) as f64;
        let mean = DVector::from_iterator(x.ncols(), x.column_iter().map(|c| c.sum() / n));
        let mut constant = Vec::new();
        let scale = DVector::from_iterator(
            x.ncols(),
            x.column_iter()
                .zip(mean.iter())
                .enumerate()
                .map(|(j, (c, &m))| {
                    let sd = (c.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n).sqrt();
                    if sd > CONSTANT_RELATIVE_SPREAD * c.amax() {
                        sd
                    } else {
                        constant.push(j);
                        1.0
                    }
                }),
        );
        Self {
            mean,
            scale,
            constant,
        }
    }

    /// As [`Standardizer::fit`], but the columns in `unscaled` keep their values (mean 0,
    /// scale 1): one-hot columns of a categorical feature stay 0/1, so "zero the group" and
    /// "move a row to another category" mean what they say.
    pub fn fit_except(x: &DMatrix<f64>, unscaled: &[usize]) -> Self {
        let mut fitted = Self::fit(x);
        for &j in unscaled.iter().filter(|&&j| j < x.ncols()) {
            fitted.mean[j] = 0.0;
            fitted.scale[j] = 1.0;
        }
        fitted.constant.retain(|j| !unscaled.contains(j));
        fitted
    }

    /// `x` with every column standardised (constant columns to exactly 0).
    pub fn transform(&self, x: &DMatrix<f64>) -> DMatrix<f64> {
        let mut out = x.clone();
        for (j, mut col) in out.column_iter_mut().enumerate() {
            if self.constant.binary_search(&j).is_ok() {
                col.fill(0.0);
            } else {
                col.apply(|v| *v = (*v - self.mean[j]) / self.scale[j]);
            }
        }
        out
    }
}

/// Every row divided by its Euclidean norm (all-zero rows stay zero), so that ‖xᵢ‖₂ ≤ 1 as the
/// certified-unlearning bounds require (Warnecke et al.'s and Guo et al.'s code do the same).
pub fn unit_rows(data: &Dataset) -> Dataset {
    let mut x = data.x().clone();
    for mut row in x.row_iter_mut() {
        let norm = row.norm();
        if norm > 0.0 {
            row /= norm;
        }
    }
    data.like(x, data.y().clone())
}

/// A raw table split into standardised train and test sets, as the demo prepares it.
#[derive(Debug, Clone)]
pub struct PreparedData {
    /// Standardised training rows (original order).
    pub train: Dataset,
    /// Standardised test rows (original order).
    pub test: Dataset,
    /// Which original rows went where.
    pub split: Split,
    /// Fitted on the training rows only, so no test information leaks into training.
    pub standardizer: Standardizer,
}

/// Splits `data` with [`train_test_split`] and standardises both parts with a [`Standardizer`]
/// fitted on the training part.
///
/// # Errors
/// As [`train_test_split`].
pub fn prepare(data: &Dataset, test_fraction: f64, seed: u64) -> Result<PreparedData> {
    prepare_except(data, test_fraction, seed, &[])
}

/// As [`prepare`], leaving the columns in `unscaled` as they are (see
/// [`Standardizer::fit_except`]).
///
/// # Errors
/// As [`train_test_split`], plus [`Error::IndexOutOfRange`] for a column that does not exist.
pub fn prepare_except(
    data: &Dataset,
    test_fraction: f64,
    seed: u64,
    unscaled: &[usize],
) -> Result<PreparedData> {
    if let Some(&index) = unscaled.iter().find(|&&j| j >= data.n_features()) {
        return Err(Error::IndexOutOfRange {
            what: "columns to leave unscaled",
            index,
            len: data.n_features(),
        });
    }
    let split = train_test_split(data.n_samples(), test_fraction, seed)?;
    let raw_train = data.select_rows(&split.train);
    let raw_test = data.select_rows(&split.test);
    let standardizer = Standardizer::fit_except(raw_train.x(), unscaled);
    let standardise = |d: Dataset| d.like(standardizer.transform(d.x()), d.y().clone());
    Ok(PreparedData {
        train: standardise(raw_train),
        test: standardise(raw_test),
        split,
        standardizer: standardizer.clone(),
    })
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

    #[test]
    fn split_partitions_all_rows() {
        let s = train_test_split(10, 0.3, 1).unwrap();
        assert_eq!(s.test.len(), 3);
        let mut all: Vec<usize> = s.train.iter().chain(&s.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert!(train_test_split(10, 1.0, 1).is_err());
        assert!(train_test_split(1, 0.6, 1).is_err());
    }

    #[test]
    fn unscaled_columns_keep_their_values() {
        let x = DMatrix::from_row_slice(4, 2, &[1.0, 0.0, 2.0, 1.0, 3.0, 1.0, 4.0, 0.0]);
        let data = Dataset::new(x.clone(), DVector::from_vec(vec![0.0, 1.0, 0.0, 1.0])).unwrap();
        let prepared = prepare_except(&data, 0.25, 3, &[1]).unwrap();
        let kept: Vec<f64> = prepared.train.x().column(1).iter().copied().collect();
        let raw: Vec<f64> = prepared.split.train.iter().map(|&i| x[(i, 1)]).collect();
        assert_eq!(kept, raw, "one-hot column untouched");
        assert!(
            prepared.train.x().column(0).sum().abs() < 1e-12,
            "numeric column centred"
        );
        assert!(prepare_except(&data, 0.25, 3, &[2]).is_err());
    }

    #[test]
    fn columns_constant_up_to_round_off_are_constant() {
        // 0.1 + 0.2 ≠ 0.3 in floating point: a spread of one ulp on values near 1e6.
        let base = 1e6 + 0.3;
        let x = DMatrix::from_row_slice(3, 2, &[base, 1.0, base + 1e-10, 2.0, base, 3.0]);
        let s = Standardizer::fit(&x);
        assert_eq!(s.constant, vec![0]);
        let z = s.transform(&x);
        assert!(z.column(0).iter().all(|&v| v == 0.0), "{z}");
        assert!(
            (z.column(1).norm_squared() - 3.0).abs() < 1e-12,
            "the other column scales"
        );
        let unscaled = Standardizer::fit_except(&x, &[0]);
        assert!(
            unscaled.constant.is_empty(),
            "an unscaled column is left alone"
        );
    }

    #[test]
    fn standardizer_centres_and_keeps_constant_columns_finite() {
        let x = DMatrix::from_row_slice(3, 2, &[1.0, 5.0, 2.0, 5.0, 3.0, 5.0]);
        let s = Standardizer::fit(&x);
        let z = s.transform(&x);
        assert!((z.column(0).sum()).abs() < 1e-15);
        assert_eq!(s.scale[1], 1.0);
        assert!(z.column(1).iter().all(|&v| v == 0.0));
    }
}
