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
