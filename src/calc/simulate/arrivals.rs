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
