//! Writes the benchmark datasets (scripts/bench/config.json) as raw files, so that the Python
//! comparison (scripts/bench/sklearn.py) times scikit-learn and numpy on bit-identical data.
//!
//! ```text
//! cargo run --release --example bench_data -- [out_dir] [size_id …]
//! ```
//!
//! For each size: `<id>.x.f64` (x row-major, n × d, little-endian f64), `<id>.y.f64` (y, n
//! values), and one `manifest.json` with n, d, the seed, the rows of the label and point
//! requests (`sample_indices(n, m, rowsSeed)`), the native θ* (λ = 1, tol = 1e-10) and the
//! native second-order results for both requests, so the script can check that it sees the same
//! data and computes the same update. Default out_dir: target/bench-data.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::json;
use unlearn::rng::sample_indices;
use unlearn::synth::make_classification;
use unlearn::{apply_edit, gradient_difference, second_order_update, train, Edit, TrainConfig};

#[path = "../benches/support/config.rs"]
mod config;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = config::load();
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "target/bench-data".into()));
    let only: Vec<String> = args.collect();
    fs::create_dir_all(&out)?;
    let train_config = TrainConfig {
        l2: config.l2,
        tol: config.tol,
        ..TrainConfig::default()
    };
    let mut entries = Vec::new();
    for size in &config.sizes {
        if !only.is_empty() && !only.contains(&size.id) {
            continue;
        }
        let start = Instant::now();
        let data = make_classification(size.n, size.d, config.seed);
        let x_file = format!("{}.x.f64", size.id);
        let y_file = format!("{}.y.f64", size.id);
        // nalgebra is column-major: write row by row.
        write_f64(
            &out.join(&x_file),
            (0..size.n).flat_map(|i| (0..size.d).map(move |j| (i, j))),
            |(i, j)| data.x()[(i, j)],
        )?;
        write_f64(&out.join(&y_file), 0..size.n, |i| data.y()[i])?;
        let (model, report) = train(&data, &train_config)?;
        let rows = sample_indices(size.n, config.request_rows, config.rows_seed).expect("rows");
        // The second-order update (H̃ rebuilt on D̃) for the label and the point request, for
        // the Python script to check its numpy implementation against.
        let objective = train_config.objective();
        let mut updated = Vec::new();
        for edit in [
            Edit {
                relabel: rows.iter().map(|&i| (i, 1.0 - data.y()[i])).collect(),
                ..Edit::default()
            },
            Edit {
                remove: rows.clone(),
                ..Edit::default()
            },
        ] {
            let applied = apply_edit(&data, &edit)?;
            let g = gradient_difference(&objective, &applied.delta, model.theta());
            let theta = second_order_update(&objective, &applied.edited, model.theta(), &g)?;
            updated.push(theta.as_slice().to_vec());
        }
        eprintln!(
            "{}: n = {}, d = {}, written and trained ({} Newton iterations) in {:.2} s",
            size.id,
            size.n,
            size.d,
            report.iterations,
            start.elapsed().as_secs_f64()
        );
        entries.push(json!({
            "id": size.id,
            "n": size.n,
            "d": size.d,
            "seed": config.seed,
            "x": x_file,
            "y": y_file,
            "rows": rows,
            "positives": data.y().sum(),
            "theta": model.theta().as_slice(),
            "secondOrderLabel": updated[0],
            "secondOrderPoint": updated[1],
            "trainIterations": report.iterations,
            "gradNorm": report.grad_norm,
        }));
    }
    let manifest = json!({
        "generator": "unlearn::synth::make_classification(n, d, seed)",
        "layout": "x: n × d row-major little-endian f64; y: n little-endian f64 in {0, 1}",
        "l2": config.l2,
        "tol": config.tol,
        "requestRows": config.request_rows,
        "rowsSeed": config.rows_seed,
        "sizes": entries,
    });
    fs::write(
        out.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)?,
    )?;
    eprintln!("manifest: {}", out.join("manifest.json").display());
    Ok(())
}

fn write_f64<I>(
    path: &Path,
    items: impl Iterator<Item = I>,
    value: impl Fn(I) -> f64,
) -> std::io::Result<()> {
    let mut file = BufWriter::with_capacity(1 << 20, File::create(path)?);
    for item in items {
        file.write_all(&value(item).to_le_bytes())?;
    }
    file.flush()
}
