//! The noise b ~ N(0, σ²I) of certified unlearning, and where it comes from.
//!
//! Guo et al.'s guarantee (ICML 2020, Thm 3) is over the randomness of b: it holds only while b is
//! unknown to whoever sees the model. Anyone who can regenerate b (and sees the edited data) can
//! compute ∇L_b(θ; D̃) and tell an unlearned model (residual > 0) from a retrained one (residual 0).
//! So the default source is secret: every b, and the fresh b of every retrain, comes straight from
//! the platform's cryptographically secure generator (`crypto.getRandomValues` in the browser, the
//! operating system's natively, through getrandom), and nothing that could regenerate it is kept
//! or reported. A seed makes the noise reproducible for tests and teaching, and then no
//! certificate claims privacy.

use nalgebra::DVector;

use crate::error::{Error, Result};
use crate::rng::SplitMix64;

/// Where the noise vectors b of a certified model come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoiseSource {
    /// Each b from the platform's cryptographically secure generator; nothing that could
    /// regenerate it is stored or reported. The only source under which a certificate is a
    /// privacy guarantee.
    #[default]
    Secret,
    /// Every b from SplitMix64 seeded with this number: reproducible, for tests and teaching.
    /// Anyone who knows the seed can regenerate b, so certificates say "reproducible noise: not a
    /// privacy guarantee".
    Seeded(u64),
}

/// What kind of noise the current b is, as a certificate reports it (never b or a seed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(js, derive(serde::Serialize), serde(rename_all = "lowercase"))]
pub enum NoiseKind {
    /// Drawn from the secure generator and known to no one.
    Secret,
    /// Drawn from a seed, or given by the caller: known outside the model.
    Reproducible,
}

impl NoiseKind {
    /// "secret" or "reproducible".
    pub fn key(self) -> &'static str {
        match self {
            NoiseKind::Secret => "secret",
            NoiseKind::Reproducible => "reproducible",
        }
    }
}

/// What a certificate of a model with reproducible noise says in place of a guarantee.
pub const REPRODUCIBLE_NOTICE: &str = "reproducible noise: not a privacy guarantee (b was drawn \
    from a seed or given, so whoever knows it can regenerate b and tell this model from a \
    retrained one); train without a seed for certified unlearning";

/// The generator behind the draws of b. Its state is private and `Debug` does not show it.
#[derive(Clone)]
pub struct NoiseGenerator(Stream);

#[derive(Clone)]
enum Stream {
    Secret,
    Seeded(SplitMix64),
}

impl std::fmt::Debug for NoiseGenerator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            Stream::Secret => "NoiseGenerator(Secret)",
            Stream::Seeded(_) => "NoiseGenerator(Seeded(…))",
        })
    }
}

impl NoiseGenerator {
    /// A generator for `source`.
    pub fn new(source: NoiseSource) -> Self {
        NoiseGenerator(match source {
            NoiseSource::Secret => Stream::Secret,
            NoiseSource::Seeded(seed) => Stream::Seeded(SplitMix64::new(seed)),
        })
    }

    /// The kind of every b this generator draws.
    pub fn kind(&self) -> NoiseKind {
        match self.0 {
            Stream::Secret => NoiseKind::Secret,
            Stream::Seeded(_) => NoiseKind::Reproducible,
        }
    }

    /// b ~ N(0, σ²I) with `p` entries.
    ///
    /// # Errors
    /// [`Error::Entropy`] when the platform's generator fails (secret source only).
    pub fn draw(&mut self, p: usize, sigma: f64) -> Result<DVector<f64>> {
        let z = match &mut self.0 {
            Stream::Secret => standard_normals(&secure_words(2 * p.div_ceil(2))?),
            Stream::Seeded(rng) => seeded_normals(rng, p),
        };
        Ok(DVector::from_fn(p, |i, _| sigma * z[i]))
    }
}

/// `n` standard normals from a seeded stream: reproducible, so never for secret noise.
pub(crate) fn seeded_normals(rng: &mut SplitMix64, n: usize) -> Vec<f64> {
    let words: Vec<u64> = (0..2 * n.div_ceil(2)).map(|_| rng.next_u64()).collect();
    let mut z = standard_normals(&words);
    z.truncate(n);
    z
}

/// `n` words from the platform's cryptographically secure generator.
fn secure_words(n: usize) -> Result<Vec<u64>> {
    let mut bytes = vec![0u8; 8 * n];
    getrandom::fill(&mut bytes).map_err(|e| Error::Entropy { why: e.to_string() })?;
    Ok(bytes
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("chunks of 8 bytes")))
        .collect())
}

/// 2⁻⁵³.
const ULP: f64 = 1.0 / (1u64 << 53) as f64;

/// A uniform on the 53-bit grid {1, 2, …, 2⁵³}·2⁻⁵³ ⊂ (0, 1]: every value exact, none 0.
pub fn uniform_open_below(word: u64) -> f64 {
    ((word >> 11) + 1) as f64 * ULP
}

/// A uniform on the 53-bit grid {0, 1, …, 2⁵³ − 1}·2⁻⁵³ ⊂ [0, 1): every value exact.
pub fn uniform_open_above(word: u64) -> f64 {
    (word >> 11) as f64 * ULP
}

/// Standard normals, two per pair of words, by the Box–Muller transform (Box & Muller, 1958):
/// r = √(−2 ln u), u ∈ (0, 1], and the angle 2πv, v ∈ [0, 1), give r·cos and r·sin, independent
/// N(0, 1). The grids are exact, so the only departure from the normal law is the cut at
/// r ≤ √(106 ln 2) ≈ 8.57, with probability below 10⁻¹⁵.
pub fn standard_normals(words: &[u64]) -> Vec<f64> {
    let mut z = Vec::with_capacity(words.len());
    for pair in words.chunks_exact(2) {
        let r = (-2.0 * uniform_open_below(pair[0]).ln()).sqrt();
        let (sin, cos) = (std::f64::consts::TAU * uniform_open_above(pair[1])).sin_cos();
        z.push(r * cos);
        z.push(r * sin);
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uniform_grids_are_exact_and_exclude_their_open_end() {
        assert_eq!(uniform_open_below(0), ULP);
        assert_eq!(uniform_open_below(u64::MAX), 1.0);
        assert_eq!(uniform_open_above(0), 0.0);
        assert_eq!(uniform_open_above(u64::MAX), 1.0 - ULP);
        // Neighbouring grid points stay distinct at the top, where an f64 is coarsest.
        let top = u64::MAX - (1 << 11);
        assert_eq!(uniform_open_below(u64::MAX) - uniform_open_below(top), ULP);
        assert_eq!(uniform_open_above(u64::MAX) - uniform_open_above(top), ULP);
        // The two grids mirror each other exactly: u(w) = 1 − v(!w).
        for w in [0u64, 1 << 11, 12_345 << 11, u64::MAX / 3, u64::MAX] {
            assert_eq!(uniform_open_below(w), 1.0 - uniform_open_above(!w));
        }
    }

    #[test]
    fn the_largest_normal_is_bounded_by_the_grid() {
        let z = standard_normals(&[0, 0]);
        assert!((z[0] - (106.0 * std::f64::consts::LN_2).sqrt()).abs() < 1e-12);
        assert_eq!(z[1], 0.0);
        assert_eq!(
            standard_normals(&[u64::MAX, 7]),
            vec![0.0, 0.0],
            "r = 0 at u = 1"
        );
    }

    #[test]
    fn sigma_scales_and_odd_lengths_are_filled() {
        let z = NoiseGenerator::new(NoiseSource::Seeded(3))
            .draw(5, 1.0)
            .unwrap();
        let b = NoiseGenerator::new(NoiseSource::Seeded(3))
            .draw(5, 2.5)
            .unwrap();
        assert_eq!(b, z * 2.5);
        assert_eq!(b.len(), 5);
    }

    #[test]
    fn seeded_draws_reproduce_and_secret_draws_never_repeat() {
        let draw = |source| NoiseGenerator::new(source).draw(64, 1.0).unwrap();
        assert_eq!(draw(NoiseSource::Seeded(9)), draw(NoiseSource::Seeded(9)));
        assert_ne!(draw(NoiseSource::Seeded(9)), draw(NoiseSource::Seeded(10)));
        assert_ne!(draw(NoiseSource::Secret), draw(NoiseSource::Secret));
        // One generator's successive draws differ too (the fresh b of a retrain).
        let mut g = NoiseGenerator::new(NoiseSource::Seeded(9));
        assert_ne!(g.draw(64, 1.0).unwrap(), g.draw(64, 1.0).unwrap());
    }

    #[test]
    fn debug_output_hides_the_generator_state() {
        let g = NoiseGenerator::new(NoiseSource::Seeded(123_456_789));
        assert!(!format!("{g:?}").contains("123456789"));
        assert_eq!(g.kind(), NoiseKind::Reproducible);
        assert_eq!(
            NoiseGenerator::new(NoiseSource::Secret).kind(),
            NoiseKind::Secret
        );
    }
}
