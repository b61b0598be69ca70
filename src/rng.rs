//! A tiny seeded generator, so that splits and random selections are reproducible everywhere
//! (native, wasm, and the Python fixture script, which reimplements the same recurrence).

/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
///
/// Not cryptographic; used only to shuffle rows reproducibly.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose whole future is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index in `0..bound` (modulo bias is below 2⁻⁴⁰ for the sizes used here).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    /// `0..n` shuffled by Fisher–Yates, walking down from the last position.
    pub fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut perm: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = self.below(i + 1);
            perm.swap(i, j);
        }
        perm
    }
}

/// `k` distinct indices from `0..n`, sorted, chosen by `seed` (Floyd's algorithm: O(k log k)
/// time and O(k) memory, whatever n).
///
/// Returns all of `0..n` when `k ≥ n`.
///
/// # Errors
/// [`crate::Error::TooLarge`] when more than [`crate::limits::MAX_VALUES`] rows would be drawn.
pub fn sample_indices(n: usize, k: usize, seed: u64) -> crate::Result<Vec<usize>> {
    crate::limits::check_count("rows to sample", k.min(n))?;
    let mut rng = SplitMix64::new(seed);
    let mut chosen = std::collections::BTreeSet::new();
    for j in n - k.min(n)..n {
        let t = rng.below(j + 1);
        if !chosen.insert(t) {
            chosen.insert(j);
        }
    }
    Ok(chosen.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_stream_for_seed_zero() {
        // Published SplitMix64 outputs for seed 0 (e.g. the Java SplittableRandom test vectors).
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn sample_is_sorted_distinct_and_in_range() {
        let s = sample_indices(100, 10, 7).unwrap();
        assert_eq!(s.len(), 10);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        assert!(s.iter().all(|&i| i < 100));
        assert_eq!(sample_indices(3, 10, 1).unwrap(), vec![0, 1, 2]);
        assert_eq!(
            sample_indices(1 << 40, 3, 1).unwrap().len(),
            3,
            "no allocation of n"
        );
        assert!(
            sample_indices(1 << 40, 1 << 30, 1).is_err(),
            "refused, not minutes of work"
        );
    }
}
