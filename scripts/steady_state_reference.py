#!/usr/bin/env python3
"""Independent steady-state reference for the SLA simulation (issue 18), written from scratch.

Shares no code with the Rust engine (src/calc/simulate/): the calendar comes from the Python
standard library (zoneinfo), the random numbers from `random.Random`, the queue from `heapq`.
It simulates two pods of `briefs/enterprise-pipeline.yaml`, with their numbers copied from the
brief and from the design's "Leads reaching the pod" row:

  named-ae  210 leads a week, 15% of them while closed; 2 productive reps (5 available at 50%
            availability); 25-minute touches; no patience. Busy: work offered is
            210 x 25 min = 87.5 h a week against 2 x 45 open hours = 90 h (97.2%).
  east-sdr  136.5 leads a week, 15% while closed; 1 productive rep (3 reps at 35% shrinkage);
            18-minute touches; patience 4 h (exponential, real time). The control: leads going
            cold bound its queue, so it settles within hours.

Both on the brief's calendar: America/New_York, Monday-Friday 08:30-17:30, holidays
2027-01-01, 01-18, 02-15, 05-31 and 07-05. SLA 2 h on the business clock: a lead counts as
touched within the SLA when a rep starts on it at most 120 open minutes after it arrived (a lead
arriving while closed counts from the next opening); a lead that goes cold first misses.

The model, as the design states it: Poisson arrivals at one constant rate while open (the
share 1 - 0.15 of the week's leads over the 2,700 open minutes of a nominal week) and another
while closed (0.15 over the other 7,380 minutes, holidays included); exponential touch times;
first come, first served; reps work only in open hours, a touch in progress at closing resumes
at the next opening.

Two figures per pod, each with its standard error over independent replications:

* attainment over the design's measured window, 2027-02-08 00:00 to 2027-03-08 00:00 New York
  time (weeks 2 to 5 after the 1 February launch, with the Presidents' Day holiday), in steady
  state: each replication starts empty 104 weeks (two years) before the window, far longer
  than the queue's relaxation time (about 23 weeks for named-ae), and measures the leads
  arriving in the window;
* occupancy: the share of the reps' open time spent on touches over a long run
  (260 weeks after a 40-week warm-up from launch), i.e. every lead's work, after-hours leads
  included, over the open hours.

Run: `python3 scripts/steady_state_reference.py` (about 30 s; deterministic: fixed seeds).
Its printed figures are pinned in tests/sla_steady.rs.
"""

import heapq
import math
import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("America/New_York")
HOLIDAYS = {date(2027, 1, 1), date(2027, 1, 18), date(2027, 2, 15), date(2027, 5, 31), date(2027, 7, 5)}
OPEN, CLOSE = (8, 30), (17, 30)
LAUNCH = datetime(2027, 2, 1, tzinfo=ZONE)
WINDOW = (datetime(2027, 2, 8, tzinfo=ZONE), datetime(2027, 3, 8, tzinfo=ZONE))
SLA_MINUTES = 120.0
AFTER_HOURS_SHARE = 0.15
OPEN_WEEK = 5 * 9 * 60.0
CLOSED_WEEK = 7 * 24 * 60.0 - OPEN_WEEK

PODS = {
    "named-ae": dict(leads_per_week=210.0, reps=2, touch=25.0, patience=None),
    "east-sdr": dict(leads_per_week=136.5, reps=1, touch=18.0, patience=240.0),
}

WARMUP_WEEKS = 104
REPLICATIONS = 400
LONG_RUNS, LONG_WARMUP, LONG_WEEKS = 8, 40, 260


def minutes(origin, dt):
    # Through UTC: Python subtracts two datetimes of one zone on their wall clocks, ignoring DST.
    return (dt.astimezone(timezone.utc) - origin.astimezone(timezone.utc)).total_seconds() / 60.0


def open_intervals(origin, until):
    """Open intervals [a, b) in minutes from `origin`, with the business minutes before each."""
    out, cum = [], 0.0
    day = origin.astimezone(ZONE).date() - timedelta(days=1)
    last = until.astimezone(ZONE).date() + timedelta(days=1)
    while day <= last:
        if day.weekday() < 5 and day not in HOLIDAYS:
            a = datetime(day.year, day.month, day.day, *OPEN, tzinfo=ZONE)
            b = datetime(day.year, day.month, day.day, *CLOSE, tzinfo=ZONE)
            a, b = max(minutes(origin, a), 0.0), minutes(origin, b)
            if b > a and a < minutes(origin, until):
                out.append((a, b, cum))
                cum += b - a
        day += timedelta(days=1)
    return out


class Calendar:
    def __init__(self, origin, until):
        self.iv = open_intervals(origin, until)

    def business(self, t, i):
        """Business minutes at real minute t; i is a forward-only cursor. Returns (b, i, closed)."""
        iv = self.iv
        while i < len(iv) and iv[i][1] <= t:
            i += 1
        if i == len(iv):
            return None, i, True
        a, _, cum = iv[i]
        return (cum, i, True) if t < a else (cum + t - a, i, False)

    def real(self, b, j):
        """Earliest real minute at which business time reaches b; j a forward-only cursor."""
        iv = self.iv
        while j < len(iv) and iv[j][2] + iv[j][1] - iv[j][0] <= b:
            j += 1
        if j == len(iv):
            return None, j
        a, _, cum = iv[j]
        return a + max(b - cum, 0.0), j


def arrivals(cal, horizon, rate_open, rate_closed, rng):
    """Poisson arrivals over [0, horizon): rate_open inside open intervals, rate_closed outside."""
    pieces, t = [], 0.0
    for a, b, _ in cal.iv:
        if a >= horizon:
            break
        if a > t:
            pieces.append((t, a, rate_closed))
        pieces.append((max(a, t), min(b, horizon), rate_open))
        t = b
    if t < horizon:
        pieces.append((t, horizon, rate_closed))
    for a, b, r in pieces:
        if r <= 0 or b <= a:
            continue
        # The count in the piece is Poisson, the instants uniform: an independent construction
        # from the Rust's exponential gaps.
        n = poisson(rng, r * (b - a))
        for x in sorted(rng.uniform(a, b) for _ in range(n)):
            yield x


def poisson(rng, mean):
    if mean < 30:
        limit, k, p = math.exp(-mean), 0, rng.random()
        while p > limit:
            k += 1
            p *= rng.random()
        return k
    # Sum of unit-rate exponentials up to `mean` (exact, no approximation).
    k, s = 0, rng.expovariate(1.0)
    while s <= mean:
        k += 1
        s += rng.expovariate(1.0)
    return k


def run(pod, origin, measure, until, seed, busy_window=None):
    """One replication from an empty pod at `origin`; counts leads arriving in `measure`."""
    rng = random.Random(seed)
    m0, m1 = minutes(origin, measure[0]), minutes(origin, measure[1])
    cal = Calendar(origin, until)
    rate_open = pod["leads_per_week"] * (1 - AFTER_HOURS_SHARE) / OPEN_WEEK
    rate_closed = pod["leads_per_week"] * AFTER_HOURS_SHARE / CLOSED_WEEK
    free = [0.0] * pod["reps"]
    i = j = 0
    leads = attained = 0
    busy = 0.0
    if busy_window:
        b0, _, _ = cal.business(minutes(origin, busy_window[0]), 0)
        b1, _, _ = cal.business(minutes(origin, busy_window[1]), 0)
    for t in arrivals(cal, m1, rate_open, rate_closed, rng):
        work = rng.expovariate(1.0 / pod["touch"])
        b, i, _ = cal.business(t, i)
        start = max(b, free[0]) if b is not None else None
        sr = None
        if start is not None:
            sr, j = cal.real(start, j)
        patience = pod["patience"]
        cold = sr is not None and patience is not None and sr - t > rng.expovariate(1.0 / patience)
        if sr is not None and not cold:
            heapq.heapreplace(free, start + work)
            if busy_window:
                busy += max(0.0, min(start + work, b1) - max(start, b0))
        if m0 <= t < m1:
            leads += 1
            if sr is not None and not cold and start - b <= SLA_MINUTES:
                attained += 1
    out = {"leads": leads, "attainment": attained / leads if leads else 1.0}
    if busy_window:
        out["occupancy"] = busy / (pod["reps"] * (b1 - b0))
    return out


def mean_se(xs):
    n = len(xs)
    m = sum(xs) / n
    var = sum((x - m) ** 2 for x in xs) / (n - 1)
    return m, math.sqrt(var / n)


def main():
    week = timedelta(weeks=1)
    for k, (name, pod) in enumerate(PODS.items()):
        origin = WINDOW[0] - WARMUP_WEEKS * week
        until = WINDOW[1] + 8 * week
        reps = [run(pod, origin, WINDOW, until, 1000 * k + r)["attainment"] for r in range(REPLICATIONS)]
        a, a_se = mean_se(reps)
        long_measure = (LAUNCH + LONG_WARMUP * week, LAUNCH + (LONG_WARMUP + LONG_WEEKS) * week)
        longs = [
            run(pod, LAUNCH, long_measure, long_measure[1] + 8 * week, 10**6 + 1000 * k + r, busy_window=long_measure)
            for r in range(LONG_RUNS)
        ]
        o, o_se = mean_se([x["occupancy"] for x in longs])
        la, la_se = mean_se([x["attainment"] for x in longs])
        offered = pod["leads_per_week"] * pod["touch"] / (pod["reps"] * OPEN_WEEK)
        print(
            f"{name}: window attainment {a:.4f} se {a_se:.4f} ({REPLICATIONS} replications, {WARMUP_WEEKS}-week warm-up); "
            f"long-run attainment {la:.4f} se {la_se:.4f}; occupancy {o:.4f} se {o_se:.4f} "
            f"({LONG_RUNS} runs of {LONG_WEEKS} weeks); work offered / open capacity {offered:.4f}"
        )


if __name__ == "__main__":
    main()
