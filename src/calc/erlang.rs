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
}
