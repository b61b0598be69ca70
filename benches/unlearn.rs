//! Native benchmarks (criterion): training, every unlearning method for a label and a point
//! request, a feature request, and the parts a request is made of (gradient, Hessian, Cholesky,
//! rank-one updates), on the sizes of scripts/bench/config.json. The browser page
//! (www/bench.html) and scripts/bench/sklearn.py run the same cases on the same data.
//!
//! ```text
//! cargo bench --bench unlearn                          # everything (about 10 minutes on 2 cores)
//! UNLEARN_BENCH_QUICK=1 cargo bench --bench unlearn    # the quick sizes only (1k × 10, Adult)
//! UNLEARN_BENCH_SIZES=adult,n10k_d50 cargo bench --bench unlearn
//! UNLEARN_BENCH_GROUPS=label,point cargo bench --bench unlearn   # train, fit, label, point, feature, parts
//! cargo bench --bench unlearn -- 'label/second_order/'  # criterion's own filter (a regex)
//! ```
//!
//! Every request is made on a clone of one fitted [`Unlearner`] (the clone is made outside the
//! timing, in criterion's batched setup), with `residual: false`, so each measurement starts
//! from the same state. Results: target/criterion/<group>/<function>/<size>/new/estimates.json.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
#[path = "support/config.rs"]
mod config;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::time::{Duration, Instant};

    use criterion::measurement::WallTime;
    use criterion::{BatchSize, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode};
    use nalgebra::DVector;
    use unlearn::rng::sample_indices;
    use unlearn::synth::make_classification;
    use unlearn::train::Silent;
    use unlearn::{
        train, Dataset, Edit, HessianPolicy, LiveData, Method, RequestOptions, TrainConfig,
        Unlearner, UnlearnerConfig, UpdateSettings,
    };

    const GROUPS: [&str; 6] = ["train", "fit", "label", "point", "feature", "parts"];

    /// A comma-separated environment variable, if set and not empty.
    fn env_list(name: &str) -> Option<Vec<String>> {
        let value = std::env::var(name).ok()?;
        let items: Vec<String> = value
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        (!items.is_empty()).then_some(items)
    }

    /// `second_order_refresh` is the second-order update with the Hessian rebuilt on D̃ (the
    /// paper's runtime); every other key is a [`Method`] with the kept factor reused.
    fn request_options(key: &str, steps: usize) -> RequestOptions {
        let (method, hessian) = match key {
            "second_order_refresh" => (Method::SecondOrder, HessianPolicy::Refresh),
            other => (
                Method::from_key(other).unwrap_or_else(|e| panic!("config.json: {e}")),
                HessianPolicy::Reuse,
            ),
        };
        RequestOptions {
            method,
            settings: UpdateSettings {
                steps,
                ..UpdateSettings::default()
            },
            hessian,
            residual: false,
        }
    }

    /// Criterion settings from one pilot run (setup plus routine): long operations get flat
    /// sampling with 10 single-iteration samples, short ones a brief warm-up and a fixed budget.
    fn configure(group: &mut BenchmarkGroup<'_, WallTime>, pilot: Duration, budget: Duration) {
        if pilot > Duration::from_millis(20) {
            group.sampling_mode(SamplingMode::Flat);
            group.warm_up_time(pilot.max(Duration::from_millis(1)));
            group.measurement_time(pilot.mul_f64(11.0));
        } else {
            group.sampling_mode(SamplingMode::Auto);
            group.warm_up_time(Duration::from_millis(200));
            group.measurement_time(budget);
        }
    }

    fn pilot<T>(f: impl FnOnce() -> T) -> (T, Duration) {
        let start = Instant::now();
        let out = f();
        (out, start.elapsed())
    }

    pub fn main() {
        let config = super::config::load();
        let quick = std::env::var("UNLEARN_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
        let sizes = env_list("UNLEARN_BENCH_SIZES").unwrap_or_else(|| {
            if quick {
                config.quick_sizes.clone()
            } else {
                config.sizes.iter().map(|s| s.id.clone()).collect()
            }
        });
        let methods = env_list("UNLEARN_BENCH_METHODS").unwrap_or_else(|| config.methods.clone());
        let groups = env_list("UNLEARN_BENCH_GROUPS")
            .unwrap_or_else(|| GROUPS.iter().map(|g| g.to_string()).collect());
        for name in sizes.iter() {
            assert!(
                config.sizes.iter().any(|s| &s.id == name),
                "unknown size {name}; known: {}",
                config
                    .sizes
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let budget = Duration::from_millis(if quick { 600 } else { 1000 });
        let mut c = Criterion::default()
            .sample_size(10)
            .nresamples(20_000)
            .without_plots()
            .configure_from_args();
        let train_config = TrainConfig {
            l2: config.l2,
            tol: config.tol,
            ..TrainConfig::default()
        };
        let unlearner_config = UnlearnerConfig {
            train: train_config,
            ..UnlearnerConfig::default()
        };
        for size in config.sizes.iter().filter(|s| sizes.contains(&s.id)) {
            let data = make_classification(size.n, size.d, config.seed);
            let rows = sample_indices(size.n, config.request_rows, config.rows_seed).expect("rows");
            let label = Edit {
                relabel: rows.iter().map(|&i| (i, 1.0 - data.y()[i])).collect(),
                ..Edit::default()
            };
            let point = Edit {
                remove: rows.clone(),
                ..Edit::default()
            };
            let feature = Edit {
                features: vec![0],
                ..Edit::default()
            };
            let skipped = config.skip.get(&size.id).cloned().unwrap_or_default();
            let id = size.id.as_str();
            eprintln!("== {id}: n = {}, d = {}", size.n, size.d);

            if groups.iter().any(|g| g == "train") {
                let mut group = c.benchmark_group("train");
                let (_, t) = pilot(|| train(&data, &train_config).expect("training"));
                configure(&mut group, t, budget);
                group.bench_with_input(BenchmarkId::new("newton", id), &data, |b, data| {
                    b.iter(|| train(black_box(data), &train_config).expect("training"))
                });
                group.finish();
            }

            let (fitted, t_fit) = pilot(|| {
                Unlearner::fit(data.clone(), unlearner_config, &mut Silent)
                    .expect("fitting the unlearner")
            });
            if groups.iter().any(|g| g == "fit") {
                let mut group = c.benchmark_group("fit");
                configure(&mut group, t_fit, budget);
                group.bench_with_input(BenchmarkId::new("unlearner", id), &data, |b, data| {
                    b.iter_batched(
                        || data.clone(),
                        |d| Unlearner::fit(d, unlearner_config, &mut Silent).expect("fitting"),
                        BatchSize::PerIteration,
                    )
                });
                group.finish();
            }

            for (kind, edit, keys) in [
                ("label", &label, &methods),
                ("point", &point, &methods),
                ("feature", &feature, &config.feature_methods),
            ] {
                if !groups.iter().any(|g| g == kind) {
                    continue;
                }
                let mut group = c.benchmark_group(kind);
                for key in keys {
                    if skipped.contains(key) {
                        eprintln!("{kind}/{key}/{id}: skipped (config.json)");
                        continue;
                    }
                    let options = request_options(key, config.steps);
                    let (outcome, t) = pilot(|| {
                        let mut u = fitted.clone();
                        u.request(edit, &options)
                    });
                    if let Err(e) = outcome {
                        eprintln!("{kind}/{key}/{id}: FAILED ({e}); not measured");
                        continue;
                    }
                    configure(&mut group, t, budget);
                    group.bench_with_input(BenchmarkId::new(key.as_str(), id), edit, |b, edit| {
                        b.iter_batched(
                            || fitted.clone(),
                            |mut u| {
                                let report = u.request(black_box(edit), &options);
                                (u, report)
                            },
                            BatchSize::PerIteration,
                        )
                    });
                }
                group.finish();
            }

            if groups.iter().any(|g| g == "parts") {
                parts(&mut c, id, &data, &fitted, &point, budget);
            }
        }
        c.final_summary();
    }

    /// The pieces requests and training are made of, for the profile in BENCHMARKS.md.
    fn parts(
        c: &mut Criterion,
        id: &str,
        data: &Dataset,
        fitted: &Unlearner,
        point: &Edit,
        budget: Duration,
    ) {
        let objective = fitted.objective().clone();
        let theta = fitted.model().theta().clone();
        let mut group = c.benchmark_group("parts");
        group.sampling_mode(SamplingMode::Auto);
        group.warm_up_time(Duration::from_millis(200));
        group.measurement_time(budget / 2);
        group.bench_function(BenchmarkId::new("margins", id), |b| {
            b.iter(|| objective.margins(black_box(data.x()), &theta, data.n_classes()))
        });
        group.bench_function(BenchmarkId::new("gradient", id), |b| {
            b.iter(|| objective.gradient(black_box(data), &theta))
        });
        group.bench_function(BenchmarkId::new("loss", id), |b| {
            b.iter(|| objective.loss(black_box(data), &theta))
        });
        let (hessian, t) = pilot(|| objective.hessian(data, &theta));
        configure(&mut group, t, budget / 2);
        group.bench_function(BenchmarkId::new("hessian", id), |b| {
            b.iter(|| objective.hessian(black_box(data), &theta))
        });
        group.sampling_mode(SamplingMode::Auto);
        group.warm_up_time(Duration::from_millis(200));
        group.measurement_time(budget / 2);
        group.bench_function(BenchmarkId::new("cholesky", id), |b| {
            b.iter_batched(
                || hessian.clone(),
                |h| h.cholesky().expect("positive definite"),
                BatchSize::SmallInput,
            )
        });
        let factor = hessian.clone().cholesky().expect("positive definite");
        let v = DVector::from_element(theta.len(), 1.0);
        group.bench_function(BenchmarkId::new("solve", id), |b| {
            b.iter(|| factor.solve(black_box(&v)))
        });
        // The point request's factor update: 100 rank-one downdates of the p × p factor.
        let removed: Vec<(DVector<f64>, f64)> = point
            .remove
            .iter()
            .map(|&i| {
                let mut row = DVector::from_element(theta.len(), 1.0);
                row.rows_mut(0, data.n_features())
                    .copy_from(&data.x().row(i).transpose());
                let s = unlearn::objective::sigmoid(row.dot(&theta));
                (row, -s * (1.0 - s))
            })
            .collect();
        group.bench_function(BenchmarkId::new("rank_one_downdates", id), |b| {
            b.iter_batched(
                || factor.clone(),
                |mut f| {
                    for (row, sigma) in &removed {
                        f.rank_one_update(row, *sigma);
                    }
                    f
                },
                BatchSize::SmallInput,
            )
        });
        let live = LiveData::new(data.clone());
        group.bench_function(BenchmarkId::new("delta", id), |b| {
            b.iter(|| live.delta(black_box(point)).expect("valid edit"))
        });
        let (_, t) = pilot(|| live.materialise());
        configure(&mut group, t, budget / 2);
        group.bench_function(BenchmarkId::new("materialise", id), |b| {
            b.iter(|| live.materialise())
        });
        let (_, t) = pilot(|| fitted.clone());
        configure(&mut group, t, budget / 2);
        group.bench_function(BenchmarkId::new("clone_unlearner", id), |b| {
            b.iter(|| fitted.clone())
        });
        group.finish();
    }
}
