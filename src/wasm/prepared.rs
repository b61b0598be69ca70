//! `prepareTable`: the seeded split and standardisation the demo applies to a raw table, for
//! callers that train with `Unlearner` (or anything else) afterwards.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::convert::{self, numbers, parse, pick, seed, to_js};
use crate::data::Dataset;
use crate::prepare::{prepare_except, unit_rows, PreparedData};

/// Keys of the split options.
pub(super) const SPLIT_KEYS: &[&str] = &["testFraction", "seed", "unitRows", "unscaledColumns"];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct SplitInput {
    test_fraction: f64,
    seed: f64,
    unit_rows: bool,
    unscaled_columns: Vec<f64>,
}

impl Default for SplitInput {
    fn default() -> Self {
        Self {
            test_fraction: crate::prepare::DEFAULT_TEST_FRACTION,
            seed: crate::prepare::DEFAULT_SPLIT_SEED as f64,
            unit_rows: false,
            unscaled_columns: Vec::new(),
        }
    }
}

/// The split options, from an options object that may hold other keys too.
pub(super) struct SplitOptions {
    pub(super) test_fraction: f64,
    pub(super) seed: u64,
    pub(super) unit_rows: bool,
    pub(super) unscaled: Vec<usize>,
}

pub(super) fn split_options(options: &JsValue) -> Result<SplitOptions, JsError> {
    let input: SplitInput = parse("options", pick(options, SPLIT_KEYS)?, SPLIT_KEYS)?;
    let unscaled = input
        .unscaled_columns
        .iter()
        .enumerate()
        .map(|(k, &v)| convert::index(&format!("options.unscaledColumns[{k}]"), v))
        .collect::<Result<_, _>>()?;
    Ok(SplitOptions {
        test_fraction: input.test_fraction,
        seed: seed(input.seed)?,
        unit_rows: input.unit_rows,
        unscaled,
    })
}

/// Splits and standardises `data` as the options say.
pub(super) fn split(data: &Dataset, options: &SplitOptions) -> Result<PreparedData, JsError> {
    let mut prepared =
        prepare_except(data, options.test_fraction, options.seed, &options.unscaled)?;
    if options.unit_rows {
        prepared.train = unit_rows(&prepared.train);
        prepared.test = unit_rows(&prepared.test);
    }
    Ok(prepared)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PreparedView {
    x_train: Vec<f64>,
    y_train: Vec<f64>,
    x_test: Vec<f64>,
    y_test: Vec<f64>,
    train_rows: Vec<usize>,
    test_rows: Vec<usize>,
    mean: Vec<f64>,
    scale: Vec<f64>,
    constant_columns: Vec<usize>,
    n_features: usize,
}

/// Splits a raw table (row-major `x`, n × d; labels in {0,1}) with a seeded shuffle and
/// standardises both parts with the training mean and standard deviation. Options: `testFraction`
/// (0.2), `seed` (42), `unscaledColumns` ([]: columns left as they are, e.g. one-hot columns),
/// `unitRows` (false: if true, every row is then scaled to unit Euclidean norm, as certified
/// unlearning requires). Returns `{xTrain, yTrain, xTest, yTest, trainRows,
/// testRows, mean, scale, constantColumns, nFeatures}` with row-major feature arrays;
/// `constantColumns` are constant on the training split (up to round-off) and map to 0.
#[wasm_bindgen(js_name = prepareTable)]
pub fn prepare_table(
    #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] x: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] y: JsValue,
    n_features: f64,
    options: JsValue,
) -> Result<JsValue, JsError> {
    let (x, y) = (numbers("x", &x)?, numbers("y", &y)?);
    let n_features = convert::n_features(n_features)?;
    let _: SplitInput = parse("options", options.clone(), SPLIT_KEYS)?;
    let options = split_options(&options)?;
    let data = convert::table(&x, &y, n_features)?;
    let prepared = split(&data, &options)?;
    let (train, test) = (&prepared.train, &prepared.test);
    to_js(&PreparedView {
        x_train: row_major(train),
        y_train: train.y().as_slice().to_vec(),
        x_test: row_major(test),
        y_test: test.y().as_slice().to_vec(),
        train_rows: prepared.split.train,
        test_rows: prepared.split.test,
        mean: prepared.standardizer.mean.as_slice().to_vec(),
        scale: prepared.standardizer.scale.as_slice().to_vec(),
        constant_columns: prepared.standardizer.constant,
        n_features,
    })
}

/// The rows of `data` as one row-major array.
pub(super) fn row_major(data: &Dataset) -> Vec<f64> {
    data.x().transpose().as_slice().to_vec()
}
