//! Seeded synthetic classification data for benchmarks and tests: the same (n, d, seed) gives
//! the same data natively, in wasm and (through the exported files) in Python.

use nalgebra::{DMatrix, DVector};

use crate::data::Dataset;
use crate::noise::seeded_normals;
use crate::objective::sigmoid;
use crate::rng::SplitMix64;

/// n rows of d standard-normal features; labels drawn from a logistic model with weights
/// w ~ N(0, 1/d) (so margins have unit scale and the classes overlap), both classes present.
pub fn make_classification(n: usize, d: usize, seed: u64) -> Dataset {
    let mut rng = SplitMix64::new(seed);
    let x = DMatrix::from_vec(n, d, seeded_normals(&mut rng, n * d));
    let w = DVector::from_vec(seeded_normals(&mut rng, d)) / (d.max(1) as f64).sqrt();
    let margins = &x * &w;
    let mut y = DVector::from_fn(n, |i, _| {
        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        f64::from(u < sigmoid(2.0 * margins[i]))
    });
    if n >= 2 {
        y[0] = 0.0;
        y[1] = 1.0;
    }
    Dataset::from_valid(x, y, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproducible_and_balanced_enough() {
        let a = make_classification(2000, 5, 3);
        assert_eq!(a, make_classification(2000, 5, 3));
        let positives = a.y().sum();
        assert!(positives > 600.0 && positives < 1400.0, "{positives}");
        assert!(a.x().iter().all(|v| v.is_finite()));
    }
}
