//! A raw table made ready for training: the seeded train/test split, the standardisation fitted
//! on the training part (constant columns mapped to 0), and unit-norm rows for certified mode.

use nalgebra::{DMatrix, DVector};

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::rng::SplitMix64;

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
    use crate::data::Dataset;
    use nalgebra::{DMatrix, DVector};

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
