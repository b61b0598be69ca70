//! The JavaScript boundary under wasm32 (run by wasm-bindgen-test-runner in Node): results
//! arrive as plain objects, bad input arrives as a JS `Error` with a message, and the session
//! keeps working after every failure.
#![cfg(target_arch = "wasm32")]

#[path = "support/normality.rs"]
mod normality;

use js_sys::{Array, Reflect};
use unlearn::wasm::{random_seed, sample_rows, Model, Session, Unlearner};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// 40 rows, 3 features, overlapping classes (row-major).
fn table() -> (Vec<f64>, Vec<f64>) {
    let mut x = Vec::new();
    let mut y = Vec::new();
    for i in 0..40 {
        let t = i as f64;
        x.extend_from_slice(&[(t * 0.37).sin() * 3.0, (t * 0.11).cos(), t / 40.0]);
        y.push(f64::from((t * 0.37).sin() + 0.3 * (t * 1.7).cos() > 0.0));
    }
    (x, y)
}

/// A Float64Array with `values`.
fn arr(values: &[f64]) -> JsValue {
    js_sys::Float64Array::from(values).into()
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn numbers(values: &[f64]) -> JsValue {
    values
        .iter()
        .map(|&v| JsValue::from_f64(v))
        .collect::<Array>()
        .into()
}

/// The message of the JS `Error` a failed call produced.
fn message(err: wasm_bindgen::JsError) -> String {
    let value: JsValue = err.into();
    assert!(
        value.is_instance_of::<js_sys::Error>(),
        "a JS Error instance"
    );
    value.unchecked_into::<js_sys::Error>().message().into()
}

fn session() -> Session {
    let (x, y) = table();
    Session::from_table(
        arr(&x),
        arr(&y),
        3.0,
        object(&[("l2", 0.5.into()), ("seed", 7.0.into())]),
    )
    .unwrap()
}

fn remove_rows(rows: &[f64]) -> JsValue {
    object(&[("remove", numbers(rows))])
}

#[wasm_bindgen_test]
fn trains_and_compares_with_plain_objects() {
    let s = session();
    assert_eq!(s.coef().len(), 3);
    assert_eq!(s.theta().len(), 4);
    assert_eq!(s.train_rows().len() + s.test_rows().len(), 40);
    let report = s.train_report().unwrap();
    assert!(get(&report, "gradNorm").as_f64().unwrap() <= 1e-10);
    assert_eq!(get(&report, "nTrain").as_f64(), Some(32.0));

    let result = s
        .compare(remove_rows(&[0.0, 5.0]), JsValue::UNDEFINED)
        .unwrap();
    let methods: Array = get(&result, "methods").unchecked_into();
    let keys: Vec<String> = methods
        .iter()
        .map(|m| get(&m, "method").as_string().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "lazy",
            "first_order",
            "second_order",
            "retrain_warm",
            "retrain"
        ]
    );
    let distance = |i: u32| get(&methods.get(i), "distanceToRetrain").as_f64().unwrap();
    assert_eq!(distance(4), 0.0);
    assert!(
        distance(2) < distance(0),
        "second-order is closer to retraining than no update"
    );
    assert!(
        get(&methods.get(0), "speedup").is_null(),
        "lazy has no speed-up"
    );
    assert!(get(&methods.get(2), "seconds").as_f64().unwrap() > 0.0);
}

#[wasm_bindgen_test]
fn bad_input_raises_errors_and_the_session_keeps_working() {
    let (x, y) = table();
    let s = session();
    let reference = get(
        &s.compare(remove_rows(&[3.0]), JsValue::NULL).unwrap(),
        "affected",
    );
    let theta = s.theta();

    let errors = [
        Session::from_table(arr(&x[1..]), arr(&y), 3.0, JsValue::UNDEFINED)
            .err()
            .map(message),
        Session::from_table(arr(&x), arr(&y[1..]), 3.0, JsValue::UNDEFINED)
            .err()
            .map(message),
        Session::from_table(arr(&x), arr(&vec![1.0; 40]), 3.0, JsValue::UNDEFINED)
            .err()
            .map(message),
        Session::from_table(
            arr(&x),
            arr(&[vec![0.5], y[1..].to_vec()].concat()),
            3.0,
            JsValue::UNDEFINED,
        )
        .err()
        .map(message),
        Session::from_table(
            arr(&[vec![f64::NAN], x[1..].to_vec()].concat()),
            arr(&y),
            3.0,
            JsValue::UNDEFINED,
        )
        .err()
        .map(message),
        Session::from_table(arr(&x), arr(&y), 3.0, object(&[("l2", (-1.0).into())]))
            .err()
            .map(message),
        Session::from_table(arr(&x), arr(&y), 3.0, object(&[("lambda", 1.0.into())]))
            .err()
            .map(message),
        Session::from_table(arr(&x), arr(&y), 3.0, object(&[("seed", 1.5.into())]))
            .err()
            .map(message),
        Session::from_table(arr(&x), arr(&y), 0.0, JsValue::UNDEFINED)
            .err()
            .map(message),
        s.compare(remove_rows(&[32.0]), JsValue::UNDEFINED)
            .err()
            .map(message),
        s.compare(remove_rows(&[-1.0]), JsValue::UNDEFINED)
            .err()
            .map(message),
        s.compare(object(&[("features", numbers(&[3.0]))]), JsValue::UNDEFINED)
            .err()
            .map(message),
        s.compare(object(&[("relabel", numbers(&[1.0]))]), JsValue::UNDEFINED)
            .err()
            .map(message),
        s.compare(JsValue::from_str("remove row 3"), JsValue::UNDEFINED)
            .err()
            .map(message),
        s.compare(remove_rows(&[1.0]), object(&[("tau", (-1.0).into())]))
            .err()
            .map(message),
        s.predict_proba(arr(&[1.0, 2.0])).err().map(message),
    ];
    let expected = [
        "cannot be split into rows",
        "labels: expected 40 labels (one per row of x), got 39",
        "every training row has label 1",
        "row 0 has label 0.5, but labels must be 0 or 1",
        "row 0, column 0 is NaN or infinite",
        "λ (l2) = -1 is invalid",
        "unknown key `lambda`",
        "seed = 1.5 is invalid",
        "nFeatures = 0 is invalid",
        "index 32 is out of range",
        "edit.remove[0] = -1 is not an index",
        "features to forget: index 3 is out of range",
        "edit.relabel[0]: expected an array, got a number",
        "edit: expected an object",
        "τ (unlearning rate) = -1 is invalid",
        "cannot be split into rows of 3 features",
    ];
    for (got, want) in errors.into_iter().zip(expected) {
        let got = got.unwrap_or_else(|| panic!("expected an error containing {want:?}"));
        assert!(got.contains(want), "{got:?} should contain {want:?}");
    }

    assert_eq!(s.theta(), theta, "the model is unchanged");
    let again = get(
        &s.compare(remove_rows(&[3.0]), JsValue::NULL).unwrap(),
        "affected",
    );
    assert_eq!(
        Array::from(&again).to_vec().len(),
        Array::from(&reference).to_vec().len()
    );
    assert_eq!(s.predict_proba(arr(&[0.0, 0.0, 0.0])).unwrap().len(), 1);
}

#[wasm_bindgen_test]
fn a_failing_method_is_reported_without_hiding_the_others() {
    // λ = 0 and a column that becomes all zeros after the edit: H̃ is singular.
    let (x, y) = table();
    let s = Session::from_table(arr(&x), arr(&y), 3.0, object(&[("l2", 0.0.into())])).unwrap();
    let result = s
        .compare(object(&[("features", numbers(&[2.0]))]), JsValue::UNDEFINED)
        .unwrap();
    let methods: Array = get(&result, "methods").unchecked_into();
    let second = methods.get(2);
    assert_eq!(get(&second, "method").as_string().unwrap(), "second_order");
    assert!(get(&second, "error")
        .as_string()
        .unwrap()
        .contains("numerically singular"));
    assert!(get(&second, "residual").is_null());
    assert!(
        get(&methods.get(1), "residual").as_f64().is_some(),
        "first-order still reported"
    );
}

#[wasm_bindgen_test]
fn malformed_arguments_are_named() {
    let (x, y) = table();
    let s = session();
    let nested =
        |v: &[&[f64]]| -> JsValue { v.iter().map(|row| numbers(row)).collect::<Array>().into() };
    let strings: JsValue = ["1", "2", "3"]
        .iter()
        .map(|v| JsValue::from_str(v))
        .collect::<Array>()
        .into();
    let huge = object(&[("length", 1e9.into())]);
    let errors = [
        Session::from_table(JsValue::NULL, arr(&y), 3.0, JsValue::UNDEFINED)
            .err()
            .map(message),
        Session::from_table(strings.clone(), arr(&y), 3.0, JsValue::UNDEFINED)
            .err()
            .map(message),
        Session::from_table(huge, arr(&y), 3.0, JsValue::UNDEFINED)
            .err()
            .map(message),
        Session::from_table(arr(&x), arr(&y), 1.5, JsValue::UNDEFINED)
            .err()
            .map(message),
        Session::from_table(arr(&x), arr(&y), -1.0, JsValue::UNDEFINED)
            .err()
            .map(message),
        s.compare(object(&[("features", 0.0.into())]), JsValue::UNDEFINED)
            .err()
            .map(message),
        s.compare(
            object(&[("relabel", nested(&[&[0.0, 0.0, 2.0]]))]),
            JsValue::UNDEFINED,
        )
        .err()
        .map(message),
        s.compare(remove_rows(&[1e300]), JsValue::UNDEFINED)
            .err()
            .map(message),
        s.compare(remove_rows(&[4.0, 4.0]), JsValue::UNDEFINED)
            .err()
            .map(message),
        s.compare(object(&[("remove", strings)]), JsValue::UNDEFINED)
            .err()
            .map(message),
        s.predict_proba(object(&[])).err().map(message),
        sample_rows(-1.0, 3.0, 1.0).err().map(message),
        sample_rows(5.0, 10.0, 1.0).err().map(message),
    ];
    let expected = [
        "x: missing; expected a Float64Array or an array of numbers",
        "x[0]: expected a number, got a string",
        "exceed the limit of 50000000 values",
        "nFeatures = 1.5 is invalid",
        "nFeatures = -1 is invalid",
        "edit.features: expected an array, got a number",
        "edit.relabel[0]: expected 2 numbers, got 3",
        "edit.remove[0] = 1e300 is not an index",
        "rows to remove: index 4 appears more than once",
        "edit.remove[0]: expected a number, got a string",
        "x: expected a Float64Array or an array of numbers, got an Object",
        "n = -1 is invalid",
        "k = 10 is invalid: expected a whole number from 0 to 5",
    ];
    for (got, want) in errors.into_iter().zip(expected) {
        let got = got.unwrap_or_else(|| panic!("expected an error containing {want:?}"));
        assert!(got.contains(want), "{got:?} should contain {want:?}");
    }
    assert_eq!(
        sample_rows(1e9, 3.0, 1.0).unwrap().len(),
        3,
        "no allocation of n"
    );
    // Plain arrays of numbers work as well as typed arrays.
    let plain: JsValue = x
        .iter()
        .map(|&v| JsValue::from_f64(v))
        .collect::<Array>()
        .into();
    assert!(Session::from_table(plain, arr(&y), 3.0, JsValue::UNDEFINED).is_ok());
}

#[wasm_bindgen_test]
fn seeded_sampling_is_reproducible() {
    assert_eq!(
        sample_rows(100.0, 5.0, 9.0).unwrap(),
        sample_rows(100.0, 5.0, 9.0).unwrap()
    );
    assert_ne!(
        sample_rows(100.0, 5.0, 9.0).unwrap(),
        sample_rows(100.0, 5.0, 10.0).unwrap()
    );
    assert!(sample_rows(100.0, 5.0, -1.0).is_err());
    let a = random_seed().unwrap();
    let b = random_seed().unwrap();
    let c = random_seed().unwrap();
    assert!(a != b || b != c, "crypto seeds differ");
}

fn unit_table() -> (Vec<f64>, Vec<f64>) {
    let (mut x, y) = table();
    for row in x.chunks_mut(3) {
        let norm = row.iter().map(|v| v * v).sum::<f64>().sqrt();
        row.iter_mut().for_each(|v| *v /= norm);
    }
    (x, y)
}

fn certified(seed: Option<f64>, sigma: f64) -> JsValue {
    let mut pairs = vec![
        ("epsilon", JsValue::from_f64(1.0)),
        ("delta", JsValue::from_f64(1e-4)),
        ("sigma", JsValue::from_f64(sigma)),
    ];
    if let Some(s) = seed {
        pairs.push(("seed", JsValue::from_f64(s)));
    }
    object(&[
        ("fitIntercept", JsValue::FALSE),
        ("certified", object(&pairs)),
    ])
}

#[wasm_bindgen_test]
fn unlearner_requests_carry_certificates_and_survive_bad_input() {
    let (x, y) = unit_table();
    let mut u = Unlearner::fit(arr(&x), arr(&y), 3.0, certified(Some(5.0), 100.0)).unwrap();
    assert!(u.failed_assumptions().is_empty());
    let budget = u.budget().unwrap();
    let report = u
        .request(remove_rows(&[1.0, 2.0]), JsValue::UNDEFINED)
        .unwrap();
    let certificate = get(&report, "certificate");
    // Seed 5: the bound holds, but reproducible noise is not a privacy guarantee.
    assert_eq!(get(&certificate, "boundHolds"), JsValue::TRUE);
    assert_eq!(get(&certificate, "certified"), JsValue::FALSE);
    assert_eq!(
        get(&certificate, "noise").as_string().unwrap(),
        "reproducible"
    );
    assert!(get(&certificate, "reason")
        .as_string()
        .unwrap()
        .starts_with("reproducible noise: not a privacy guarantee"));
    assert_eq!(u.noise().as_deref(), Some("reproducible"));
    let beta = get(&certificate, "betaAfter").as_f64().unwrap();
    assert!(get(&certificate, "residual").as_f64().unwrap() <= beta && beta <= budget);
    assert_eq!(u.n_rows(), 38);

    let theta = u.theta();
    let fine_tune = object(&[("method", JsValue::from_str("fine_tune"))]);
    let errors = [
        u.request(remove_rows(&[1.0]), JsValue::UNDEFINED)
            .err()
            .map(message),
        u.request(remove_rows(&[3.0]), fine_tune).err().map(message),
        u.request(
            remove_rows(&[3.0]),
            object(&[("method", JsValue::from_str("newton"))]),
        )
        .err()
        .map(message),
        u.request(
            remove_rows(&[3.0]),
            object(&[("hessian", JsValue::from_str("fresh"))]),
        )
        .err()
        .map(message),
        Unlearner::fit(
            arr(&x),
            arr(&y),
            3.0,
            object(&[("certified", object(&[("epsilon", 1.0.into())]))]),
        )
        .err()
        .map(message),
        Unlearner::fit(arr(&x), arr(&y), 3.0, certified(Some(1.0), -1.0))
            .err()
            .map(message),
    ];
    let expected = [
        "row 1 was removed by an earlier request",
        "cannot be used in certified mode",
        "method: unknown name `newton`",
        "expected \"reuse\" or \"refresh\"",
        "options.certified.delta: expected a number",
        "σ = -1 is invalid",
    ];
    for (got, want) in errors.into_iter().zip(expected) {
        let got = got.unwrap_or_else(|| panic!("expected an error containing {want:?}"));
        assert!(got.contains(want), "{got:?} should contain {want:?}");
    }
    assert_eq!(u.theta(), theta, "failed requests change nothing");
    assert_eq!(u.n_rows(), 38);
    assert!(u.request(remove_rows(&[3.0]), JsValue::UNDEFINED).is_ok());
}

#[wasm_bindgen_test]
fn seeded_noise_reproduces_and_unseeded_runs_differ() {
    let (x, y) = unit_table();
    let seeded = |s| {
        Unlearner::fit(arr(&x), arr(&y), 3.0, certified(Some(s), 1.0))
            .unwrap()
            .theta()
    };
    assert_eq!(seeded(9.0), seeded(9.0));
    assert_ne!(seeded(9.0), seeded(10.0));
    let unseeded = || {
        Unlearner::fit(arr(&x), arr(&y), 3.0, certified(None, 1.0))
            .unwrap()
            .theta()
    };
    assert_ne!(unseeded(), unseeded());
}

/// Every number in `value`'s JSON text.
fn json_numbers(value: &JsValue) -> Vec<f64> {
    let text: String = js_sys::JSON::stringify(value).unwrap().into();
    text.split(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
        .filter_map(|t| t.parse().ok())
        .collect()
}

/// Every key of `value` and of the objects inside it.
fn json_keys(value: &JsValue) -> Vec<String> {
    let text: String = js_sys::JSON::stringify(value).unwrap().into();
    text.split('"')
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[1].starts_with(':'))
        .map(|w| w[0].to_owned())
        .collect()
}

#[wasm_bindgen_test]
fn secret_noise_is_certified_and_never_exported() {
    let (x, y) = unit_table();
    let mut u = Unlearner::fit(arr(&x), arr(&y), 3.0, certified(None, 100.0)).unwrap();
    assert_eq!(u.noise().as_deref(), Some("secret"));
    let report = u
        .request(remove_rows(&[1.0, 2.0]), JsValue::UNDEFINED)
        .unwrap();
    let certificate = get(&report, "certificate");
    assert_eq!(get(&certificate, "certified"), JsValue::TRUE);
    assert_eq!(get(&certificate, "boundHolds"), JsValue::TRUE);
    assert_eq!(get(&certificate, "noise").as_string().unwrap(), "secret");
    // (A random b may exhaust the budget, so the reason may tell of a retrain, never of a seed.)
    let reason = get(&certificate, "reason").as_string().unwrap_or_default();
    assert!(!reason.contains("reproducible"), "{reason}");
    let exported = [
        report,
        u.model().to_json().unwrap(),
        u.train_report().unwrap(),
    ];
    for value in &exported {
        let keys = json_keys(value);
        assert!(
            keys.iter().all(|k| !k.to_lowercase().contains("seed")),
            "{keys:?}"
        );
        let noisy: Vec<_> = keys.iter().filter(|k| k.contains("oise")).collect();
        assert!(
            noisy
                .iter()
                .all(|k| ["noise", "noiseDraws", "residualWithoutNoise"].contains(&k.as_str())),
            "{noisy:?}"
        );
    }
    let plain = Unlearner::fit(arr(&x), arr(&y), 3.0, JsValue::UNDEFINED).unwrap();
    assert!(plain.noise().is_none(), "no noise outside certified mode");
}

#[wasm_bindgen_test]
fn no_export_contains_a_noise_value() {
    // With a seed the core's own draw of b is known here, so its numbers can be looked for.
    let (x, y) = unit_table();
    let data = unlearn::Dataset::from_row_major(&x, 40, 3, &y).unwrap();
    let config = unlearn::UnlearnerConfig {
        train: unlearn::TrainConfig {
            fit_intercept: false,
            ..unlearn::TrainConfig::default()
        },
        privacy: Some(unlearn::certify::Privacy {
            epsilon: 1.0,
            delta: 1e-4,
            sigma: 100.0,
        }),
        noise: unlearn::noise::NoiseSource::Seeded(5),
        ..Default::default()
    };
    let core = unlearn::Unlearner::fit(data, config, &mut unlearn::train::Silent).unwrap();
    let b = core.expose_secret_noise().unwrap().clone();
    let mut u = Unlearner::fit(arr(&x), arr(&y), 3.0, certified(Some(5.0), 100.0)).unwrap();
    assert_eq!(u.theta(), core.model().theta().as_slice(), "the same b");
    let report = u
        .request(remove_rows(&[1.0, 2.0]), JsValue::UNDEFINED)
        .unwrap();
    let mut seen = json_numbers(&report);
    seen.extend(json_numbers(&u.model().to_json().unwrap()));
    seen.extend(json_numbers(&u.train_report().unwrap()));
    assert!(seen.len() > 10);
    for (i, v) in b.iter().enumerate() {
        assert!(
            !seen.contains(v) && !seen.contains(&-v),
            "b[{i}] = {v} is exported"
        );
    }
}

/// 60 rows, 2 features, three classes in overlapping clusters.
fn three_class_table() -> (Vec<f64>, Vec<f64>) {
    let mut x = Vec::new();
    let mut y = Vec::new();
    for i in 0..60 {
        let class = i % 3;
        let t = i as f64;
        let (cx, cy) = [(0.0, 0.0), (2.0, 0.5), (1.0, 2.0)][class];
        x.extend_from_slice(&[cx + (t * 0.7).sin(), cy + (t * 1.3).cos()]);
        y.push(class as f64);
    }
    (x, y)
}

#[wasm_bindgen_test]
fn multinomial_models_train_compare_and_predict() {
    let (x, y) = three_class_table();
    let s = Session::from_table(arr(&x), arr(&y), 2.0, JsValue::UNDEFINED).unwrap();
    assert_eq!(s.n_classes(), 3);
    assert_eq!(s.coef().len(), 6, "K × d weights");
    assert_eq!(s.intercepts().len(), 3);
    assert!(
        s.intercepts().iter().sum::<f64>().abs() < 1e-10,
        "centred intercepts"
    );
    let proba = s.predict_proba(arr(&[0.0, 0.0, 2.0, 0.5])).unwrap();
    assert_eq!(proba.len(), 6, "n × K, row-major");
    assert!((proba[..3].iter().sum::<f64>() - 1.0).abs() < 1e-12);
    let result = s
        .compare(
            object(&[(
                "relabel",
                [&[0.0, 2.0][..]]
                    .iter()
                    .map(|r| numbers(r))
                    .collect::<Array>()
                    .into(),
            )]),
            object(&[(
                "methods",
                ["lazy", "second_order", "exact", "retrain"]
                    .iter()
                    .map(|m| JsValue::from_str(m))
                    .collect::<Array>()
                    .into(),
            )]),
        )
        .unwrap();
    let methods: Array = get(&result, "methods").unchecked_into();
    let exact = methods.get(2);
    assert!(get(&exact, "distanceToRetrain").as_f64().unwrap() < 1e-8);
    let mut u = Unlearner::fit(arr(&x), arr(&y), 2.0, JsValue::UNDEFINED).unwrap();
    assert!(u
        .request(remove_rows(&[1.0, 2.0]), JsValue::UNDEFINED)
        .is_ok());
    let certified = object(&[
        ("fitIntercept", JsValue::FALSE),
        (
            "certified",
            object(&[
                ("epsilon", 1.0.into()),
                ("delta", 1e-4.into()),
                ("sigma", 1.0.into()),
            ]),
        ),
    ]);
    let err = Unlearner::fit(arr(&x), arr(&y), 2.0, certified)
        .err()
        .map(message)
        .unwrap();
    assert!(
        err.contains("certified unlearning of a multinomial model is not supported"),
        "{err}"
    );
    let mut bad = y.clone();
    bad[0] = 1.5;
    let err = Session::from_table(arr(&x), arr(&bad), 2.0, JsValue::UNDEFINED)
        .err()
        .map(message)
        .unwrap();
    assert!(
        err.contains("labels must be whole numbers from 0 to 2"),
        "{err}"
    );
    let missing: Vec<f64> = y.iter().map(|&v| if v == 1.0 { 2.0 } else { v }).collect();
    let err = Session::from_table(arr(&x), arr(&missing), 2.0, JsValue::UNDEFINED)
        .err()
        .map(message)
        .unwrap();
    assert!(err.contains("no training row has class 1"), "{err}");
}

#[wasm_bindgen_test]
fn hedging_path_runs_from_theta_star_to_retraining() {
    let s = session();
    let edit = remove_rows(&[1.0, 2.0, 3.0]);
    let path: Array = s
        .hedging_path(edit.clone(), JsValue::UNDEFINED)
        .unwrap()
        .unchecked_into();
    assert_eq!(path.length(), 11);
    let numbers_of = |v: JsValue| -> Vec<f64> {
        Array::from(&v)
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    let start = numbers_of(get(&path.get(0), "exact"));
    assert_eq!(start, s.theta());
    let result = s.compare(edit, JsValue::UNDEFINED).unwrap();
    let methods: Array = get(&result, "methods").unchecked_into();
    let retrained = numbers_of(get(&methods.get(4), "theta"));
    let end = numbers_of(get(&path.get(10), "exact"));
    let gap = end
        .iter()
        .zip(&retrained)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(gap < 1e-8, "θ(1) equals the retrained model: {gap:e}");
    let bad = object(&[("epsilons", numbers(&[0.5, 2.0]))]);
    let err = s
        .hedging_path(remove_rows(&[1.0]), bad)
        .err()
        .map(message)
        .unwrap();
    assert!(err.contains("ε = 2 is invalid"), "{err}");

    // Progress: every ε reports its Newton steps, in order, with the step's index.
    let calls = std::rc::Rc::new(std::cell::RefCell::new(Vec::<Vec<f64>>::new()));
    let seen = calls.clone();
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut(f64, f64, f64, f64, f64)>::new(
        move |it: f64, g: f64, eps: f64, step: f64, steps: f64| {
            seen.borrow_mut().push(vec![it, g, eps, step, steps]);
        },
    );
    let options = object(&[
        ("epsilons", numbers(&[0.0, 0.5, 1.0])),
        ("onProgress", callback.as_ref().clone()),
    ]);
    let path: Array = s
        .hedging_path(remove_rows(&[1.0, 2.0, 3.0]), options)
        .unwrap()
        .unchecked_into();
    let calls = calls.borrow();
    let steps: Vec<f64> = calls.iter().map(|c| c[3]).collect();
    assert!(
        steps.windows(2).all(|w| w[0] <= w[1]),
        "in order: {steps:?}"
    );
    assert_eq!((steps[0], *steps.last().unwrap()), (0.0, 2.0));
    assert!(calls
        .iter()
        .all(|c| c[4] == 3.0 && c[2] == [0.0, 0.5, 1.0][c[3] as usize]));
    let last = calls.last().unwrap();
    assert!(
        last[1] <= 1e-8,
        "the last report at ε = 1 is converged: {last:?}"
    );
    assert_eq!(path.length(), 3);
    let bad = object(&[("onProgress", 3.0.into())]);
    assert!(s
        .hedging_path(remove_rows(&[1.0]), bad)
        .err()
        .map(message)
        .unwrap()
        .contains("expected a function"));
}

#[wasm_bindgen_test]
fn models_export_and_import_with_the_same_predictions() {
    for (x, y, d) in [
        (table().0, table().1, 3.0),
        (three_class_table().0, three_class_table().1, 2.0),
    ] {
        let s = Session::from_table(arr(&x), arr(&y), d, JsValue::UNDEFINED).unwrap();
        let exported = s.model().to_json().unwrap();
        // Through a JSON string, as a saved file would go.
        let text = js_sys::JSON::stringify(&exported).unwrap();
        let imported =
            Model::from_json(js_sys::JSON::parse(&text.as_string().unwrap()).unwrap()).unwrap();
        let probe = arr(&x[..d as usize * 5]);
        assert_eq!(
            imported.predict_proba(probe.clone()).unwrap(),
            s.predict_proba(probe.clone()).unwrap()
        );
        assert_eq!(imported.n_classes(), s.n_classes());
    }
    let wrong = object(&[
        ("format", JsValue::from_str("other")),
        ("version", 1.0.into()),
    ]);
    assert!(Model::from_json(wrong)
        .err()
        .map(message)
        .unwrap()
        .contains("not an exported model"));
}

/// The message `Model.fromJSON` gives for the exported JSON text after `edit` changed it.
fn import_error(text: &str) -> String {
    let value = js_sys::JSON::parse(text).unwrap();
    match Model::from_json(value) {
        Ok(_) => panic!("{text} was accepted"),
        Err(err) => message(err),
    }
}

/// A binary model over 3 features as JSON text: θ = [0.5, −1.25, 2, 0.75].
const BINARY: &str = r#"{"format":"unlearn-model","version":1,"theta":[0.5,-1.25,2,0.75],
    "nFeatures":3,"nClasses":2,"fitIntercept":true,"coef":[0.5,-1.25,2],"intercepts":[0.75]}"#;

#[wasm_bindgen_test]
fn model_files_are_checked_and_every_mistake_is_named() {
    // The file as written imports, and so does one with fewer digits or without the copies.
    assert!(Model::from_json(js_sys::JSON::parse(BINARY).unwrap()).is_ok());
    let close = BINARY.replace("[0.5,-1.25,2]", "[0.5000000000001,-1.25,2]");
    assert!(Model::from_json(js_sys::JSON::parse(&close).unwrap()).is_ok());
    let bare = r#"{"format":"unlearn-model","version":1,"theta":[1,2],"nFeatures":1}"#;
    let model = Model::from_json(js_sys::JSON::parse(bare).unwrap()).unwrap();
    assert_eq!((model.coef(), model.intercepts()), (vec![1.0], vec![2.0]));

    let cases: &[(&str, &[&str])] = &[
        // Not a model at all.
        ("null", &["model: got null, not a model", "toJSON() returns"]),
        ("[1, 2]", &["model: got an array, not a model"]),
        ("\"theta\"", &["model: got a string, not a model"]),
        ("{}", &["the key `format` is missing", "not an exported model"]),
        (
            r#"{"format":"nope","version":1}"#,
            &["format is \"nope\", so this is not an exported model"],
        ),
        (
            r#"{"format":"unlearn-model","version":2}"#,
            &["version 2 is not supported; expected version 1"],
        ),
        (
            r#"{"format":"unlearn-model","version":1,"lambda":1}"#,
            &["unknown key `lambda`"],
        ),
        (
            r#"{"format":"unlearn-model","version":1,"theta":[1,2]}"#,
            &["the key `nFeatures` is missing"],
        ),
        (
            r#"{"format":"unlearn-model","version":1,"nFeatures":1.5,"theta":[1,2]}"#,
            &["nFeatures = 1.5 is invalid: expected a whole number"],
        ),
        (
            r#"{"format":"unlearn-model","version":1,"nFeatures":1,"nClasses":1,"theta":[1,2]}"#,
            &["nClasses = 1 is invalid: expected a whole number from 2"],
        ),
        (
            r#"{"format":"unlearn-model","version":1,"nFeatures":1,"fitIntercept":"yes","theta":[1,2]}"#,
            &["fitIntercept is a string; expected true or false"],
        ),
        // θ itself.
        (
            r#"{"format":"unlearn-model","version":1,"nFeatures":3}"#,
            &["the key `theta` is missing; expected the 4 parameters"],
        ),
        (
            r#"{"format":"unlearn-model","version":1,"nFeatures":3,"theta":{"0":1}}"#,
            &["model: theta is an Object; expected an array of numbers"],
        ),
        (
            r#"{"format":"unlearn-model","version":1,"nFeatures":3,"theta":[1,2,3,null]}"#,
            &["model: theta[3] is null, not a number"],
        ),
        (
            r#"{"format":"unlearn-model","version":1,"nFeatures":3,"theta":[1,"2",3,4]}"#,
            &["model: theta[1] is a string, not a number"],
        ),
        (
            r#"{"format":"unlearn-model","version":1,"nFeatures":3,"theta":[1e999,2,3,4]}"#,
            &["model: theta[0] is Infinity, not a finite number", "such as 1e999"],
        ),
        (
            r#"{"format":"unlearn-model","version":1,"nFeatures":3,"theta":[1,2,3]}"#,
            &["theta holds 3 numbers, but a model with nFeatures = 3, nClasses = 2 and fitIntercept = true has 4 parameters"],
        ),
        // coef and intercepts that disagree with θ.
        (
            &BINARY.replace("[0.5,-1.25,2]", "[0.5,-1.25,2.5]"),
            &["model: coef[2] = 2.5 disagrees with theta[2] = 2", "delete both keys"],
        ),
        (
            &BINARY.replace("[0.5,-1.25,2]", "[0.5,-1.25]"),
            &["coef holds 2 numbers, but a model with nFeatures = 3", "has 3 weights"],
        ),
        (
            &BINARY.replace("[0.75]", "[0.7]"),
            &["model: intercepts[0] = 0.7 disagrees with theta[3] = 0.75"],
        ),
        (
            &BINARY.replace("[0.75]", "[0.75, 0]"),
            &["intercepts holds 2 numbers", "has 1 intercept;"],
        ),
        (
            &BINARY.replace("[0.75]", "[null]"),
            &["model: intercepts[0] is null, not a number"],
        ),
        (
            &BINARY.replace("[0.5,-1.25,2]", "[0.5,-1.25,-1e999]"),
            &["model: coef[2] is -Infinity, not a finite number"],
        ),
        (
            r#"{"format":"unlearn-model","version":1,"nFeatures":2,"fitIntercept":false,
               "theta":[1,2],"coef":[1,2],"intercepts":[0.5]}"#,
            &["intercepts[0] = 0.5, but fitIntercept is false, so every intercept is 0"],
        ),
    ];
    for (text, expected) in cases {
        let err = import_error(text);
        for part in *expected {
            assert!(err.contains(part), "{text}: {err}");
        }
        assert!(
            !err.contains("invalid type") && !err.contains("impute") && !err.contains("row 0"),
            "no serde or training words: {err}"
        );
    }
    // NaN cannot be written in JSON but can be passed from JS.
    let with_nan = js_sys::JSON::parse(BINARY).unwrap();
    Reflect::set(&get(&with_nan, "theta"), &1.into(), &f64::NAN.into()).unwrap();
    let err = Model::from_json(with_nan).err().map(message).unwrap();
    assert!(
        err.contains("theta[1] is NaN, not a finite number"),
        "{err}"
    );
    assert!(Model::from_json(JsValue::UNDEFINED)
        .err()
        .map(message)
        .unwrap()
        .contains("got undefined, not a model"));

    // A 3-class model: the intercepts are θ's last 3 entries, checked one by one.
    let (x, y) = three_class_table();
    let s = Session::from_table(arr(&x), arr(&y), 2.0, JsValue::UNDEFINED).unwrap();
    let exported = s.model().to_json().unwrap();
    let theta: Vec<f64> = Array::from(&get(&exported, "theta"))
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(theta.len(), 9);
    let intercepts = get(&exported, "intercepts");
    Reflect::set(&intercepts, &2.into(), &(theta[8] + 1.0).into()).unwrap();
    let err = Model::from_json(exported).err().map(message).unwrap();
    assert!(
        err.contains("intercepts[2] = ") && err.contains("disagrees with theta[8] = "),
        "{err}"
    );
}

#[wasm_bindgen_test]
fn training_progress_is_reported() {
    let (x, y) = table();
    let calls = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let seen = calls.clone();
    let callback =
        wasm_bindgen::closure::Closure::<dyn FnMut(f64, f64)>::new(move |it: f64, g: f64| {
            seen.borrow_mut().push((it, g));
        });
    let options = object(&[("onProgress", callback.as_ref().clone())]);
    Session::from_table(arr(&x), arr(&y), 3.0, options).unwrap();
    let calls = calls.borrow();
    assert!(calls.len() >= 2);
    assert_eq!(calls[0].0, 0.0);
    assert!(
        calls.last().unwrap().1 <= 1e-10,
        "the last report is the converged one"
    );
    let bad = object(&[("onProgress", 3.0.into())]);
    assert!(Session::from_table(arr(&x), arr(&y), 3.0, bad)
        .err()
        .map(message)
        .unwrap()
        .contains("expected a function"));
}

#[wasm_bindgen_test]
fn split_indices_and_per_column_values() {
    let split = unlearn::wasm::train_test_split(40.0, object(&[("seed", 7.0.into())])).unwrap();
    let (train, test): (Array, Array) = (
        get(&split, "train").unchecked_into(),
        get(&split, "test").unchecked_into(),
    );
    assert_eq!((train.length(), test.length()), (32, 8));
    let (x, y) = table();
    let s = Session::from_table(arr(&x), arr(&y), 3.0, object(&[("seed", 7.0.into())])).unwrap();
    let rows: Vec<u32> = train.iter().map(|v| v.as_f64().unwrap() as u32).collect();
    assert_eq!(rows, s.train_rows(), "the same split as fromTable");
    let pairs: JsValue = [[0.0, 0.0], [2.0, 1.5]]
        .iter()
        .map(|p| numbers(p))
        .collect::<Array>()
        .into();
    let result = s
        .compare(object(&[("featureValues", pairs)]), JsValue::UNDEFINED)
        .unwrap();
    assert_eq!(Array::from(&get(&result, "affected")).length(), 32);
}

#[wasm_bindgen_test]
fn unlearners_clone_and_models_score() {
    let (x, y) = table();
    let mut a = Unlearner::fit(arr(&x), arr(&y), 3.0, JsValue::UNDEFINED).unwrap();
    let b = a.clone_unlearner();
    a.request(remove_rows(&[1.0, 2.0]), JsValue::UNDEFINED)
        .unwrap();
    assert_eq!(b.n_rows(), 40, "the copy is independent");
    assert_eq!(a.n_rows(), 38);
    assert!(
        get(&b.train_report().unwrap(), "gradNorm")
            .as_f64()
            .unwrap()
            <= 1e-10
    );
    let model = b.model();
    let scores = model.decision_function(arr(&x[..6])).unwrap();
    let proba = model.predict_proba(arr(&x[..6])).unwrap();
    for (s, p) in scores.iter().zip(&proba) {
        assert!((1.0 / (1.0 + (-s).exp()) - p).abs() < 1e-12);
    }
}

#[wasm_bindgen_test]
fn secret_noise_from_crypto_get_random_values_passes_the_statistical_checks() {
    // The browser's backend of getrandom (crypto.getRandomValues), not the native one.
    use unlearn::noise::{NoiseGenerator, NoiseSource};
    let mut g = NoiseGenerator::new(NoiseSource::Secret);
    normality::assert_standard_normal(g.draw(200_000, 1.0).unwrap().as_slice());
    assert_ne!(g.draw(64, 1.0).unwrap(), g.draw(64, 1.0).unwrap());
}

#[wasm_bindgen_test]
fn bad_noise_seeds_are_named_and_null_means_secret() {
    let (x, y) = unit_table();
    let with_seed = |seed: JsValue| {
        let certified = object(&[
            ("epsilon", 1.0.into()),
            ("delta", 1e-4.into()),
            ("sigma", 10.0.into()),
            ("seed", seed),
        ]);
        let options = object(&[("fitIntercept", JsValue::FALSE), ("certified", certified)]);
        Unlearner::fit(arr(&x), arr(&y), 3.0, options)
    };
    let bad = [
        (JsValue::from_f64(-1.0), "-1 is not a seed"),
        (JsValue::from_f64(0.5), "0.5 is not a seed"),
        (JsValue::from_f64(2f64.powi(60)), "is not a seed"),
        (JsValue::from_f64(f64::NAN), "NaN is not a seed"),
        (JsValue::from_f64(f64::INFINITY), "Infinity is not a seed"),
        (JsValue::from_str("5"), "a string is not a seed"),
        (JsValue::TRUE, "is not a seed"),
    ];
    for (seed, want) in bad {
        let got = message(with_seed(seed).err().expect("refused"));
        assert!(got.starts_with("options.certified.seed: "), "{got}");
        assert!(
            got.contains(want) && got.contains("leave it out for secret noise"),
            "{got}"
        );
    }
    let null = with_seed(JsValue::NULL).unwrap();
    assert_eq!(null.noise().as_deref(), Some("secret"), "null is no seed");
    assert_eq!(
        with_seed(JsValue::from_f64(7.0))
            .unwrap()
            .noise()
            .as_deref(),
        Some("reproducible")
    );

    // A seed on the prototype is not the caller's own: the noise stays secret.
    let proto = object(&[("seed", JsValue::from_f64(7.0))]);
    let certified: js_sys::Object = js_sys::Object::create(proto.unchecked_ref::<js_sys::Object>());
    for (k, v) in [("epsilon", 1.0), ("delta", 1e-4), ("sigma", 10.0)] {
        Reflect::set(&certified, &JsValue::from_str(k), &JsValue::from_f64(v)).unwrap();
    }
    let options = object(&[
        ("fitIntercept", JsValue::FALSE),
        ("certified", certified.into()),
    ]);
    let u = Unlearner::fit(arr(&x), arr(&y), 3.0, options).unwrap();
    assert_eq!(u.noise().as_deref(), Some("secret"));
}

/// The shared table of requests that must be refused (tests/guards/cases.json).
fn guard_cases() -> Vec<JsValue> {
    let table = js_sys::JSON::parse(include_str!("guards/cases.json")).unwrap();
    Array::from(&get(&table, "cases")).iter().collect()
}

fn flat_rows(rows: &JsValue) -> (Vec<f64>, f64) {
    let rows = Array::from(rows);
    let d = Array::from(&rows.get(0)).length() as f64;
    let flat = rows
        .iter()
        .flat_map(|r| {
            Array::from(&r)
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    (flat, d)
}

#[track_caller]
fn assert_guard<T>(case: &JsValue, path: &str, result: Result<T, wasm_bindgen::JsError>) {
    let name = get(case, "name").as_string().unwrap();
    let got = match result {
        Ok(_) => panic!("{name}, {path}: answered instead of refusing"),
        Err(e) => message(e),
    };
    assert_message(case, &format!("{name}, {path}"), &got);
}

#[track_caller]
fn assert_message(case: &JsValue, what: &str, got: &str) {
    for part in Array::from(&get(case, "message")).iter() {
        let part = part.as_string().unwrap();
        assert!(got.contains(&part), "{what}: {got:?} lacks {part:?}");
    }
}

#[wasm_bindgen_test]
fn every_guard_case_is_refused_through_the_bindings() {
    let methods: Vec<&str> = vec![
        "lazy",
        "first_order",
        "second_order",
        "hessian_on_d",
        "first_order_stepwise",
        "second_order_stepwise",
        "fine_tune",
        "exact",
        "retrain_warm",
        "retrain",
    ];
    let all = object(&[(
        "methods",
        methods
            .iter()
            .map(|m| JsValue::from_str(m))
            .collect::<Array>()
            .into(),
    )]);
    for case in guard_cases() {
        let (x, d) = flat_rows(&get(&case, "x"));
        let y: Vec<f64> = Array::from(&get(&case, "y"))
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let options = get(&case, "train");
        let edit = get(&case, "edit");
        let session = || Session::new(arr(&x), arr(&y), arr(&x), arr(&y), d, options.clone());
        let unlearner = || Unlearner::fit(arr(&x), arr(&y), d, options.clone());
        match get(&case, "at").as_string().unwrap().as_str() {
            "fit" => {
                assert_guard(&case, "new Session", session());
                assert_guard(&case, "Unlearner.fit", unlearner());
            }
            "request" => {
                let s = session().unwrap();
                assert_guard(&case, "compare", s.compare(edit.clone(), all.clone()));
                assert_guard(
                    &case,
                    "hedgingPath",
                    s.hedging_path(edit.clone(), JsValue::UNDEFINED),
                );
                let mut u = unlearner().unwrap();
                let theta = u.theta();
                for m in &methods {
                    let request = object(&[("method", JsValue::from_str(m))]);
                    assert_guard(&case, m, u.request(edit.clone(), request));
                }
                assert_eq!(u.theta(), theta, "refused requests change nothing");
            }
            "second_order" => {
                let mut u = unlearner().unwrap();
                assert_guard(
                    &case,
                    "second_order",
                    u.request(edit.clone(), JsValue::UNDEFINED),
                );
                let lazy = object(&[("method", JsValue::from_str("lazy"))]);
                let report = unlearner().unwrap().request(edit.clone(), lazy).unwrap();
                let warnings: Array = get(&report, "warnings").unchecked_into();
                let text = |w: JsValue| w.as_string().unwrap_or_default();
                let kept = warnings
                    .iter()
                    .any(|w| text(w).contains("no Hessian factor"));
                assert!(
                    kept,
                    "a Hessian-free method works and says no factor is kept"
                );
                let report = session()
                    .unwrap()
                    .compare(edit.clone(), all.clone())
                    .unwrap();
                let rows = Array::from(&get(&report, "methods"));
                let second = rows
                    .iter()
                    .find(|r| get(r, "method").as_string().as_deref() == Some("second_order"))
                    .unwrap();
                assert_message(
                    &case,
                    "compare, second_order",
                    &get(&second, "error").as_string().unwrap(),
                );
            }
            other => panic!("unknown `at`: {other}"),
        }
    }
}

#[wasm_bindgen_test]
fn reports_carry_drift_warnings_and_corrections() {
    let (x, y) = table();
    let drift = |action: &str| {
        object(&[(
            "drift",
            object(&[
                ("threshold", 1e-9.into()),
                ("action", JsValue::from_str(action)),
            ]),
        )])
    };
    let mut warned = Unlearner::fit(arr(&x), arr(&y), 3.0, drift("warn")).unwrap();
    let report = warned
        .request(remove_rows(&[1.0, 2.0]), JsValue::UNDEFINED)
        .unwrap();
    assert!(get(&report, "drift").as_f64().unwrap() > 1e-9);
    assert!(get(&report, "corrected").is_null() || get(&report, "corrected").is_undefined());
    let warnings: Array = get(&report, "warnings").unchecked_into();
    assert!(warnings
        .iter()
        .any(|w| w.as_string().unwrap().contains("has drifted")));

    let mut refined = Unlearner::fit(arr(&x), arr(&y), 3.0, drift("refine")).unwrap();
    let report = refined
        .request(remove_rows(&[1.0, 2.0]), JsValue::UNDEFINED)
        .unwrap();
    assert_eq!(get(&report, "corrected").as_string().unwrap(), "refine");
    assert!(get(&report, "residual").as_f64().unwrap() <= 1e-9);

    let bad = Unlearner::fit(arr(&x), arr(&y), 3.0, drift("panic"))
        .err()
        .map(message);
    let bad = bad.unwrap();
    assert!(
        bad.contains(
            "options.drift: unknown variant `panic`, expected one of `warn`, `refine`, `retrain`"
        ),
        "{bad}"
    );

    // Raw features at huge scales: named with every training report, and in comparisons.
    let huge: Vec<f64> = x.iter().map(|v| v * 1e8).collect();
    let u = Unlearner::fit(arr(&huge), arr(&y), 3.0, object(&[("l2", 1e-3.into())]));
    let s = Session::new(
        arr(&huge),
        arr(&y),
        arr(&huge),
        arr(&y),
        3.0,
        JsValue::UNDEFINED,
    );
    for report in [
        u.map(|u| u.train_report().unwrap()),
        s.map(|s| s.train_report().unwrap()),
    ] {
        match report {
            Ok(r) => {
                let warnings: Array = get(&r, "warnings").unchecked_into();
                let text = warnings.get(0).as_string().unwrap_or_default();
                assert!(text.contains("badly scaled features"), "{text}");
            }
            Err(e) => assert!(
                message(e).contains("standardis"),
                "a failure suggests rescaling"
            ),
        }
    }
}

#[wasm_bindgen_test]
fn a_throwing_progress_callback_stops_the_call_with_its_message() {
    let (x, y) = table();
    let boom = js_sys::Function::new_no_args("throw new Error('boom')");
    let options = object(&[("onProgress", boom.clone().into())]);
    let err = Unlearner::fit(arr(&x), arr(&y), 3.0, options.clone())
        .err()
        .map(message);
    let err = err.expect("the fit is stopped");
    assert!(
        err.contains("stopped by options.onProgress, which threw: boom"),
        "{err}"
    );
    let err = Session::new(arr(&x), arr(&y), arr(&x), arr(&y), 3.0, options.clone()).err();
    assert!(message(err.unwrap()).contains("which threw: boom"));

    // A path whose callback throws is stopped; the session keeps working.
    let s = session();
    let edit = remove_rows(&[1.0]);
    let err = s
        .hedging_path(edit.clone(), options)
        .err()
        .map(message)
        .unwrap();
    assert!(err.contains("which threw: boom"), "{err}");
    assert!(s.compare(edit, JsValue::UNDEFINED).is_ok());

    // A thrown non-Error is shown as JSON.
    let odd = js_sys::Function::new_no_args("throw {code: 7}");
    let options = object(&[("onProgress", odd.into())]);
    let err = Unlearner::fit(arr(&x), arr(&y), 3.0, options)
        .err()
        .map(message)
        .unwrap();
    assert!(err.contains(r#"which threw: {"code":7}"#), "{err}");
    for thrown in ["undefined", "Symbol('s')", "() => 1"] {
        let f = js_sys::Function::new_no_args(&format!("throw {thrown}"));
        let options = object(&[("onProgress", f.into())]);
        let err = Unlearner::fit(arr(&x), arr(&y), 3.0, options)
            .err()
            .map(message)
            .unwrap();
        assert!(
            err.starts_with("stopped by options.onProgress, which threw: "),
            "{err}"
        );
    }
}

#[wasm_bindgen_test]
fn work_beyond_the_limits_is_refused_up_front() {
    let s = session();
    let edit = remove_rows(&[1.0]);
    let big = |pairs: &[(&str, JsValue)]| object(pairs);
    let cases = [
        (
            s.compare(edit.clone(), big(&[("steps", 1e9.into())])).err(),
            "steps = 1000000000 is invalid: expected a whole number from 1 to 1000",
        ),
        (
            s.compare(edit.clone(), big(&[("minTimingSeconds", 1e6.into())]))
                .err(),
            "minimum timing seconds = 1000000 is invalid",
        ),
        (
            s.compare(edit.clone(), big(&[("exactMaxIter", 1e7.into())]))
                .err(),
            "exact max iterations = 10000000 is invalid",
        ),
        (
            s.hedging_path(
                edit.clone(),
                big(&[("epsilons", numbers(&vec![0.5; 2000]))]),
            )
            .err(),
            "at most 1001 points",
        ),
    ];
    for (got, want) in cases {
        let got = message(got.expect("refused"));
        assert!(got.contains(want), "{got:?} lacks {want:?}");
    }
    let (x, y) = table();
    let err = Unlearner::fit(arr(&x), arr(&y), 3.0, big(&[("maxIter", 1e9.into())]))
        .err()
        .map(message)
        .unwrap();
    assert!(err.contains("max_iter = 1000000000 is invalid"), "{err}");
}
