//! The noise b of certified unlearning: the seeded stream equals an independent numpy
//! implementation (tests/fixtures/noise.json, scripts/make_fixtures_noise.py), and seeded and
//! secret draws pass the statistical checks of a N(0, 1) sampler; broken samplers do not.

mod common;
#[path = "support/normality.rs"]
mod normality;

use common::*;
use normality::{assert_standard_normal, normal_cdf};
use unlearn::noise::{NoiseGenerator, NoiseSource};

#[test]
fn the_seeded_stream_equals_the_numpy_reference() {
    let fixture = fixture("noise.json");
    for case in fixture["cases"].as_array().unwrap() {
        let seed = case["seed"].as_u64().unwrap();
        let expected = vector(&case["z"]);
        let mut g = NoiseGenerator::new(NoiseSource::Seeded(seed));
        let z = g.draw(expected.len(), 1.0).unwrap();
        for (i, (a, b)) in z.iter().zip(expected.iter()).enumerate() {
            assert!(
                (a - b).abs() <= 1e-15,
                "seed {seed}, z[{i}]: {a} vs numpy {b}"
            );
        }
    }
}

#[test]
fn the_cdf_used_by_the_checks_is_right() {
    assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
    assert!((normal_cdf(1.96) - 0.975_002_1).abs() < 1e-7);
    assert!((normal_cdf(-3.0) - 0.001_349_898).abs() < 1e-8);
}

#[test]
fn seeded_normals_pass_the_statistical_checks() {
    let mut g = NoiseGenerator::new(NoiseSource::Seeded(2026));
    assert_standard_normal(g.draw(200_000, 1.0).unwrap().as_slice());
}

#[test]
fn secret_normals_pass_the_statistical_checks() {
    let mut g = NoiseGenerator::new(NoiseSource::Secret);
    assert_standard_normal(g.draw(200_000, 1.0).unwrap().as_slice());
}

#[test]
fn the_checks_catch_samplers_whose_pairs_are_tied() {
    // Each value alone is N(0, 1), but the pairs repeat or mirror each other: half the noise.
    let good = NoiseGenerator::new(NoiseSource::Seeded(7))
        .draw(100_000, 1.0)
        .unwrap();
    let tied: Vec<f64> = good.iter().step_by(2).flat_map(|&v| [v, v]).collect();
    let mirrored: Vec<f64> = good.iter().step_by(2).flat_map(|&v| [v, -v]).collect();
    // Same magnitude, independent sign: uncorrelated in z, tied in z².
    let same_size: Vec<f64> = good
        .iter()
        .step_by(2)
        .zip(good.iter().skip(1).step_by(2))
        .flat_map(|(&a, &b)| [a, a.abs().copysign(b)])
        .collect();
    for broken in [tied, mirrored, same_size] {
        assert!(std::panic::catch_unwind(|| assert_standard_normal(&broken)).is_err());
    }
}
