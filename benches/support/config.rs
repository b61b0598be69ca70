//! The benchmark configuration (scripts/bench/config.json), shared by the criterion benches and
//! examples/bench_data.rs, so both measure the same sizes and requests.

use serde::Deserialize;

/// The whole configuration; every reader takes the fields it needs.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // each reader uses its own part
pub struct Config {
    pub seed: u64,
    pub rows_seed: u64,
    pub request_rows: usize,
    pub l2: f64,
    pub tol: f64,
    pub steps: usize,
    pub sizes: Vec<Size>,
    pub quick_sizes: Vec<String>,
    pub methods: Vec<String>,
    pub feature_methods: Vec<String>,
    pub skip: std::collections::BTreeMap<String, Vec<String>>,
}

/// One problem size: n rows × d features.
#[derive(Deserialize)]
pub struct Size {
    pub id: String,
    pub n: usize,
    pub d: usize,
}

/// The configuration file, parsed.
pub fn load() -> Config {
    serde_json::from_str(include_str!("../../scripts/bench/config.json")).expect("bench config")
}
