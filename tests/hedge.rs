//! The hedging path θ(ε) between θ* and the retrained model.

mod common;

use common::*;
use unlearn::prepare::prepare;
use unlearn::train::Silent;
use unlearn::{CompareOptions, Edit, Experiment, Method, TrainConfig, UpdateSettings};

fn experiment() -> Experiment {
    let prepared = prepare(&breast_cancer(), 0.2, 42).unwrap();
    let config = TrainConfig {
        tol: 1e-12,
        ..TrainConfig::default()
    };
    Experiment::new(prepared.train, prepared.test, config, &mut Silent).unwrap()
}

#[test]
fn path_runs_from_theta_star_to_the_retrained_model() {
    let experiment = experiment();
    let edit = Edit {
        features: vec![0, 1],
        relabel: vec![(5, 1.0)],
        remove: vec![10, 20],
        ..Edit::default()
    };
    let settings = UpdateSettings::default();
    let epsilons: Vec<f64> = (0..=10).map(|k| k as f64 / 10.0).collect();
    let path = experiment
        .hedging_path(&edit, &settings, &epsilons, &mut Silent)
        .unwrap();
    let options = CompareOptions {
        settings,
        min_timing_seconds: 0.0,
        methods: Method::CORE.to_vec(),
    };
    let c = experiment
        .compare(&edit, &options, &mut no_clock())
        .unwrap();
    let star = experiment.model().theta();
    let (start, end) = (&path[0], &path[10]);
    assert_close("θ(0) = θ*", &start.exact, star, 1e-10);
    assert_eq!(start.iterations, 0);
    assert_close(
        "θ(1) = retrained",
        &end.exact,
        &c.outcome(Method::Retrain).unwrap().theta,
        1e-8,
    );
    assert_close("lines start at θ*", &start.second_order, star, 0.0);
    assert_close(
        "first-order line ends at the update",
        &end.first_order,
        &c.outcome(Method::FirstOrder).unwrap().theta,
        1e-12,
    );
    assert_close(
        "second-order line ends at the update",
        &end.second_order,
        &c.outcome(Method::SecondOrder).unwrap().theta,
        1e-12,
    );
    assert_eq!(start.distance, (0.0, 0.0));
    assert!(path
        .iter()
        .all(|p| p.distance.0.is_finite() && p.residual.1.is_finite()));
}

#[test]
fn bad_epsilons_are_refused() {
    let experiment = experiment();
    let edit = Edit {
        remove: vec![3],
        ..Edit::default()
    };
    for bad in [
        vec![-0.1, 0.5],
        vec![0.5, 1.5],
        vec![0.6, 0.2],
        vec![f64::NAN],
    ] {
        assert!(
            experiment
                .hedging_path(&edit, &UpdateSettings::default(), &bad, &mut Silent)
                .is_err(),
            "{bad:?}"
        );
    }
}

#[test]
fn path_points_match_weighted_scikit_learn_fits() {
    // tests/fixtures/hedge.json: scikit-learn LogisticRegression(sample_weight = hedge weights).
    let fixture = fixture("hedge.json");
    let experiment = experiment();
    let e = &fixture["edit"];
    let edit = Edit {
        features: indices(&e["features"]),
        relabel: e["relabel"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_u64().unwrap() as usize, num(&p[1])))
            .collect(),
        remove: indices(&e["remove"]),
        ..Edit::default()
    };
    let points = fixture["points"].as_array().unwrap();
    let epsilons: Vec<f64> = points.iter().map(|p| num(&p["epsilon"])).collect();
    let path = experiment
        .hedging_path(&edit, &UpdateSettings::default(), &epsilons, &mut Silent)
        .unwrap();
    for (point, want) in path.iter().zip(points) {
        assert_close(
            &format!("θ({})", point.epsilon),
            &point.exact,
            &vector(&want["theta"]),
            1e-6,
        );
    }
}
