//! Training data that successive requests edit in place (removed rows stay, marked inactive, so
//! every row keeps the caller's number), and the checks every request passes on it.

use crate::data::Dataset;
use crate::edit::{sorted_unique, Edit, EditDelta};
use crate::error::{Error, Result};
use crate::objective::Objective;

/// Training data that successive requests edit in place: removed rows are marked inactive
/// instead of being deleted, so row indices stay those of the original training set and a
/// request costs O(m·d) for m affected rows.
#[derive(Debug, Clone)]
pub struct LiveData {
    data: Dataset,
    active: Vec<bool>,
    n_active: usize,
}

impl LiveData {
    /// All rows of `data`, active.
    pub fn new(data: Dataset) -> Self {
        let n = data.n_samples();
        Self {
            data,
            active: vec![true; n],
            n_active: n,
        }
    }

    /// Rows still in the data.
    pub fn n_active(&self) -> usize {
        self.n_active
    }

    /// Whether row `i` (an original training index) is still in the data.
    pub fn is_active(&self, i: usize) -> bool {
        self.active.get(i).copied().unwrap_or(false)
    }

    /// Every row ever present (active or not), with the edits so far applied.
    pub fn all_rows(&self) -> &Dataset {
        &self.data
    }

    /// The caller's row numbers of the rows left after `edit` (all active rows if it removes
    /// none), in the order [`LiveData::materialise`] gives them.
    pub fn rows_after(&self, edit: &Edit) -> Vec<usize> {
        let removed = sorted_unique(&edit.remove);
        (0..self.active.len())
            .filter(|&i| self.active[i] && removed.binary_search(&i).is_err())
            .collect()
    }

    /// The active rows as a dataset (O(n·d)).
    pub fn materialise(&self) -> Dataset {
        let rows: Vec<usize> = (0..self.active.len()).filter(|&i| self.active[i]).collect();
        self.data.select_rows(&rows)
    }

    /// What `edit` would change, without changing anything.
    ///
    /// # Errors
    /// As [`Edit::validate`], plus [`Error::AlreadyRemoved`] for a row removed earlier.
    pub fn delta(&self, edit: &Edit) -> Result<EditDelta> {
        let data = &self.data;
        edit.validate(data.n_samples(), data.n_features(), data.n_classes())?;
        let named = (edit.remove.iter())
            .chain(edit.relabel.iter().map(|(row, _)| row))
            .chain(edit.cells.iter().map(|(row, _, _)| row));
        if let Some(&row) = named.into_iter().find(|&&row| !self.active[row]) {
            return Err(Error::AlreadyRemoved { row });
        }
        // Candidates: every named row, plus the active rows a feature replacement touches.
        let mut candidates: Vec<usize> = (edit.remove.iter())
            .chain(edit.relabel.iter().map(|(row, _)| row))
            .chain(edit.cells.iter().map(|(row, _, _)| row))
            .copied()
            .collect();
        for (j, value) in edit.replacements() {
            let column = data.x().column(j);
            candidates
                .extend((0..data.n_samples()).filter(|&i| self.active[i] && column[i] != value));
        }
        let candidates = sorted_unique(&candidates);
        let removed = sorted_unique(&edit.remove);
        let is_removed = |i: &usize| removed.binary_search(i).is_ok();
        let mut relabel = edit.relabel.clone();
        relabel.sort_by_key(|&(row, _)| row);
        let affected: Vec<usize> = candidates
            .into_iter()
            .filter(|i| is_removed(i) || self.row_changes(edit, &relabel, *i))
            .collect();
        let kept: Vec<usize> = affected
            .iter()
            .copied()
            .filter(|i| !is_removed(i))
            .collect();
        let (mut x, mut y) = data.select_rows(&kept).into_parts();
        edit.apply_to_rows(&mut x, &kept);
        for &(row, label) in &edit.relabel {
            if let Ok(position) = kept.binary_search(&row) {
                y[position] = label;
            }
        }
        Ok(EditDelta {
            before: data.select_rows(&affected),
            after: data.like(x, y),
            n_before: self.n_active,
            n_after: self.n_active - removed.len(),
            affected,
            after_rows: kept,
        })
    }

    /// Whether `edit` changes row `i`'s features or label (`relabel` sorted by row). A cell may
    /// restore a value a feature replacement changed, so the whole edited row is compared.
    fn row_changes(&self, edit: &Edit, relabel: &[(usize, f64)], i: usize) -> bool {
        let relabelled = relabel
            .binary_search_by_key(&i, |&(row, _)| row)
            .is_ok_and(|k| relabel[k].1 != self.data.y()[i]);
        let original = self.data.x().rows(i, 1);
        let mut row = original.into_owned();
        edit.apply_to_rows(&mut row, &[i]);
        relabelled || row != original
    }

    /// How many rows of each class D̃ would have after `delta` (O(n)).
    pub fn class_counts_after(&self, delta: &EditDelta) -> Vec<usize> {
        let y = self.data.y();
        let mut counts = vec![0usize; self.data.n_classes()];
        for i in (0..y.len()).filter(|&i| self.active[i]) {
            counts[y[i] as usize] += 1;
        }
        for &label in delta.before.y().iter() {
            counts[label as usize] -= 1;
        }
        for &label in delta.after.y().iter() {
            counts[label as usize] += 1;
        }
        counts
    }

    /// What `edit` would change, after the checks every request passes on every path: valid
    /// indices and values, rows not removed before, at least one row left, and every class
    /// kept when `objective` has no finite optimum without it.
    ///
    /// # Errors
    /// As [`LiveData::delta`], plus [`Error::Empty`] and [`Error::RequestRemovesClass`].
    pub fn checked_delta(&self, objective: &Objective, edit: &Edit) -> Result<EditDelta> {
        let delta = self.delta(edit)?;
        if delta.n_after == 0 {
            return Err(Error::Empty {
                what: "training data after the request (it removes every row)",
            });
        }
        if objective.needs_every_class() {
            let counts = self.class_counts_after(&delta);
            if let Some(class) = counts.iter().position(|&c| c == 0) {
                return Err(Error::RequestRemovesClass {
                    class,
                    n_classes: counts.len(),
                });
            }
        }
        Ok(delta)
    }

    /// Applies a validated `edit` in place (call [`LiveData::delta`] first to validate it).
    pub fn commit(&mut self, edit: &Edit) {
        let (x, y) = self.data.parts_mut();
        edit.replace_features(x);
        for &(row, col, value) in &edit.cells {
            x[(row, col)] = value;
        }
        for &(row, label) in &edit.relabel {
            y[row] = label;
        }
        for &row in &edit.remove {
            if std::mem::replace(&mut self.active[row], false) {
                self.n_active -= 1;
            }
        }
    }
}
