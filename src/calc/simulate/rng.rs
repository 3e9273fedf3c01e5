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

    #[test]
    fn the_generator_is_xoshiro256_plus_plus_seeded_by_splitmix64() {
        // xoshiro256++ from the state [1, 2, 3, 4]: the reference vector of
        // https://prng.di.unimi.it/xoshiro256plusplus.c as the rand_xoshiro crate's test lists it.
        let mut r = Rng { s: [1, 2, 3, 4] };
        let expected: [u64; 10] = [
            41_943_041,
            58_720_359,
            3_588_806_011_781_223,
            3_591_011_842_654_386,
            9_228_616_714_210_784_205,
            9_973_669_472_204_895_162,
            14_011_001_112_246_962_877,
            12_406_186_145_184_390_807,
            15_849_039_046_786_891_736,
            10_450_023_813_501_588_000,
        ];
        for (i, &e) in expected.iter().enumerate() {
            assert_eq!(r.next_u64(), e, "output {i}");
        }
        // SplitMix64 seeded with 1234567 (Rosetta Code, "Pseudo-random numbers/Splitmix64"):
        // its first four outputs are the state.
        assert_eq!(
            Rng::new(1_234_567).s,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431
            ]
        );
    }

    #[test]
    fn uniform_takes_the_top_53_bits_plus_one_and_exponential_is_minus_log() {
        // The first output of [1, 2, 3, 4] is 41,943,041 = 20,480 · 2¹¹ + 1: its top 53 bits are
        // 20,480, so the draw is 20,481 · 2⁻⁵³ and the exponential of mean 2 is 2 · (53 ln 2 − ln 20,481).
        let u = Rng { s: [1, 2, 3, 4] }.uniform();
        assert_eq!(u, 20_481.0 / 9_007_199_254_740_992.0);
        let e = Rng { s: [1, 2, 3, 4] }.exponential(2.0);
        let by_hand = 2.0 * (53.0 * std::f64::consts::LN_2 - 20_481.0_f64.ln());
        assert!((e - by_hand).abs() < 1e-13 * by_hand, "{e} vs {by_hand}");
        // The ends of (0, 1]: an output of 0 is the smallest draw, never 0 (whose log is −∞);
        // an output of all ones is exactly 1, an exponential of 0.
        assert_eq!(Rng { s: [0; 4] }.uniform(), 1.0 / 9_007_199_254_740_992.0);
        assert_eq!(Rng { s: [0, 0, 0, u64::MAX] }.uniform(), 1.0);
        assert_eq!(Rng { s: [0, 0, 0, u64::MAX] }.exponential(5.0), 0.0);
    }
}
