//! Generated arrivals: Poisson leads at one rate while the pod is open and another while it is
//! closed, over the open intervals of a schedule.

use super::rng::Rng;
use super::schedule::Schedule;

/// Constant-rate pieces of the arrival process: (from, to, rate per minute).
pub(super) fn arrival_segments(
    schedule: &Schedule,
    horizon: f64,
    open_rate: f64,
    closed_rate: f64,
) -> Vec<(f64, f64, f64)> {
    let mut segs = Vec::new();
    let mut t = 0.0;
    for i in 0..schedule.len() {
        let (s, e) = (schedule.start(i), schedule.end(i));
        if s >= horizon {
            break;
        }
        if s > t {
            segs.push((t, s, closed_rate));
        }
        segs.push((s.max(t), e.min(horizon), open_rate));
        t = e;
    }
    if t < horizon {
        segs.push((t, horizon, closed_rate));
    }
    segs.retain(|&(a, b, r)| b > a && r > 0.0);
    segs
}

/// Poisson arrivals over piecewise-constant rates (memorylessness lets each piece restart).
pub(super) struct PoissonArrivals<'a> {
    segments: &'a [(f64, f64, f64)],
    idx: usize,
    t: f64,
    rng: &'a mut Rng,
}

impl<'a> PoissonArrivals<'a> {
    pub(super) fn new(segments: &'a [(f64, f64, f64)], rng: &'a mut Rng) -> Self {
        let t = segments.first().map_or(0.0, |s| s.0);
        Self { segments, idx: 0, t, rng }
    }
}

impl Iterator for PoissonArrivals<'_> {
    type Item = f64;

    fn next(&mut self) -> Option<f64> {
        loop {
            let &(a, b, rate) = self.segments.get(self.idx)?;
            if self.t < a {
                self.t = a;
            }
            let next = self.t + self.rng.exponential(1.0 / rate);
            if next < b {
                self.t = next;
                return Some(next);
            }
            self.idx += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::calendar::BusinessCalendar;
    use jiff::Timestamp;
    use jiff::civil::{Weekday, time};

    /// Weekdays 09:00–17:00 in New York from Monday 2 March 2026 00:00 UTC: open 840–1320 and
    /// 2280–2760 on the first two days.
    fn schedule() -> Schedule {
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        let cal = BusinessCalendar::new("America/New_York", &days, time(9, 0, 0, 0), time(17, 0, 0, 0), []).unwrap();
        let origin: Timestamp = "2026-03-02T00:00:00Z".parse().unwrap();
        Schedule::new(&cal, origin, "2026-03-07T00:00:00Z".parse().unwrap()).unwrap()
    }

    #[test]
    fn segments_alternate_closed_and_open_up_to_the_horizon() {
        let s = schedule();
        assert_eq!(
            arrival_segments(&s, 2880.0, 0.5, 0.1),
            [
                (0.0, 840.0, 0.1),
                (840.0, 1320.0, 0.5),
                (1320.0, 2280.0, 0.1),
                (2280.0, 2760.0, 0.5),
                (2760.0, 2880.0, 0.1)
            ]
        );
        // The horizon cuts an open interval; a rate of 0 leaves its pieces out.
        assert_eq!(arrival_segments(&s, 1000.0, 0.5, 0.1), [(0.0, 840.0, 0.1), (840.0, 1000.0, 0.5)]);
        assert_eq!(arrival_segments(&s, 2880.0, 0.5, 0.0), [(840.0, 1320.0, 0.5), (2280.0, 2760.0, 0.5)]);
        assert_eq!(
            arrival_segments(&s, 2880.0, 0.0, 0.1),
            [(0.0, 840.0, 0.1), (1320.0, 2280.0, 0.1), (2760.0, 2880.0, 0.1)]
        );
        // A horizon before the first opening is one closed piece.
        assert_eq!(arrival_segments(&s, 500.0, 0.5, 0.1), [(0.0, 500.0, 0.1)]);
        assert_eq!(arrival_segments(&s, 840.0, 0.5, 0.1), [(0.0, 840.0, 0.1)]);
    }

    #[test]
    fn arrivals_are_poisson_in_each_piece_and_none_between() {
        // Rate 0.5 on [10, 110), 2 on [200, 300), nothing in between: counts Poisson(50) and
        // Poisson(200) (mean = variance), and the first arrival of the second piece comes an
        // exponential of mean 1/2 after 200 (memorylessness: the piece restarts the clock).
        // 4,000 runs; bounds are five standard errors.
        let segs = [(10.0, 110.0, 0.5), (200.0, 300.0, 2.0)];
        let runs = 4000_u32;
        let (mut n1, mut n2, mut sq1, mut first2) = (0.0, 0.0, 0.0, 0.0);
        for seed in 0..runs {
            let mut rng = Rng::new(u64::from(seed));
            let times: Vec<f64> = PoissonArrivals::new(&segs, &mut rng).collect();
            assert!(times.windows(2).all(|w| w[0] < w[1]), "increasing");
            assert!(times.iter().all(|&t| (10.0..110.0).contains(&t) || (200.0..300.0).contains(&t)), "{times:?}");
            let c1 = times.iter().filter(|&&t| t < 110.0).count();
            let c2 = times.len() - c1;
            #[allow(clippy::cast_precision_loss)]
            let (c1, c2f) = (c1 as f64, c2 as f64);
            n1 += c1;
            sq1 += c1 * c1;
            n2 += c2f;
            first2 += times.iter().find(|&&t| t >= 200.0).map_or(0.0, |t| t - 200.0);
        }
        let r = f64::from(runs);
        let (m1, m2) = (n1 / r, n2 / r);
        assert!((m1 - 50.0).abs() < 5.0 * (50.0 / r).sqrt(), "{m1}");
        assert!((m2 - 200.0).abs() < 5.0 * (200.0 / r).sqrt(), "{m2}");
        let var1 = sq1 / r - m1 * m1;
        assert!((var1 - 50.0).abs() < 5.0 * 50.0 * (2.0 / r).sqrt(), "{var1}");
        let f = first2 / r;
        assert!((f - 0.5).abs() < 5.0 * 0.5 / r.sqrt(), "{f}");
        // No pieces, no arrivals.
        assert_eq!(PoissonArrivals::new(&[], &mut Rng::new(1)).count(), 0);
    }
}
