//! A request as a caller writes it — `{features: [j…], featureValue, featureValues: [[j, value]…],
//! cells: [[row, feature, value]…], relabel: [[row, label]…], remove: [row…]}`, every key
//! optional — read into an [`Edit`], naming the exact place of anything malformed.

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::model_file::{short, Json};

/// The keys of a request.
pub const EDIT_KEYS: &[&str] = &[
    "features",
    "featureValue",
    "featureValues",
    "cells",
    "relabel",
    "remove",
];

impl Edit {
    /// The request `value` (null: the empty request).
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the key, the entry and what was expected there.
    pub fn from_json(value: &Json) -> Result<Edit> {
        let pairs = match value {
            Json::Null => return Ok(Edit::default()),
            Json::Other(what) if what == "undefined" => return Ok(Edit::default()),
            Json::Object(pairs) => pairs,
            other => return bad(format!("edit: {}, got {}", keys_expected(), other.kind())),
        };
        if let Some((key, _)) = pairs.iter().find(|(k, _)| !EDIT_KEYS.contains(&k.as_str())) {
            return bad(format!("edit: unknown key `{key}`; {}", keys_expected()));
        }
        let feature_value = match value.get("featureValue") {
            None => 0.0,
            Some(Json::Number(v)) => *v,
            Some(_) => return bad("edit.featureValue: expected a number".into()),
        };
        let cells = tuples(value, "cells", 3)?
            .into_iter()
            .enumerate()
            .map(|(k, t)| {
                let what = format!("edit.cells[{k}]");
                Ok((index(&what, t[0])?, index(&what, t[1])?, t[2]))
            })
            .collect::<Result<_>>()?;
        Ok(Edit {
            features: indices(value, "features")?,
            feature_value,
            feature_values: pairs_of(value, "featureValues")?,
            cells,
            relabel: pairs_of(value, "relabel")?,
            remove: indices(value, "remove")?,
        })
    }
}

fn bad<T>(message: String) -> Result<T> {
    Err(Error::Malformed(message))
}

fn keys_expected() -> String {
    format!("expected an object with keys {}", EDIT_KEYS.join(", "))
}

/// `[index, number]` pairs under `key`.
fn pairs_of(value: &Json, key: &str) -> Result<Vec<(usize, f64)>> {
    tuples(value, key, 2)?
        .into_iter()
        .enumerate()
        .map(|(k, t)| Ok((index(&format!("edit.{key}[{k}]"), t[0])?, t[1])))
        .collect()
}

/// An optional array of indices under `key`.
fn indices(value: &Json, key: &str) -> Result<Vec<usize>> {
    let Some(list) = value.get(key) else {
        return Ok(Vec::new());
    };
    let what = format!("edit.{key}");
    numbers(&what, list)?
        .iter()
        .enumerate()
        .map(|(k, &v)| index(&format!("{what}[{k}]"), v))
        .collect()
}

/// An optional array of `width`-number arrays under `key`.
fn tuples(value: &Json, key: &str, width: usize) -> Result<Vec<Vec<f64>>> {
    let what = format!("edit.{key}");
    let items = match value.get(key) {
        None => return Ok(Vec::new()),
        Some(Json::Array(items)) => items,
        Some(_) => {
            let shape = ["…"; 3][..width].join(", ");
            return bad(format!("{what}: expected an array of [{shape}] arrays"));
        }
    };
    items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let entry = format!("{what}[{k}]");
            let numbers = numbers(&entry, item)?;
            if numbers.len() == width {
                Ok(numbers)
            } else {
                bad(format!(
                    "{entry}: expected {width} numbers, got {}",
                    numbers.len()
                ))
            }
        })
        .collect()
}

/// An array whose every element is a number.
fn numbers(what: &str, value: &Json) -> Result<Vec<f64>> {
    let Json::Array(items) = value else {
        return bad(format!("{what}: expected an array, got {}", value.kind()));
    };
    items
        .iter()
        .enumerate()
        .map(|(k, v)| match v {
            Json::Number(n) => Ok(*n),
            other => bad(format!(
                "{what}[{k}]: expected a number, got {}",
                other.kind()
            )),
        })
        .collect()
}

/// A number as an index: whole, ≥ 0, below 2³².
fn index(what: &str, v: f64) -> Result<usize> {
    if v.fract() == 0.0 && (0.0..4_294_967_296.0).contains(&v) {
        Ok(v as usize)
    } else {
        bad(format!(
            "{what} = {} is not an index: expected a whole number ≥ 0",
            short(v)
        ))
    }
}
