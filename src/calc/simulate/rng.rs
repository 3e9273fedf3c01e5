//! The seeded random generator (xoshiro256++ through SplitMix64): every draw of a simulation or
//! replay comes from it, so a run is reproducible from its seed on every platform.

/// SplitMix64 then xoshiro256++: a small, fast generator with identical output on every
/// platform (Blackman & Vigna).
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator seeded from `seed` through SplitMix64.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        let mut z = seed;
        let mut next = || {
            z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut x = z;
            x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            x ^ (x >> 31)
        };
        Self { s: [next(), next(), next(), next()] }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in (0, 1].
    pub fn uniform(&mut self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let top = ((self.next_u64() >> 11) + 1) as f64;
        top * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Exponential with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        // libm's log, not the platform's: the same draws, and the same plans, on every OS.
        -libm::log(self.uniform()) * mean
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_reproducible_and_uniform() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        // Mean of 1e6 exponentials with mean 3: standard error 3/1000, allow 5 of them.
        let mut r = Rng::new(7);
        let m: f64 = (0..1_000_000).map(|_| r.exponential(3.0)).sum::<f64>() / 1e6;
        assert!((m - 3.0).abs() < 0.015, "{m}");
    }
}
