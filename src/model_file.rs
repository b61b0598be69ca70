//! The exported model file, `{format: "unlearn-model", version: 1, theta, nFeatures, nClasses,
//! fitIntercept, coef?, intercepts?}`, and its checks: a file is read key by key, and anything
//! wrong is refused with the key (and the index) at fault and how to fix it.

use crate::error::{Error, Result};
use crate::limits::MAX_VALUES;
use crate::model::Model;
use crate::objective::{outputs, Objective};

/// The format tag of exported models.
pub const FORMAT: &str = "unlearn-model";

/// The keys of an exported model.
pub const KEYS: &[&str] = &[
    "format",
    "version",
    "theta",
    "nFeatures",
    "nClasses",
    "fitIntercept",
    "coef",
    "intercepts",
];

/// The most classes a model may have.
pub const MAX_CLASSES: usize = 1000;

/// What an exported model holds: the keys and, in brackets, the optional ones.
const SHAPE: &str = "expected the object that toJSON() returns: {format: \"unlearn-model\", \
                     version: 1, theta, nFeatures, nClasses, fitIntercept} (coef and intercepts \
                     optional)";

/// A value as a file (or a JavaScript object) holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null` (or a missing value).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (which JavaScript may hold as NaN or ±Infinity).
    Number(f64),
    /// A string.
    String(String),
    /// An array (or a typed array).
    Array(Vec<Json>),
    /// An object, its keys in order.
    Object(Vec<(String, Json)>),
    /// Anything else, by what it is ("a function").
    Other(String),
}

impl Json {
    /// The value under `key` of an object (`None` when absent or null).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(pairs) => pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .filter(|v| **v != Json::Null),
            _ => None,
        }
    }

    /// What the value is, for a message: "a string", "an array", "null", …
    pub fn kind(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(_) => "a boolean".into(),
            Json::Number(_) => "a number".into(),
            Json::String(_) => "a string".into(),
            Json::Array(_) => "an array".into(),
            Json::Object(_) => "an Object".into(),
            Json::Other(what) => what.clone(),
        }
    }
}

/// A model from the object `toJSON()` wrote.
///
/// # Errors
/// [`Error::ModelFile`] naming the key or entry that is wrong and how to fix it.
pub fn read_model(file: &Json) -> Result<Model> {
    read(file).map_err(|why| Error::ModelFile { why })
}

fn read(file: &Json) -> std::result::Result<Model, String> {
    let Json::Object(pairs) = file else {
        return Err(format!("got {}, not a model; {SHAPE}", file.kind()));
    };
    if let Some((key, _)) = pairs.iter().find(|(k, _)| !KEYS.contains(&k.as_str())) {
        return Err(format!(
            "unknown key `{key}`; the keys of an exported model are {}",
            KEYS.join(", ")
        ));
    }
    check_format(file)?;
    let n_features = match file.get("nFeatures") {
        None => {
            return Err("the key `nFeatures` is missing; expected the number of features d".into())
        }
        Some(v) => whole("nFeatures", v, 1, MAX_VALUES)?,
    };
    let n_classes = file
        .get("nClasses")
        .map_or(Ok(2), |v| whole("nClasses", v, 2, MAX_CLASSES))?;
    let fit_intercept = match file.get("fitIntercept") {
        None => true,
        Some(Json::Bool(b)) => *b,
        Some(v) => {
            return Err(format!(
                "fitIntercept is {}; expected true or false",
                v.kind()
            ))
        }
    };
    let shape = format!(
        "nFeatures = {n_features}, nClasses = {n_classes} and fitIntercept = {fit_intercept}"
    );
    let weights = n_features
        .checked_mul(outputs(n_classes))
        .filter(|&w| w <= MAX_VALUES)
        .ok_or_else(|| {
            format!(
                "a model with {shape} would have more than {MAX_VALUES} weights; check nFeatures \
                 and nClasses"
            )
        })?;
    let model = theta(file, n_features, n_classes, fit_intercept, &shape)?;
    // `coef` and `intercepts` repeat θ for reading; a file where they say something else was
    // edited by hand or by another program, and which of the two it meant is unknown.
    if let Some(coef) = file.get("coef") {
        agrees(
            "coef",
            "weights",
            &finite_numbers("coef", coef)?,
            model.coef(),
            0,
            &shape,
        )?;
    }
    if let Some(intercepts) = file.get("intercepts") {
        let got = finite_numbers("intercepts", intercepts)?;
        let start = fit_intercept.then_some(weights);
        agrees_intercepts(&got, &model.intercepts(), start, &shape)?;
    }
    Ok(model)
}

fn check_format(file: &Json) -> std::result::Result<(), String> {
    match file.get("format") {
        Some(Json::String(f)) if f == FORMAT => {}
        other => {
            let got = match other {
                Some(Json::String(text)) => format!("format is {}", quoted(text)),
                None => "the key `format` is missing".into(),
                Some(v) => format!("format is {}", v.kind()),
            };
            return Err(format!(
                "{got}, so this is not an exported model; expected format \"{FORMAT}\" (the \
                 object that toJSON() returns)"
            ));
        }
    }
    match file.get("version") {
        Some(Json::Number(v)) if *v == 1.0 => Ok(()),
        other => {
            let got = match other {
                Some(Json::Number(v)) => format!("version {} is not supported", short(*v)),
                None => "the key `version` is missing".into(),
                Some(v) => format!("version is {}", v.kind()),
            };
            Err(format!(
                "{got}; expected version 1 (export the model again with this version of unlearn)"
            ))
        }
    }
}

/// θ, of the length the shape asks for.
fn theta(
    file: &Json,
    n_features: usize,
    n_classes: usize,
    fit_intercept: bool,
    shape: &str,
) -> std::result::Result<Model, String> {
    let expected = Objective::new(0.0, fit_intercept).n_params(n_features, n_classes);
    let theta = match file.get("theta") {
        None => {
            return Err(format!(
                "the key `theta` is missing; expected the {expected} parameters as an array of \
                 numbers"
            ))
        }
        Some(v) => finite_numbers("theta", v)?,
    };
    if theta.len() != expected {
        return Err(format!(
            "theta holds {} numbers, but a model with {shape} has {expected} parameters; check \
             nFeatures, nClasses and fitIntercept, or export the model again",
            theta.len()
        ));
    }
    let theta = nalgebra::DVector::from_vec(theta);
    Model::from_theta(theta, n_features, n_classes, fit_intercept).map_err(|e| e.to_string())
}

/// How the fix of a disagreeing `coef` or `intercepts` reads.
const REPEATS_THETA: &str = "coef and intercepts only repeat theta for reading (the model uses \
                             theta), so correct them or delete both keys";

/// `what` (with `noun` entries) equals its part of θ, which starts at `theta[offset]`.
fn agrees(
    what: &str,
    noun: &str,
    got: &[f64],
    expected: &[f64],
    offset: usize,
    shape: &str,
) -> std::result::Result<(), String> {
    if got.len() != expected.len() {
        return Err(format!(
            "{what} holds {} numbers, but a model with {shape} has {} {noun}; {REPEATS_THETA}",
            got.len(),
            expected.len()
        ));
    }
    match got.iter().zip(expected).position(|(&a, &b)| !same(a, b)) {
        Some(k) => Err(format!(
            "{what}[{k}] = {} disagrees with theta[{}] = {}; {REPEATS_THETA}",
            short(got[k]),
            offset + k,
            short(expected[k])
        )),
        None => Ok(()),
    }
}

/// `intercepts` equals the intercepts of θ (from `theta[start]`), or zeros without intercepts.
fn agrees_intercepts(
    got: &[f64],
    expected: &[f64],
    start: Option<usize>,
    shape: &str,
) -> std::result::Result<(), String> {
    if let Some(start) = start {
        let noun = if expected.len() == 1 {
            "intercept"
        } else {
            "intercepts"
        };
        return agrees("intercepts", noun, got, expected, start, shape);
    }
    if got.len() != expected.len() {
        return Err(format!(
            "intercepts holds {} numbers, but a model with {shape} has {} (all 0); \
             {REPEATS_THETA}",
            got.len(),
            expected.len()
        ));
    }
    match got.iter().position(|&v| v != 0.0) {
        Some(k) => Err(format!(
            "intercepts[{k}] = {}, but fitIntercept is false, so every intercept is 0; \
             {REPEATS_THETA}",
            short(got[k])
        )),
        None => Ok(()),
    }
}

/// Equal, or within a relative 1e-9 (a file written with fewer digits than a double has).
fn same(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// An array of finite numbers, the first offending entry named.
fn finite_numbers(what: &str, value: &Json) -> std::result::Result<Vec<f64>, String> {
    let Json::Array(items) = value else {
        return Err(format!(
            "{what} is {}; expected an array of numbers",
            value.kind()
        ));
    };
    if items.len() > MAX_VALUES {
        return Err(format!("{what} holds more than {MAX_VALUES} numbers"));
    }
    let mut numbers = Vec::with_capacity(items.len());
    for (k, item) in items.iter().enumerate() {
        match item {
            Json::Number(v) if v.is_finite() => numbers.push(*v),
            Json::Number(v) => {
                let (name, hint) = match *v {
                    v if v.is_nan() => ("NaN", ""),
                    v if v > 0.0 => ("Infinity", TOO_LARGE),
                    _ => ("-Infinity", TOO_LARGE),
                };
                return Err(format!(
                    "{what}[{k}] is {name}, not a finite number{hint}; every entry of {what} \
                     must be a finite number"
                ));
            }
            other => {
                return Err(format!(
                    "{what}[{k}] is {}, not a number; every entry of {what} must be a finite \
                     number",
                    other.kind()
                ))
            }
        }
    }
    Ok(numbers)
}

const TOO_LARGE: &str = " (a number too large for a double, such as 1e999, reads as Infinity)";

/// A whole number in `[min, max]` under `key`.
fn whole(key: &str, value: &Json, min: usize, max: usize) -> std::result::Result<usize, String> {
    match value {
        Json::Number(v) if v.fract() == 0.0 && *v >= min as f64 && *v <= max as f64 => {
            Ok(*v as usize)
        }
        Json::Number(v) => Err(format!(
            "{key} = {} is invalid: expected a whole number from {min} to {max}",
            short(*v)
        )),
        other => Err(format!(
            "{key} is {}; expected a whole number from {min} to {max}",
            other.kind()
        )),
    }
}

/// A number for a message: plain when short, in exponent form when huge or tiny.
pub fn short(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e15 || v.abs() < 1e-6) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// A string from a file for a message: quoted, and cut short when long.
fn quoted(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("\"{head}…\"")
    } else {
        format!("\"{head}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(pairs: &[(&str, Json)]) -> Json {
        Json::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn numbers(v: &[f64]) -> Json {
        Json::Array(v.iter().map(|&x| Json::Number(x)).collect())
    }

    #[test]
    fn a_file_reads_and_its_copies_of_theta_must_agree() {
        let good = file(&[
            ("format", Json::String(FORMAT.into())),
            ("version", Json::Number(1.0)),
            ("theta", numbers(&[0.5, -1.0, 2.0])),
            ("nFeatures", Json::Number(2.0)),
            ("coef", numbers(&[0.5, -1.0])),
            ("intercepts", numbers(&[2.0])),
        ]);
        let model = read_model(&good).unwrap();
        assert_eq!(model.coef(), &[0.5, -1.0]);
        let Json::Object(mut pairs) = good else {
            unreachable!()
        };
        pairs[4].1 = numbers(&[0.5, -1.5]);
        let err = read_model(&Json::Object(pairs)).unwrap_err().to_string();
        assert!(
            err.starts_with("model: coef[1] = -1.5 disagrees with theta[1] = -1"),
            "{err}"
        );
    }

    #[test]
    fn every_mistake_is_named() {
        let base = |theta: Json| {
            file(&[
                ("format", Json::String(FORMAT.into())),
                ("version", Json::Number(1.0)),
                ("nFeatures", Json::Number(1.0)),
                ("theta", theta),
            ])
        };
        let cases = [
            (Json::Array(vec![]), "got an array, not a model"),
            (base(numbers(&[1.0])), "theta holds 1 numbers"),
            (
                base(Json::Array(vec![Json::Number(1.0), Json::Null])),
                "theta[1] is null",
            ),
            (
                base(numbers(&[f64::INFINITY, 1.0])),
                "theta[0] is Infinity, not a finite number",
            ),
            (
                base(Json::String("1,2".into())),
                "theta is a string; expected an array",
            ),
        ];
        for (value, want) in cases {
            let got = read_model(&value).unwrap_err().to_string();
            assert!(got.contains(want), "{got:?} lacks {want:?}");
        }
    }
}
