//! Numbers over replications: a point estimate with its 95% Student-t confidence interval, and
//! the quantile by selection that every wait percentile uses.

/// A point estimate with the half-width of its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Mean over replications.
    pub mean: f64,
    /// Half-width of the 95% Student-t interval (`mean ± half_width`); 0 with one replication.
    pub half_width: f64,
}

impl Estimate {
    pub(super) fn from_samples(samples: &[f64]) -> Self {
        let finite: Vec<f64> = samples.iter().copied().filter(|v| v.is_finite()).collect();
        if finite.len() < samples.len() {
            // Some replication never reached this quantile: the estimate is unbounded.
            return Self { mean: f64::INFINITY, half_width: f64::INFINITY };
        }
        let n = finite.len();
        if n == 0 {
            return Self { mean: f64::NAN, half_width: f64::NAN };
        }
        #[allow(clippy::cast_precision_loss)]
        let nf = n as f64;
        let mean = finite.iter().sum::<f64>() / nf;
        if n < 2 {
            return Self { mean, half_width: 0.0 };
        }
        let var = finite.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (nf - 1.0);
        Self { mean, half_width: student_t_975(n - 1) * (var / nf).sqrt() }
    }

    /// True when `value` lies inside the interval.
    #[must_use]
    pub fn contains(&self, value: f64) -> bool {
        (value - self.mean).abs() <= self.half_width
    }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom (table to 30, then the
/// Cornish–Fisher expansion around the normal quantile, accurate to 1e-4 there).
fn student_t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    if df == 0 {
        return f64::INFINITY;
    }
    if df <= 30 {
        return TABLE[df - 1];
    }
    let z = 1.959_963_985_f64;
    #[allow(clippy::cast_precision_loss)]
    let v = df as f64;
    z + (z.powi(3) + z) / (4.0 * v) + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
}

/// Quantile `p` of `v` by selection (reorders `v`); NaN for an empty slice.
pub(super) fn quantile(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let k = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
    let (_, x, _) = v.select_nth_unstable_by(k, f64::total_cmp);
    *x
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 0.975 quantiles of Student's t for 1 to 30 degrees of freedom, to 7 digits, from
    /// mpmath 1.3.0 (bisection on the regularised incomplete beta function, 30 digits).
    const EXACT: [f64; 30] = [
        12.7062, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139, 2.200985,
        2.178813, 2.160369, 2.144787, 2.13145, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873,
        2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523, 2.042272,
    ];

    #[test]
    fn the_t_quantile_is_the_table_to_30_and_cornish_fisher_beyond() {
        assert_eq!(student_t_975(0), f64::INFINITY);
        for (i, &exact) in EXACT.iter().enumerate() {
            // The table has three decimals.
            assert!((student_t_975(i + 1) - exact).abs() <= 5.1e-4, "df {}: {}", i + 1, student_t_975(i + 1));
        }
        // Beyond the table (mpmath as above): the expansion is within 1e-4, and closer as df grows.
        for (df, exact, within) in
            [(31, 2.039_513_446, 1e-4), (40, 2.021_075_39, 5e-5), (60, 2.000_297_822, 2e-5), (100, 1.983_971_519, 3e-6)]
        {
            let t = student_t_975(df);
            assert!((t - exact).abs() < within, "df {df}: {t}");
        }
        assert!((student_t_975(1000) - 1.962_339_081).abs() < 1e-8);
    }

    #[test]
    fn an_estimate_is_the_mean_and_the_t_interval_of_the_samples() {
        // 1, 2, 3, 4: mean 2.5, sample variance 5/3, standard error √(5/12), t(3) = 3.182.
        let e = Estimate::from_samples(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(e.mean, 2.5);
        assert!((e.half_width - 3.182 * (5.0_f64 / 12.0).sqrt()).abs() < 1e-12, "{e:?}");
        // Thirty-one samples 0, 1, …, 30: mean 15, variance 31·32/12 = 82.67, t(30) = 2.042.
        let v: Vec<f64> = (0..31).map(f64::from).collect();
        let e = Estimate::from_samples(&v);
        assert_eq!(e.mean, 15.0);
        assert!((e.half_width - 2.042 * (31.0 * 32.0 / 12.0 / 31.0_f64).sqrt()).abs() < 1e-12, "{e:?}");
        // Two samples, 1 and 3: mean 2, variance 2, standard error 1, t(1) = 12.706.
        let e = Estimate::from_samples(&[1.0, 3.0]);
        assert!(e.mean == 2.0 && (e.half_width - 12.706).abs() < 1e-12, "{e:?}");
        // One sample: no interval; none: not a number; one that never got there: unbounded.
        assert_eq!(Estimate::from_samples(&[7.0]), Estimate { mean: 7.0, half_width: 0.0 });
        let none = Estimate::from_samples(&[]);
        assert!(none.mean.is_nan() && none.half_width.is_nan());
        for odd in [f64::INFINITY, f64::NAN] {
            assert_eq!(
                Estimate::from_samples(&[1.0, odd, 2.0]),
                Estimate { mean: f64::INFINITY, half_width: f64::INFINITY }
            );
        }
    }

    #[test]
    fn an_interval_contains_its_ends_and_nothing_beyond() {
        let e = Estimate { mean: 10.0, half_width: 2.0 };
        for inside in [8.0, 9.0, 10.0, 12.0] {
            assert!(e.contains(inside), "{inside}");
        }
        for outside in [7.999_999, 12.000_001, f64::NAN] {
            assert!(!e.contains(outside), "{outside}");
        }
    }

    #[test]
    fn the_quantile_is_the_ceiling_rank() {
        // The p-quantile of n values is the ⌈p·n⌉-th smallest (at least the first).
        let q = |p: f64| quantile(&mut [5.0, 1.0, 4.0, 2.0, 3.0], p);
        assert_eq!(q(0.0), 1.0);
        assert_eq!(q(0.2), 1.0);
        assert_eq!(q(0.200_001), 2.0);
        assert_eq!(q(0.5), 3.0);
        assert_eq!(q(0.8), 4.0);
        assert_eq!(q(0.9), 5.0);
        assert_eq!(q(1.0), 5.0);
        assert_eq!(quantile(&mut [f64::INFINITY, 2.0, 1.0], 1.0), f64::INFINITY);
        assert!(quantile(&mut [], 0.5).is_nan());
    }
}
