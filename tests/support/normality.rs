//! The statistical acceptance test of a N(0, 1) sampler, shared by the native and the wasm tests.
//! Each check allows about five standard errors, so a correct sampler fails one with a
//! probability below 1e-5 per run.

/// Φ(x) from erfc by Numerical Recipes' Chebyshev fit (relative error < 1.2e-7).
pub fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = [
        -1.265_512_23,
        1.000_023_68,
        0.374_091_96,
        0.096_784_18,
        -0.186_288_06,
        0.278_868_07,
        -1.135_203_98,
        1.488_515_87,
        -0.822_152_23,
        0.170_872_77,
    ]
    .iter()
    .rev()
    .fold(0.0, |acc, c| acc * t + c);
    let erfc = t * (-z * z + poly).exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// Mean, variance, fourth moment, tail shares, symmetry, independence of neighbours (z and z²,
/// which also covers the two values of one Box–Muller pair) and the Kolmogorov–Smirnov distance.
pub fn assert_standard_normal(z: &[f64]) {
    let n = z.len() as f64;
    let mean = z.iter().sum::<f64>() / n;
    let var = z.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let m4 = z.iter().map(|v| v.powi(4)).sum::<f64>() / n;
    assert!(mean.abs() < 5.0 / n.sqrt(), "mean {mean}");
    assert!((var - 1.0).abs() < 5.0 * (2.0 / n).sqrt(), "variance {var}");
    assert!(
        (m4 - 3.0).abs() < 5.0 * (96.0 / n).sqrt(),
        "fourth moment {m4}"
    );
    for (cut, p) in [(1.0, 0.317_310_5), (2.0, 0.045_500_26), (3.0, 0.002_699_8)] {
        let share = z.iter().filter(|v| v.abs() > cut).count() as f64 / n;
        let se = (p * (1.0 - p) / n).sqrt();
        assert!(
            (share - p).abs() < 5.0 * se,
            "P(|z| > {cut}) = {share}, expected {p}"
        );
    }
    let upper = z.iter().filter(|&&v| v > 2.0).count() as f64;
    let lower = z.iter().filter(|&&v| v < -2.0).count() as f64;
    assert!(
        (upper - lower).abs() < 5.0 * (upper + lower).sqrt(),
        "{upper} vs {lower}"
    );
    // Neighbours are independent: corr(zᵢ, zᵢ₊₁) and corr(zᵢ², zᵢ₊₁²) ≈ 0 (se 1/√n); the pairs
    // (z₂ᵢ, z₂ᵢ₊₁) of one Box–Muller draw on their own too (se √(2/n)).
    let lag = |f: fn(f64) -> f64, step: usize| {
        let pairs: Vec<(f64, f64)> = z
            .windows(2)
            .step_by(step)
            .map(|w| (f(w[0]), f(w[1])))
            .collect();
        let m = pairs.len() as f64;
        let (ma, mb) = pairs
            .iter()
            .fold((0.0, 0.0), |(a, b), p| (a + p.0 / m, b + p.1 / m));
        let cov = pairs.iter().map(|p| (p.0 - ma) * (p.1 - mb)).sum::<f64>() / m;
        let va = pairs.iter().map(|p| (p.0 - ma).powi(2)).sum::<f64>() / m;
        let vb = pairs.iter().map(|p| (p.1 - mb).powi(2)).sum::<f64>() / m;
        (cov / (va * vb).sqrt(), m)
    };
    for (what, f) in [("z", (|v| v) as fn(f64) -> f64), ("z²", |v: f64| v * v)] {
        for (kind, step) in [("neighbours", 1), ("Box–Muller pairs", 2)] {
            let (r, m) = lag(f, step);
            assert!(
                r.abs() < 5.0 / m.sqrt(),
                "correlation of {kind} in {what}: {r}"
            );
        }
    }
    let mut sorted = z.to_vec();
    sorted.sort_by(f64::total_cmp);
    let ks = sorted
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let f = normal_cdf(v);
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max);
    // P(√n·D > 2.5) ≈ 7.5e-6; the CDF's own error is far below 1/√n.
    assert!(
        ks * n.sqrt() < 2.5,
        "Kolmogorov–Smirnov √n·D = {}",
        ks * n.sqrt()
    );
}
