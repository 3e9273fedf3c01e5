//! Queueing formulas for a pod of reps: Erlang B, Erlang C (M/M/N) and Erlang A (M/M/N+M).
//!
//! These are the formulas workforce-management tools use, computed so that they stay exact and
//! finite for any head count a brief can name: Erlang B by its recursion (no factorials, no
//! powers, no overflow for 10,000 reps), Erlang C from Erlang B only when the queue is stable
//! (N > A), and Erlang A — leads that go cold after an exponentially distributed patience — from
//! the exact stationary distribution of its birth–death chain. The infinite tail of that chain
//! is a confluent hypergeometric series summed in log space until a proven bound on the
//! remainder falls below 1e-16 of the sum; nothing is truncated silently.
//!
//! Units: rates and times in any one unit (the callers use minutes); traffic in erlangs.
//!
//! `exp` and `ln` are libm's (a Rust port of musl's), not the platform's: glibc, Apple's libm
//! and the MSVC runtime may differ in the last bit, and the plan `check` compares byte for byte
//! must come out the same on a laptop and in CI.

use std::fmt;

use libm::{exp, log as ln};

/// Erlang B blocking probability for `servers` servers offered `traffic` erlangs, by the
/// recursion `B₀ = 1, Bₖ = A·Bₖ₋₁ / (k + A·Bₖ₋₁)`. Returns 1 for zero servers; negative or
/// non-finite traffic is treated as 0 (callers validate first).
///
/// The recursion runs on its reciprocal, `1/Bₖ = 1 + (k/A)·(1/Bₖ₋₁)` (the same recursion
/// divided through), which needs one multiply-add per step instead of a division: every term is
/// positive, so rounding errors do not grow. When `1/B` exceeds the largest `f64` (many more
/// reps than traffic) B is below 1e-308 and is returned as 0, exactly what the direct form
/// underflows to — and the loop stops there, since every later step stays infinite.
///
/// It does not start at 0: see `recursion_start`. The steps it skips change the result by
/// less than 2⁻¹²⁰ of it, far below the last bit, so the value is the one the full recursion
/// gives (a test compares both, bit for bit, over N up to 10,000 and loads up to ρ → 1). The
/// cost is about `13·√A` steps plus the steps from A to the smaller of N and the point where B
/// underflows, instead of N: 1,460 instead of 10,000 for 10,000 reps at 9,900 erlangs.
#[must_use]
pub fn erlang_b(servers: u32, traffic: f64) -> f64 {
    if servers == 0 {
        return 1.0;
    }
    if !(traffic.is_finite() && traffic > 0.0) {
        return 0.0;
    }
    let per_erlang = 1.0 / traffic;
    let mut inv = 1.0_f64;
    for k in recursion_start(servers, traffic) + 1..=servers {
        inv = 1.0 + f64::from(k) * per_erlang * inv;
        if inv == f64::INFINITY {
            return 0.0;
        }
    }
    1.0 / inv
}

/// `-ln 2⁻¹²⁰`: how far below the result the perturbation of a late start is kept.
const START_MARGIN: f64 = 83.18;

/// The step `k₀` at which the Erlang B recursion may start from `1/B_{k₀} = 1` (as if `B_{k₀}`
/// were 1) instead of from `k = 0`, for N servers and traffic A.
///
/// Starting there changes `1/B` at step `k₁ = min(N, ⌊A⌋)` by `(1/B_{k₀} − 1)·Πₖ₌ₖ₀₊₁^{k₁} k/A`
/// (the recursion is linear in `1/B`). Carried traffic cannot exceed the servers,
/// `A·(1 − B_{k₀}) ≤ k₀`, so `1/B_{k₀} − 1 < A/(A − k₀) ≤ A/m` with `m = k₁ − k₀`; and with
/// `ln x ≤ x − 1`, the product is at most `exp(−Σ (A − k)/A) ≤ exp(−m(m − 1)/(2A))`. Taking
/// `(m − 1)² ≥ 2A·(83.18 + ln A)` bounds the change by 2⁻¹²⁰ at `k₁`, where `1/B ≥ 1`; after
/// `k₁` the relative change can only shrink (each step multiplies it by `1 − Bₖ`). Returns 0
/// (the full recursion) when that start would be below 1.
fn recursion_start(servers: u32, traffic: f64) -> u32 {
    let k1 = f64::from(servers).min(traffic.floor());
    let m = (2.0 * traffic * (START_MARGIN + ln(traffic).max(0.0))).sqrt().ceil() + 1.0;
    let k0 = k1 - m;
    if k0 >= 1.0 {
        // 1 ≤ k₀ < servers, an integer-valued f64: the cast is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let k0 = k0 as u32;
        k0
    } else {
        0
    }
}

/// Erlang C probability that a lead waits, `C = N·B / (N − A·(1 − B))`, or `None` when the
/// queue is unstable (N ≤ A, the queue grows without bound).
#[must_use]
pub fn erlang_c(servers: u32, traffic: f64) -> Option<f64> {
    let n = f64::from(servers);
    if !(traffic.is_finite() && traffic >= 0.0) || n <= traffic {
        return None;
    }
    let b = erlang_b(servers, traffic);
    // n > traffic ≥ traffic·(1 − b), so the denominator is positive.
    let c = n * b / (n - traffic * (1.0 - b));
    Some(c.clamp(0.0, 1.0))
}

/// A stable M/M/N queue: Erlang C and the waiting-time distribution that follows from it,
/// `P(W > t) = C·e^{−(N − A)·t / work}`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangC {
    /// Servers (productive reps).
    pub servers: u32,
    /// Offered traffic in erlangs (arrival rate × work time).
    pub traffic: f64,
    /// Mean work time per lead.
    pub work_time: f64,
    /// Probability a lead waits at all.
    pub wait_probability: f64,
}

impl ErlangC {
    /// The queue for `servers` servers, `traffic` erlangs and mean `work_time`; `None` when
    /// unstable (servers ≤ traffic) or when `work_time` is not positive and finite.
    #[must_use]
    pub fn new(servers: u32, traffic: f64, work_time: f64) -> Option<Self> {
        if !(work_time.is_finite() && work_time > 0.0) {
            return None;
        }
        let wait_probability = erlang_c(servers, traffic)?;
        Some(Self { servers, traffic, work_time, wait_probability })
    }

    /// Rate at which the wait distribution decays: (N − A) / work time.
    fn decay(&self) -> f64 {
        (f64::from(self.servers) - self.traffic) / self.work_time
    }

    /// `P(W > t)`: share of leads still waiting after `t`.
    #[must_use]
    pub fn wait_exceeds(&self, t: f64) -> f64 {
        if t < 0.0 {
            return 1.0;
        }
        self.wait_probability * exp(-self.decay() * t)
    }

    /// Share of leads first touched within `t`: `1 − C·e^{−(N − A)·t / work}`.
    #[must_use]
    pub fn service_level(&self, t: f64) -> f64 {
        (1.0 - self.wait_exceeds(t)).clamp(0.0, 1.0)
    }

    /// Mean wait (ASA) `C·work / (N − A)`.
    #[must_use]
    pub fn average_wait(&self) -> f64 {
        self.wait_probability / self.decay()
    }

    /// The `p`-quantile of the wait (`0 < p < 1`): 0 when at least `p` of leads do not wait,
    /// otherwise `work / (N − A) · ln(C / (1 − p))`.
    #[must_use]
    pub fn wait_quantile(&self, p: f64) -> f64 {
        let tail = 1.0 - p.clamp(0.0, 1.0);
        if self.wait_probability <= tail {
            return 0.0;
        }
        if tail <= 0.0 {
            return f64::INFINITY;
        }
        ln(self.wait_probability / tail) / self.decay()
    }

    /// Occupancy `A / N`.
    #[must_use]
    pub fn occupancy(&self) -> f64 {
        self.traffic / f64::from(self.servers)
    }
}

/// Why an Erlang A model could not be computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ErlangAError {
    /// A rate or time was negative, zero where it must be positive, or not finite.
    InvalidInput,
    /// The tail series would need more terms than the limit: a massively overloaded pod with
    /// near-infinite patience. Reported rather than truncated.
    TooManyTerms {
        /// Terms the series would have needed at least.
        needed_at_least: u64,
    },
}

impl fmt::Display for ErlangAError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidInput => write!(f, "arrival rate, work time and patience must be positive and finite"),
            Self::TooManyTerms { needed_at_least } => write!(
                f,
                "the queue is so overloaded for its patience that the exact Erlang A sum needs over {needed_at_least} terms"
            ),
        }
    }
}

impl std::error::Error for ErlangAError {}

/// Most terms the tail series may take: about a tenth of a second of work.
const MAX_TERMS: u64 = 50_000_000;

/// `ln S(a, y)` where `S(a, y) = Σ_{m≥0} yᵐ / ((a+1)(a+2)…(a+m))` (Kummer's M(1, a+1, y)).
///
/// Terms are positive; their ratio `y / (a + m + 1)` falls with m, so once it is below 1 the
/// remainder after term m is at most `term · r / (1 − r)` (a geometric bound with the current,
/// largest remaining ratio). Summation stops when that bound is below 1e-17 of the sum. Terms
/// are kept relative to a running scale so huge sums (overloaded pods) do not overflow.
fn ln_kummer(a: f64, y: f64) -> Result<f64, ErlangAError> {
    if y <= 0.0 {
        return Ok(0.0);
    }
    // Running sum and current term, both divided by exp(scale).
    let mut scale = 0.0_f64;
    let mut sum = 1.0_f64;
    let mut term = 1.0_f64;
    let mut m: u64 = 0;
    loop {
        m += 1;
        // Exact for m below 2^53; MAX_TERMS is far below.
        #[allow(clippy::cast_precision_loss)]
        let r = y / (a + m as f64);
        term *= r;
        sum += term;
        if sum > 1e280 {
            let s = ln(sum);
            scale += s;
            sum = 1.0;
            term /= exp(s);
        }
        #[allow(clippy::cast_precision_loss)]
        let next = y / (a + (m + 1) as f64);
        if next < 1.0 {
            let bound = term * next / (1.0 - next);
            if bound <= 1e-17 * sum {
                return Ok(scale + ln(sum));
            }
        }
        if m >= MAX_TERMS {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let needed = (y - a).max(0.0) as u64;
            return Err(ErlangAError::TooManyTerms { needed_at_least: needed.max(MAX_TERMS) });
        }
    }
}

/// `E[m]` under the weights of `S(a, y)`, i.e. `Σ m·tₘ / Σ tₘ`, with the same bound (the
/// remainder of `Σ m·tₘ` is at most `tₘ·r·(m + 1/(1−r))/(1−r)`).
fn kummer_mean_index(a: f64, y: f64) -> Result<f64, ErlangAError> {
    if y <= 0.0 {
        return Ok(0.0);
    }
    let mut sum = 1.0_f64;
    let mut weighted = 0.0_f64;
    let mut term = 1.0_f64;
    let mut m: u64 = 0;
    loop {
        m += 1;
        #[allow(clippy::cast_precision_loss)]
        let mf = m as f64;
        term *= y / (a + mf);
        sum += term;
        weighted += mf * term;
        if sum > 1e280 {
            sum /= 1e280;
            weighted /= 1e280;
            term /= 1e280;
        }
        let next = y / (a + mf + 1.0);
        if next < 1.0 {
            let bound = term * next * (mf + 1.0 / (1.0 - next)) / (1.0 - next);
            if bound <= 1e-17 * weighted.max(sum) {
                return Ok(weighted / sum);
            }
        }
        if m >= MAX_TERMS {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let needed = (y - a).max(0.0) as u64;
            return Err(ErlangAError::TooManyTerms { needed_at_least: needed.max(MAX_TERMS) });
        }
    }
}

/// `ln(eˣ + eʸ)` without overflow.
fn log_add_exp(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY {
        return y;
    }
    if y == f64::NEG_INFINITY {
        return x;
    }
    let (hi, lo) = if x > y { (x, y) } else { (y, x) };
    hi + libm::log1p(exp(lo - hi))
}

/// Erlang A (M/M/N+M): Poisson arrivals at rate λ, exponential work with mean `1/μ`, N servers,
/// and exponential patience with mean `1/θ` — a lead not taken within its patience goes cold.
///
/// The stationary distribution of the number of leads n in the pod is a birth–death chain
/// (birth λ, death `min(n,N)·μ + max(n−N,0)·θ`). Below N it is Erlang B's; above N the weights
/// relative to `π_N` are `tₘ = Πⱼ₌₁ᵐ λ/(Nμ + jθ)`, whose sum is `S(a, x)` with `a = Nμ/θ`,
/// `x = λ/θ`. The offered wait V (time until a rep would take the lead) has, on `V > 0`, the
/// density `Nμ·π_N·exp(x(1 − e^{−θv}) − Nμ·v)` (Baccelli & Hébuterne 1981; Mandelbaum & Zeltyn),
/// whose tails integrate in closed form to the same series:
/// `P(V > t) = π_N·exp(x(1 − e^{−θt}) − Nμt)·S(a, x·e^{−θt})` and
/// `P(V > t, served) = π_N·Nμ/(Nμ+θ)·exp(x(1 − e^{−θt}) − (Nμ+θ)t)·S(a+1, x·e^{−θt})`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangA {
    servers: u32,
    arrival_rate: f64,
    service_rate: f64,
    abandon_rate: f64,
    /// ln π_N.
    ln_pi_n: f64,
    /// P(all servers busy on arrival) = P(V > 0).
    wait_probability: f64,
    abandon_probability: f64,
    /// Mean number of leads queued (not yet taken, not yet cold).
    mean_queue: f64,
}

impl ErlangA {
    /// Solve the M/M/N+M queue for arrival rate λ, mean work time, N servers and mean patience
    /// (all rates and times in the same unit). Stable for any load: abandonment bounds the queue.
    ///
    /// # Errors
    /// [`ErlangAError::InvalidInput`] for a negative or non-finite rate, a non-positive work
    /// time or patience; [`ErlangAError::TooManyTerms`] for an extreme overload with extreme
    /// patience that the exact sum cannot reach within its term limit.
    pub fn new(arrival_rate: f64, work_time: f64, servers: u32, patience: f64) -> Result<Self, ErlangAError> {
        let ok = |v: f64| v.is_finite() && v > 0.0;
        if !(arrival_rate.is_finite() && arrival_rate >= 0.0 && ok(work_time) && ok(patience)) {
            return Err(ErlangAError::InvalidInput);
        }
        let service_rate = 1.0 / work_time;
        let abandon_rate = 1.0 / patience;
        let n = f64::from(servers);
        let traffic = arrival_rate * work_time;
        let a = n * service_rate / abandon_rate;
        let x = arrival_rate / abandon_rate;
        let b = erlang_b(servers, traffic);
        let ln_s = ln_kummer(a, x)?;
        // π_N = B / (1 − B + B·S), in logs.
        let ln_b = ln(b);
        let ln_norm = log_add_exp(ln(1.0 - b), ln_b + ln_s);
        let ln_pi_n = ln_b - ln_norm;
        let wait_probability = exp(ln_pi_n + ln_s).clamp(0.0, 1.0);
        // E[queue] = π_N·Σ m·tₘ = P(V > 0)·E[m].
        let mean_queue = wait_probability * kummer_mean_index(a, x)?;
        let abandon_probability =
            if arrival_rate > 0.0 { (abandon_rate * mean_queue / arrival_rate).clamp(0.0, 1.0) } else { 0.0 };
        Ok(Self {
            servers,
            arrival_rate,
            service_rate,
            abandon_rate,
            ln_pi_n,
            wait_probability,
            abandon_probability,
            mean_queue,
        })
    }

    /// Probability that a lead finds every rep busy (its offered wait is positive).
    #[must_use]
    pub fn wait_probability(&self) -> f64 {
        self.wait_probability
    }

    /// Probability that a lead goes cold before its first touch, `θ·E[Q]/λ` (rate balance).
    #[must_use]
    pub fn abandon_probability(&self) -> f64 {
        self.abandon_probability
    }

    /// Mean number of leads waiting.
    #[must_use]
    pub fn mean_queue(&self) -> f64 {
        self.mean_queue
    }

    /// Mean time a lead spends waiting, until touched or cold (`E[Q]/λ`, Little's law).
    #[must_use]
    pub fn average_wait(&self) -> f64 {
        if self.arrival_rate > 0.0 { self.mean_queue / self.arrival_rate } else { 0.0 }
    }

    /// Occupancy: served traffic per rep, `λ·(1 − P(Ab))/(N·μ)`.
    #[must_use]
    pub fn occupancy(&self) -> f64 {
        if self.servers == 0 {
            return 0.0;
        }
        // Carried load cannot exceed the reps; clamp the last-bit rounding of 1 − P(Ab).
        (self.arrival_rate * (1.0 - self.abandon_probability) / (f64::from(self.servers) * self.service_rate)).min(1.0)
    }

    fn common(&self, t: f64) -> (f64, f64) {
        let x = self.arrival_rate / self.abandon_rate;
        let decay = exp(-self.abandon_rate * t);
        (x * (1.0 - decay), x * decay)
    }

    /// `P(V > t)`: the share of leads a rep would not yet have reached after `t` (whether or
    /// not they went cold meanwhile).
    ///
    /// # Errors
    /// [`ErlangAError::TooManyTerms`] as for [`ErlangA::new`] (not reachable once `new` passed,
    /// since the series here has a smaller argument).
    pub fn offered_wait_exceeds(&self, t: f64) -> Result<f64, ErlangAError> {
        if t <= 0.0 {
            return Ok(if t < 0.0 { 1.0 } else { self.wait_probability });
        }
        let n_mu = f64::from(self.servers) * self.service_rate;
        let (grown, y) = self.common(t);
        let ln_s = ln_kummer(n_mu / self.abandon_rate, y)?;
        Ok(exp(self.ln_pi_n + grown - n_mu * t + ln_s).clamp(0.0, 1.0))
    }

    /// Share of leads touched by a rep within `t` of arriving: not cold, and reached within `t`.
    /// Leads that go cold count as not touched. Computed as `1 − P(Ab) − P(V > t, served)`, so
    /// its absolute accuracy is about 1e-15 (a share that small reads as 0).
    ///
    /// # Errors
    /// As [`ErlangA::offered_wait_exceeds`].
    pub fn touched_within(&self, t: f64) -> Result<f64, ErlangAError> {
        let n_mu = f64::from(self.servers) * self.service_rate;
        let theta = self.abandon_rate;
        let t = t.max(0.0);
        let (grown, y) = self.common(t);
        let ln_s1 = ln_kummer(n_mu / theta + 1.0, y)?;
        let late_served = if n_mu > 0.0 {
            exp(self.ln_pi_n + ln(n_mu / (n_mu + theta)) + grown - (n_mu + theta) * t + ln_s1)
        } else {
            0.0
        };
        Ok((1.0 - self.abandon_probability - late_served).clamp(0.0, 1.0))
    }

    /// The `p`-quantile of the offered wait V (time until a rep would reach the lead), found by
    /// bisection on `P(V > t) = 1 − p`; 0 when at least `p` of leads are reached at once, and
    /// infinity when V exceeds every time with probability above `1 − p` (no reps).
    ///
    /// # Errors
    /// As [`ErlangA::offered_wait_exceeds`].
    pub fn offered_wait_quantile(&self, p: f64) -> Result<f64, ErlangAError> {
        let tail = 1.0 - p.clamp(0.0, 1.0);
        if self.wait_probability <= tail {
            return Ok(0.0);
        }
        if self.servers == 0 || tail <= 0.0 {
            return Ok(f64::INFINITY);
        }
        // Upper bracket: double until the tail is below the target.
        let mut hi = 1.0 / (f64::from(self.servers) * self.service_rate);
        let mut steps = 0;
        while self.offered_wait_exceeds(hi)? > tail {
            hi *= 2.0;
            steps += 1;
            if steps > 200 {
                return Ok(f64::INFINITY);
            }
        }
        let mut lo = 0.0;
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if self.offered_wait_exceeds(mid)? > tail {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi - lo <= 1e-12 * hi {
                break;
            }
        }
        Ok(0.5 * (lo + hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Erlang B recursion run from `k = 0`, as `erlang_b` did before it started near N: the
    /// reference the late start is checked against.
    fn erlang_b_serial(servers: u32, traffic: f64) -> f64 {
        if servers == 0 {
            return 1.0;
        }
        if !(traffic.is_finite() && traffic > 0.0) {
            return 0.0;
        }
        let per_erlang = 1.0 / traffic;
        let mut inv = 1.0_f64;
        for k in 1..=servers {
            inv = 1.0 + f64::from(k) * per_erlang * inv;
        }
        1.0 / inv
    }

    #[test]
    fn late_start_agrees_with_the_serial_recursion() {
        // N up to 10,000; loads from nearly idle to ρ → 1 and past it (Erlang A uses B for
        // overloaded pods too). The bound in `recursion_start` makes the skipped steps worth
        // under 2⁻¹²⁰ of the result, so the two agree to the bit in practice; the contract is
        // 1e-12 relative, checked first.
        let ns = [1_u32, 2, 7, 50, 99, 100, 101, 500, 999, 1_000, 2_500, 5_000, 7_777, 9_999, 10_000];
        let rhos = [1e-3, 0.1, 0.5, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999, 1.0, 1.01, 1.5, 3.0];
        let mut skipped = 0;
        for &n in &ns {
            for &rho in &rhos {
                for a in [rho * f64::from(n), rho * f64::from(n) + 0.37, (rho * f64::from(n)).floor()] {
                    if a <= 0.0 {
                        continue;
                    }
                    let (fast, slow) = (erlang_b(n, a), erlang_b_serial(n, a));
                    let rel = if slow == 0.0 { fast } else { ((fast - slow) / slow).abs() };
                    assert!(rel <= 1e-12, "N={n} A={a}: {fast:e} vs {slow:e}");
                    assert_eq!(fast.to_bits(), slow.to_bits(), "N={n} A={a}: {fast:e} vs {slow:e}");
                    if recursion_start(n, a) > 0 {
                        skipped += 1;
                    }
                    let c_serial = {
                        let nf = f64::from(n);
                        (nf > a).then(|| (nf * slow / (nf - a * (1.0 - slow))).clamp(0.0, 1.0))
                    };
                    assert_eq!(erlang_c(n, a).map(f64::to_bits), c_serial.map(f64::to_bits), "C at N={n} A={a}");
                }
            }
        }
        // The grid does exercise the late start (A above ~2,000), not only the full recursion.
        assert!(skipped > 40, "{skipped}");
        // 10,000 reps at 9,900 erlangs: the start is near 8,540, not 0.
        let k0 = recursion_start(10_000, 9_900.0);
        assert!((8_500..8_600).contains(&k0), "{k0}");
        // Many reps, little traffic: B underflows to exactly 0 either way.
        assert_eq!(erlang_b(10_000, 3.0), 0.0);
        assert_eq!(erlang_b_serial(10_000, 3.0), 0.0);
    }

    /// Erlang B by the textbook sum `(Aᴺ/N!) / Σₖ Aᵏ/k!`, for small N only.
    fn erlang_b_naive(n: u32, a: f64) -> f64 {
        let mut term = 1.0;
        let mut sum = 1.0;
        for k in 1..=n {
            term *= a / f64::from(k);
            sum += term;
        }
        term / sum
    }

    #[test]
    fn erlang_b_matches_the_textbook_sum_for_small_pods() {
        for n in 0..30 {
            for a in [0.1, 1.0, 5.0, 12.5, 29.0] {
                let (r, e) = (erlang_b(n, a), erlang_b_naive(n, a));
                assert!((r - e).abs() < 1e-13, "n={n} a={a}: {r} vs {e}");
            }
        }
        // Hand check: B(1, A) = A / (1 + A); B(2, 1) = (1/2)/(1 + 1 + 1/2) = 0.2.
        assert!((erlang_b(1, 3.0) - 0.75).abs() < 1e-15);
        assert!((erlang_b(2, 1.0) - 0.2).abs() < 1e-15);
    }

    #[test]
    fn erlang_c_refuses_unstable_queues() {
        assert_eq!(erlang_c(10, 10.0), None);
        assert_eq!(erlang_c(10, 12.0), None);
        assert_eq!(erlang_c(0, 0.5), None);
        assert_eq!(erlang_c(3, f64::NAN), None);
        // Negative traffic is no queue at all, not one where nobody waits.
        assert_eq!(erlang_c(5, -1.0), None);
        assert!(ErlangC::new(10, 5.0, 0.0).is_none());
        // M/M/1: C = ρ.
        assert!((erlang_c(1, 0.7).unwrap() - 0.7).abs() < 1e-15);
    }

    #[test]
    fn erlang_c_wait_distribution_is_consistent() {
        let q = ErlangC::new(14, 10.0, 3.0).unwrap();
        // The median of the wait solves service_level(t) = 0.5.
        for p in [0.5, 0.9, 0.95] {
            let t = q.wait_quantile(p);
            if t > 0.0 {
                assert!((q.service_level(t) - p).abs() < 1e-12);
            }
        }
        // Mean = ∫ P(W > t) dt, by the trapezoid rule on a fine grid.
        let h = 1e-3;
        let integral: f64 =
            (0..200_000).map(|i| 0.5 * h * (q.wait_exceeds(i as f64 * h) + q.wait_exceeds((i + 1) as f64 * h))).sum();
        assert!((integral - q.average_wait()).abs() < 1e-6, "{integral} vs {}", q.average_wait());
    }

    #[test]
    fn erlang_c_quantiles_and_occupancy_match_the_pyworkforce_example() {
        // pyworkforce README example: 14 productive reps, 10 erlangs, 3-minute touches.
        // C = 0.17413193359504983 from tests/fixtures/sla/reference.json (pyworkforce 0.5.1 and
        // 60-digit mpmath agree). The wait is 0 with probability 1 − C and exponential with rate
        // (N − A)/work = 4/3 per minute otherwise, so by hand: P(W > t) = C·e^{−4t/3}, the
        // p-quantile is 3/4 · ln(C/(1 − p)) when C > 1 − p and 0 when C ≤ 1 − p, and occupancy is
        // A/N = 10/14.
        let q = ErlangC::new(14, 10.0, 3.0).unwrap();
        let c = 0.174_131_933_595_049_83_f64;
        assert!((q.wait_probability - c).abs() < 1e-15, "{}", q.wait_probability);
        assert_eq!(q.wait_quantile(0.5), 0.0);
        // p = 0.8: 1 − p = 0.2 > C, still 0.
        assert_eq!(q.wait_quantile(0.8), 0.0);
        assert!((q.wait_quantile(0.9) - 0.75 * (c / 0.1).ln()).abs() < 1e-13, "{}", q.wait_quantile(0.9));
        assert!((q.wait_quantile(0.95) - 0.75 * (c / 0.05).ln()).abs() < 1e-13, "{}", q.wait_quantile(0.95));
        assert_eq!(q.wait_quantile(1.0), f64::INFINITY);
        assert!((q.occupancy() - 10.0 / 14.0).abs() < 1e-15);
        // ASA = C·work/(N − A) = C·3/4 (reference.json: 0.1305989501962874 minutes).
        assert!((q.average_wait() - 0.130_598_950_196_287_4).abs() < 1e-15);
        assert!((q.service_level(1.0) - (1.0 - c * (-4.0_f64 / 3.0).exp())).abs() < 1e-15);
    }

    #[test]
    fn kummer_series_matches_its_closed_form_for_integer_a() {
        // For a = 0, S(0, y) = Σ yᵐ/m! = eʸ.
        for y in [0.5, 3.0, 40.0, 700.0, 5000.0] {
            assert!((ln_kummer(0.0, y).unwrap() - y).abs() < 1e-9 * y.max(1.0), "y={y}");
        }
        // For a = 1, S(1, y) = (eʸ − 1)/y.
        for y in [0.5_f64, 3.0, 40.0] {
            let exact = ((y.exp() - 1.0) / y).ln();
            assert!((ln_kummer(1.0, y).unwrap() - exact).abs() < 1e-12);
        }
        // With a large, S → 1/(1 − y/a) (geometric): y = 1, a = 1e9.
        assert!((ln_kummer(1e9, 1.0).unwrap() - (1.0_f64 / (1.0 - 1e-9)).ln()).abs() < 1e-12);
    }

    #[test]
    fn erlang_a_with_near_infinite_patience_tends_to_erlang_c() {
        // θ → 0 turns M/M/N+M into M/M/N: 14 reps, 10 erlangs, work 3.
        let c = ErlangC::new(14, 10.0, 3.0).unwrap();
        let a = ErlangA::new(10.0 / 3.0, 3.0, 14, 1e9).unwrap();
        assert!((a.wait_probability() - c.wait_probability).abs() < 1e-6);
        assert!(a.abandon_probability() < 1e-8);
        assert!((a.average_wait() - c.average_wait()).abs() < 1e-5);
        assert!((a.touched_within(1.0 / 3.0).unwrap() - c.service_level(1.0 / 3.0)).abs() < 1e-6);
    }

    #[test]
    fn erlang_a_is_internally_consistent() {
        // Overloaded and underloaded cases.
        for &(lambda, work, n, patience) in
            &[(2.0, 3.0, 5_u32, 4.0), (10.0, 1.0, 8, 2.0), (0.5, 10.0, 3, 30.0), (100.0, 0.5, 40, 0.5)]
        {
            let q = ErlangA::new(lambda, work, n, patience).unwrap();
            // P(Ab) two ways. touched_within(0) is computed as 1 − θ·E[Q]/λ − P(V > 0, served)
            // (mean-index series and the S(a+1, x) closed form); it must equal P(V = 0) =
            // 1 − P(wait) (the S(a, x) series), which holds only if both routes to P(Ab) agree.
            assert!((q.touched_within(0.0).unwrap() - (1.0 - q.wait_probability())).abs() < 1e-10);
            // The touched share tends to 1 − P(Ab) as t grows.
            assert!((q.touched_within(1e6).unwrap() - (1.0 - q.abandon_probability())).abs() < 1e-10);
            // Touched share rises with t.
            let mut last = 0.0;
            for i in 0..50 {
                let s = q.touched_within(f64::from(i) * 0.2).unwrap();
                assert!(s + 1e-12 >= last);
                last = s;
            }
            // Quantile inverts the tail.
            let t90 = q.offered_wait_quantile(0.9).unwrap();
            if t90 > 0.0 && t90.is_finite() {
                assert!((q.offered_wait_exceeds(t90).unwrap() - 0.1).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn erlang_a_heavy_overload_stays_finite() {
        // λ = 50/min into 10 reps of 1-minute work with 10-minute patience: the queue is about
        // (50 − 10)·10 = 400 deep; sums of order e^400 must not overflow.
        let q = ErlangA::new(50.0, 1.0, 10, 10.0).unwrap();
        assert!(q.wait_probability() > 0.999_999);
        // Fluid limit: served ≈ 10/50, abandoned ≈ 0.8.
        assert!((q.abandon_probability() - 0.8).abs() < 0.01, "{}", q.abandon_probability());
        // A thousand-fold overload with long patience still works (≈ 5·10⁵ terms).
        let q = ErlangA::new(1000.0, 1.0, 500, 1000.0).unwrap();
        assert!((q.abandon_probability() - 0.5).abs() < 0.01);
        assert!(ErlangA::new(-1.0, 1.0, 1, 1.0).is_err());
        assert!(ErlangA::new(1.0, 0.0, 1, 1.0).is_err());
        assert!(ErlangA::new(1.0, 1.0, 1, f64::INFINITY).is_err());
    }

    #[test]
    fn erlang_a_with_no_reps_loses_every_lead() {
        let q = ErlangA::new(1.0, 5.0, 0, 10.0).unwrap();
        assert!((q.wait_probability() - 1.0).abs() < 1e-12);
        assert!((q.abandon_probability() - 1.0).abs() < 1e-9);
        assert_eq!(q.touched_within(100.0).unwrap(), 0.0);
    }

    #[test]
    fn erlang_b_treats_negative_and_non_finite_traffic_as_no_traffic() {
        // The documented contract: negative or non-finite traffic counts as 0 erlangs, and no
        // traffic is never blocked (B = 0), while zero servers block everything (B = 1).
        for a in [0.0, -1.0, -2.5, -1e300, f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
            for n in [1_u32, 2, 10] {
                assert_eq!(erlang_b(n, a).to_bits(), 0.0_f64.to_bits(), "N={n} A={a}");
            }
            assert_eq!(erlang_b(0, a), 1.0, "A={a}");
        }
    }

    #[test]
    fn recursion_start_is_the_latest_start_its_bound_allows() {
        // The doc's condition, restated: starting at k₀ = k₁ − m (k₁ = min(N, ⌊A⌋)) is safe when
        // (m − 1)² ≥ X = 2A·(83.18 + ln A), and the start is as late as that allows (m is the
        // smallest such integer), or 0 when even the smallest such m leaves k₀ below 1.
        let check = |n: u32, a: f64| {
            let k0 = recursion_start(n, a);
            let k1 = f64::from(n).min(a.floor());
            let x = 2.0 * a * (83.18 + a.ln().max(0.0));
            if k0 == 0 {
                // A start at 1 (m = k₁ − 1) would not satisfy the bound.
                let m = k1 - 1.0;
                assert!(m < 2.0 || (m - 1.0) * (m - 1.0) < x, "N={n} A={a}: start 0, but 1 is safe");
            } else {
                let m = k1 - f64::from(k0);
                assert!((m - 1.0) * (m - 1.0) >= x, "N={n} A={a}: k0={k0} is too late (m={m}, X={x})");
                assert!((m - 2.0) * (m - 2.0) < x, "N={n} A={a}: k0={k0} is earlier than needed (m={m}, X={x})");
            }
        };
        for n in [1_u32, 2, 50, 180, 200, 500, 1_354, 1_355, 1_356, 2_500, 10_000, 100_000] {
            for a in [0.5, 1.0, 150.0, 181.3, 200.0, 999.9, 2_500.37, 9_900.0, 9_999.0, 1e5, 2e5] {
                check(n, a);
            }
        }
        // By hand: X = 2·9900·(83.18 + ln 9900) = 1,829,129.74, √X = 1352.45, so m = 1354 and
        // 10,000 reps at 9,900 erlangs start at 9,900 − 1,354 = 8,546; with 1,355 reps at 1, with
        // 1,354 reps at 0 (the full recursion).
        assert_eq!(recursion_start(10_000, 9_900.0), 8_546);
        assert_eq!(recursion_start(1_355, 9_900.0), 1);
        assert_eq!(recursion_start(1_354, 9_900.0), 0);
    }

    #[test]
    fn erlang_a_errors_say_what_is_wrong() {
        // The messages `handoff sla` prints (through `SlaError`), and the term count in the second.
        assert_eq!(
            ErlangAError::InvalidInput.to_string(),
            "arrival rate, work time and patience must be positive and finite"
        );
        assert_eq!(
            ErlangAError::TooManyTerms { needed_at_least: 60_000_000 }.to_string(),
            "the queue is so overloaded for its patience that the exact Erlang A sum needs over 60000000 terms"
        );
    }

    #[test]
    fn kummer_series_far_beyond_f64_range_match_mpmath() {
        // tests/fixtures/sla/offered_wait.py: S(a, y) summed term by term at 60 digits (and
        // checked against mpmath's hyp1f1(1, a + 1, y)). ln S(20000, 60000) = 18033.62…, a sum
        // of e^18033 that must be rescaled about 28 times on the way; the series is summed to
        // 1e-17 of itself, so the logarithm is good to the last few bits.
        let got = ln_kummer(20_000.0, 60_000.0).unwrap();
        let exact = 18_033.624_913_113_945_f64;
        assert!(((got - exact) / exact).abs() < 1e-15, "{got} vs {exact}");
        // a = 10⁶, y = 1.01·10⁶ (a thousand reps, patience a thousand work times, 1% over): past
        // their peak the terms' ratio y/(a + m) stays just under 1, so stopping early needs the
        // geometric bound's full 1/(1 − r); ln S = 57.4958….
        let got = ln_kummer(1e6, 1.01e6).unwrap();
        let exact = 57.495_840_727_437_3_f64;
        assert!(((got - exact) / exact).abs() < 1e-15, "{got} vs {exact}");
        let got = ln_kummer(2.5, 7.25).unwrap();
        assert!((got - 3.485_661_567_067_747).abs() < 1e-15, "{got}");
        // E[m] under the same weights: from (a + m)·tₘ = y·tₘ₋₁, Σ m·tₘ = y·S − a·(S − 1), so
        // E[m] = y − a + a/S: 4.75 + 2.5/S(2.5, 7.25) = 4.8265837140469437 (the
        // script's term-by-term value), and exactly y − a = 40,000 when S is e^18033.
        let got = kummer_mean_index(2.5, 7.25).unwrap();
        assert!((got - 4.826_583_714_046_944).abs() < 1e-14, "{got}");
        // a = y = 10⁶, where the slowly falling terms again need the full bound: E[m] = a/S =
        // 797.6723441619806921 (the script's term-by-term value at 60 digits).
        let got = kummer_mean_index(1e6, 1e6).unwrap();
        assert!(((got - 797.672_344_161_980_7) / 797.672_344_161_980_7).abs() < 2e-14, "{got}");
        let got = kummer_mean_index(20_000.0, 60_000.0).unwrap();
        // (Summed over some 45,000 terms, the ratio of two sums: good to about 1e-15.)
        assert!((got - 40_000.0).abs() < 1e-14 * 40_000.0, "{got}");
    }

    #[test]
    fn erlang_a_in_heavy_overload_balances_its_rates() {
        // 50 leads a minute on 10 reps of 1-minute work, 100-minute patience: the reps are never
        // idle (the chain in tests/fixtures/sla/offered_wait.py puts 1 − P(wait) below 1e-80), so
        // they serve exactly Nμ = 10 a minute and the other 40 go cold at θ = 1/100 per queued
        // lead: E[queue] = 40/θ = 4,000, P(ab) = 40/50 = 0.8, mean wait E[queue]/λ = 80 minutes.
        let q = ErlangA::new(50.0, 1.0, 10, 100.0).unwrap();
        assert_eq!(q.wait_probability(), 1.0);
        assert!((q.mean_queue() - 4_000.0).abs() < 1e-12 * 4_000.0, "{}", q.mean_queue());
        assert!((q.abandon_probability() - 0.8).abs() < 1e-14, "{}", q.abandon_probability());
        assert!((q.average_wait() - 80.0).abs() < 1e-12 * 80.0, "{}", q.average_wait());
        assert!((q.occupancy() - 1.0).abs() < 1e-14, "{}", q.occupancy());
    }

    #[test]
    fn erlang_a_offered_wait_matches_the_tagged_lead_reference() {
        // tests/fixtures/sla/offered_wait.py: P(V > t) from the birth–death chain and the
        // hypoexponential wait of a lead that finds q ahead (q + 1 stages at Nμ + jθ, 300 digits),
        // its quantiles by root finding; nothing of the S(a, x·e^{−θt}) closed form used here.
        let close = |what: &str, got: f64, exact: f64, tol: f64| {
            assert!(((got - exact) / exact).abs() <= tol, "{what}: {got} vs {exact}");
        };
        // reference.json's overloaded_small (2 leads a minute, 3-minute work, 5 reps, 4-minute
        // patience) and lead_handoff_hours (0.2 a minute, 15-minute work, 3 reps, 4 hours), and
        // one rep of 1-minute work (Nμ = 1) with 0.8 leads a minute and 5-minute patience. The
        // first quantile of each of those is just past the share reached at once (1 − P(wait)),
        // so the wait is seconds, not minutes.
        type Case<'a> = ((f64, f64, u32, f64), f64, &'a [(f64, f64)], &'a [(f64, f64)]);
        let cases: [Case<'_>; 3] = [
            (
                (2.0, 3.0, 5, 4.0),
                0.752_056_428_994_545_7,
                &[(0.5, 0.627_983_689_798_054), (1.0, 0.497_570_268_562_640_7), (3.0, 0.117_658_988_365_189_58)],
                &[
                    (0.25, 0.008_818_592_997_909_784),
                    (0.5, 0.990_590_674_692_527_8),
                    (0.9, 3.176_202_044_390_155_5),
                    (0.95, 3.874_673_622_125_822),
                ],
            ),
            (
                (0.2, 15.0, 3, 240.0),
                0.827_042_902_315_749_5,
                &[(10.0, 0.646_398_302_346_488_4), (60.0, 0.084_896_716_264_505_28)],
                &[(0.5, 18.714_335_316_583_01), (0.9, 56.928_745_954_107_39), (0.95, 69.349_063_805_661_81)],
            ),
            (
                (0.8, 1.0, 1, 5.0),
                0.655_151_790_158_67,
                &[(2.0, 0.237_090_656_278_961_03)],
                &[
                    (0.35, 0.018_709_256_446_454_83),
                    (0.5, 0.602_393_579_724_467_2),
                    (0.9, 3.358_414_244_294_908),
                    (0.95, 4.339_138_742_801_481),
                ],
            ),
        ];
        for ((lambda, work, n, patience), p_wait, tails, quantiles) in cases {
            let q = ErlangA::new(lambda, work, n, patience).unwrap();
            close("P(V > 0)", q.offered_wait_exceeds(0.0).unwrap(), p_wait, 1e-12);
            assert_eq!(q.offered_wait_exceeds(-1.0).unwrap(), 1.0);
            for &(t, exact) in tails {
                close(&format!("P(V > {t})"), q.offered_wait_exceeds(t).unwrap(), exact, 1e-12);
            }
            for &(p, exact) in quantiles {
                close(&format!("p{p}"), q.offered_wait_quantile(p).unwrap(), exact, 1e-11);
            }
            // At most 1 − P(wait) of leads are reached at once: a quantile below that is 0.
            assert_eq!(q.offered_wait_quantile(0.1).unwrap(), 0.0);
            // Every lead that waits, however long, is in the tail: its 100% quantile is unbounded.
            assert_eq!(q.offered_wait_quantile(1.0).unwrap(), f64::INFINITY);
        }
    }

    #[test]
    fn erlang_a_too_far_overloaded_for_its_patience_is_refused_with_the_terms_needed() {
        // 2 leads a minute on 1 rep of 1-minute work, patience 10⁸ minutes: a = Nμ/θ = 10⁸ and
        // x = λ/θ = 2·10⁸, so the series' terms grow until m ≈ x − a = 10⁸, past the 5·10⁷
        // limit: refused, naming the 10⁸ terms it would need at least.
        assert_eq!(ErlangA::new(2.0, 1.0, 1, 1e8), Err(ErlangAError::TooManyTerms { needed_at_least: 100_000_000 }));
    }

    #[test]
    fn erlang_a_with_no_leads_has_no_wait() {
        // No arrivals: nobody waits, goes cold or queues, and the mean wait is 0, not 0/0.
        let q = ErlangA::new(0.0, 3.0, 4, 10.0).unwrap();
        assert_eq!(q.wait_probability(), 0.0);
        assert_eq!(q.abandon_probability(), 0.0);
        assert_eq!(q.mean_queue(), 0.0);
        assert_eq!(q.average_wait(), 0.0);
        assert_eq!(q.occupancy(), 0.0);
        assert_eq!(q.offered_wait_quantile(0.9).unwrap(), 0.0);
    }
}
