//! Unlearning requests (the paper's Z → Z̃) and the training data they change.
//!
//! A request replaces the affected training points Z by perturbed points Z̃, giving the edited
//! data D̃ = (D ∖ Z) ∪ Z̃ (Warnecke et al., NDSS 2023, §3): a feature replaced, a label
//! corrected, a point removed.

use nalgebra::DMatrix;

use crate::data::{is_class, Dataset};
use crate::error::{Error, Result};
use crate::live::LiveData;

/// One unlearning request: any combination of feature replacement, relabelling and removal.
///
/// Rows are indices into the training set D (0-based). When a row is both relabelled and
/// removed, removal wins.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(js, derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct Edit {
    /// Feature columns to replace in every row where they differ from `feature_value`.
    pub features: Vec<usize>,
    /// The replacement value, in the units of the model's features (the demo standardises, so
    /// the default 0 is the training mean). Default 0.
    pub feature_value: f64,
    /// `(feature, value)`: more columns to replace, each by its own value (for example one-hot
    /// columns to 0 next to numeric ones to their mean). Applied with `features`.
    pub feature_values: Vec<(usize, f64)>,
    /// `(row, feature, value)`: set single cells (the paper's replacement of chosen rows'
    /// values). Applied after `features`.
    pub cells: Vec<(usize, usize, f64)>,
    /// `(row, new_label)` pairs, labels in {0, …, K − 1}.
    pub relabel: Vec<(usize, f64)>,
    /// Rows to remove.
    pub remove: Vec<usize>,
}

impl Edit {
    /// True if the edit cannot change anything (no features, labels or rows named).
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
            && self.feature_values.is_empty()
            && self.cells.is_empty()
            && self.relabel.is_empty()
            && self.remove.is_empty()
    }

    /// Checks every index and value against a dataset of `n_samples × n_features` with
    /// `n_classes` classes.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`], [`Error::InvalidLabel`], [`Error::Duplicate`] (a feature or
    /// row named twice), [`Error::InvalidParameter`] for a non-finite `feature_value`.
    pub fn validate(&self, n_samples: usize, n_features: usize, n_classes: usize) -> Result<()> {
        let columns: Vec<usize> = self.replacements().map(|(j, _)| j).collect();
        check_indices("features to forget", &columns, n_features)?;
        check_unique("features to forget", &columns)?;
        for (_, value) in self.replacements() {
            check_value("feature replacement value", value)?;
        }
        check_unique("rows to remove", &self.remove)?;
        for &(row, col, value) in &self.cells {
            check_indices("cells (row)", &[row], n_samples)?;
            check_indices("cells (feature)", &[col], n_features)?;
            if !value.is_finite() {
                return Err(Error::NonFinite {
                    what: "cell values",
                    row,
                    col,
                });
            }
            if value.abs() > crate::limits::LARGE_VALUE {
                return Err(Error::TooLargeValue {
                    what: "cell values",
                    row,
                    col,
                    value,
                });
            }
        }
        check_indices("rows to remove", &self.remove, n_samples)?;
        let rows: Vec<usize> = self.relabel.iter().map(|&(row, _)| row).collect();
        check_indices("rows to relabel", &rows, n_samples)?;
        let mut seen = vec![false; n_samples];
        for &(row, label) in &self.relabel {
            if !is_class(label, n_classes) {
                return Err(Error::InvalidLabel {
                    row,
                    value: label,
                    n_classes,
                });
            }
            if std::mem::replace(&mut seen[row], true) {
                return Err(Error::Duplicate {
                    what: "rows to relabel",
                    index: row,
                });
            }
        }
        Ok(())
    }

    /// Every replaced column with its value: `features` (all with `feature_value`), then
    /// `feature_values`.
    pub fn replacements(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        (self.features.iter().map(|&j| (j, self.feature_value)))
            .chain(self.feature_values.iter().copied())
    }

    /// Replaces the chosen feature columns of `x` (any number of rows) in place.
    pub fn replace_features(&self, x: &mut DMatrix<f64>) {
        for (j, value) in self.replacements() {
            x.column_mut(j).fill(value);
        }
    }

    /// Applies `features`, then `cells`, to the rows of `x`, where row k of `x` is training row
    /// `rows[k]` (`rows` ascending).
    pub(crate) fn apply_to_rows(&self, x: &mut DMatrix<f64>, rows: &[usize]) {
        self.replace_features(x);
        for &(row, col, value) in &self.cells {
            if let Ok(k) = rows.binary_search(&row) {
                x[(k, col)] = value;
            }
        }
    }

    /// The request cut into `steps` consecutive parts (features, relabelled rows and removed
    /// rows each spread evenly, in order), for the stepwise updates. Parts may be empty.
    pub fn split(&self, steps: usize) -> Vec<Edit> {
        let steps = steps.max(1);
        let (features, remove) = (sorted_unique(&self.features), sorted_unique(&self.remove));
        (0..steps)
            .map(|k| Edit {
                features: chunk(&features, k, steps),
                feature_value: self.feature_value,
                feature_values: chunk(&self.feature_values, k, steps),
                cells: chunk(&self.cells, k, steps),
                relabel: chunk(&self.relabel, k, steps),
                remove: chunk(&remove, k, steps),
            })
            .collect()
    }
}

pub(crate) fn sorted_unique(items: &[usize]) -> Vec<usize> {
    let mut items = items.to_vec();
    items.sort_unstable();
    items.dedup();
    items
}

/// The `k`-th of `parts` near-equal consecutive pieces of `items`.
fn chunk<T: Clone>(items: &[T], k: usize, parts: usize) -> Vec<T> {
    let (start, end) = (items.len() * k / parts, items.len() * (k + 1) / parts);
    items[start..end].to_vec()
}

/// A finite value within ±[`crate::limits::LARGE_VALUE`].
pub(crate) fn check_value(name: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value.abs() <= crate::limits::LARGE_VALUE {
        return Ok(());
    }
    Err(Error::InvalidParameter {
        name,
        value,
        expected: "a finite number within ±1e140 (larger ones overflow the arithmetic)",
    })
}

fn check_unique(what: &'static str, indices: &[usize]) -> Result<()> {
    let mut sorted = indices.to_vec();
    sorted.sort_unstable();
    match sorted.windows(2).find(|w| w[0] == w[1]) {
        Some(w) => Err(Error::Duplicate { what, index: w[0] }),
        None => Ok(()),
    }
}

fn check_indices(what: &'static str, indices: &[usize], len: usize) -> Result<()> {
    match indices.iter().find(|&&i| i >= len) {
        Some(&index) => Err(Error::IndexOutOfRange { what, index, len }),
        None => Ok(()),
    }
}

/// What an edit changes, without the rest of the data: the affected rows before (Z) and after
/// (Z̃), and the row counts. Building it costs O(m·d) for m relabelled or removed rows (plus one
/// scan of the chosen columns for a feature edit), not O(n·d).
#[derive(Debug, Clone)]
pub struct EditDelta {
    /// Rows of D that the edit changes or removes, ascending (the set Z).
    pub affected: Vec<usize>,
    /// Z: the affected rows as they are in D.
    pub before: Dataset,
    /// Z̃: the affected rows that are kept, as they will be in D̃ (removed rows have no z̃).
    pub after: Dataset,
    /// The rows of D behind each row of `after`, ascending (a subset of `affected`).
    pub after_rows: Vec<usize>,
    /// Rows in D.
    pub n_before: usize,
    /// Rows in D̃.
    pub n_after: usize,
}

/// An edit applied to a dataset: what changes, and the edited data D̃ itself.
#[derive(Debug, Clone)]
pub struct AppliedEdit {
    /// Z, Z̃ and the row counts.
    pub delta: EditDelta,
    /// D̃: the kept rows of D, in order, with features replaced and labels changed.
    pub edited: Dataset,
}

/// Applies `edit` to `data`.
///
/// # Errors
/// As [`Edit::validate`].
pub fn apply_edit(data: &Dataset, edit: &Edit) -> Result<AppliedEdit> {
    let mut live = LiveData::new(data.clone());
    let delta = live.delta(edit)?;
    live.commit(edit);
    Ok(AppliedEdit {
        delta,
        edited: live.materialise(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Dataset {
        Dataset::from_row_major(
            &[1.0, 0.0, 2.0, 1.0, 0.0, 0.0, 3.0, 4.0],
            4,
            2,
            &[1.0, 0.0, 1.0, 0.0],
        )
        .unwrap()
    }

    #[test]
    fn delta_names_only_rows_that_change() {
        let edit = Edit {
            features: vec![1],
            relabel: vec![(0, 1.0), (1, 1.0)],
            remove: vec![3],
            ..Edit::default()
        };
        let applied = apply_edit(&data(), &edit).unwrap();
        // Row 0: label unchanged, feature 1 already 0; row 2: feature 1 already 0.
        assert_eq!(applied.delta.affected, vec![1, 3]);
        assert_eq!((applied.delta.n_before, applied.delta.n_after), (4, 3));
        assert_eq!(applied.delta.after.n_samples(), 1);
        assert_eq!(applied.edited.y().as_slice(), &[1.0, 1.0, 1.0]);
        assert!(applied.edited.x().column(1).iter().all(|&v| v == 0.0));
    }

    #[test]
    fn columns_can_get_their_own_values() {
        let edit = Edit {
            features: vec![0],
            feature_value: 9.0,
            feature_values: vec![(1, 4.0)],
            ..Edit::default()
        };
        let applied = apply_edit(&data(), &edit).unwrap();
        assert!(applied.edited.x().column(0).iter().all(|&v| v == 9.0));
        assert!(applied.edited.x().column(1).iter().all(|&v| v == 4.0));
        assert_eq!(applied.delta.affected, vec![0, 1, 2, 3]);
        let twice = Edit {
            features: vec![1],
            feature_values: vec![(1, 0.0)],
            ..Edit::default()
        };
        assert!(matches!(
            apply_edit(&data(), &twice),
            Err(Error::Duplicate { .. })
        ));
    }

    #[test]
    fn removed_rows_cannot_be_named_again() {
        let mut live = LiveData::new(data());
        let first = Edit {
            remove: vec![2],
            ..Edit::default()
        };
        live.delta(&first).unwrap();
        live.commit(&first);
        assert_eq!(live.n_active(), 3);
        assert_eq!(
            live.delta(&first).unwrap_err(),
            Error::AlreadyRemoved { row: 2 }
        );
        assert_eq!(live.materialise().n_samples(), 3);
    }

    #[test]
    fn split_spreads_every_part() {
        let edit = Edit {
            features: vec![0, 1, 2],
            relabel: vec![(4, 1.0)],
            remove: vec![5, 6, 7, 8],
            ..Edit::default()
        };
        let parts = edit.split(2);
        assert_eq!(parts[0].features, vec![0]);
        assert_eq!(parts[1].features, vec![1, 2]);
        assert_eq!(parts[0].relabel.len() + parts[1].relabel.len(), 1);
        assert_eq!(parts[0].remove, vec![5, 6]);
    }
}
