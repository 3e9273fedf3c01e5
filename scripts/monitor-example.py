#!/usr/bin/env python3
"""Write examples/enterprise-pipeline-actuals.csv: four weeks of made-up CRM actuals for
briefs/enterprise-pipeline.yaml, deterministic (a fixed seed; Python's Mersenne Twister gives the
same numbers on every version), for `handoff monitor` to read out of the box.

    python3 scripts/monitor-example.py > examples/enterprise-pipeline-actuals.csv

Arrivals: about 420 leads a week, 15% outside business hours (as the brief says), a mix with more
us-east leads than the brief's; first touches an exponential time after the lead's pod next opens
(East 55 min on average, West 35, AEs 80), Dana Ruiz picking up half the East pod's leads; a few
leads untouched at the end, and two malformed rows.
"""
import csv, random, sys
from datetime import datetime, timedelta, timezone, date
from zoneinfo import ZoneInfo

random.seed(14)
NY, LA = ZoneInfo("America/New_York"), ZoneInfo("America/Los_Angeles")
HOLIDAYS = {date(2027, 2, 15)}
START = datetime(2027, 2, 1, tzinfo=NY)
END = datetime(2027, 3, 1, tzinfo=NY)

def is_open(t, tz):
    l = t.astimezone(tz)
    if l.weekday() >= 5 or l.date() in HOLIDAYS:
        return False
    m = l.hour * 60 + l.minute
    return 8 * 60 + 30 <= m < 17 * 60 + 30

def next_open(t, tz):
    l = t.astimezone(tz)
    for _ in range(20):
        d = l.date()
        o = datetime(d.year, d.month, d.day, 8, 30, tzinfo=tz)
        c = datetime(d.year, d.month, d.day, 17, 30, tzinfo=tz)
        if d.weekday() < 5 and d not in HOLIDAYS and l < c:
            return max(l, o)
        l = datetime(d.year, d.month, d.day, tzinfo=tz) + timedelta(days=1)
    return l

def touch(created, tz, mean):
    # Work through the open minutes after opening: a touch that would land after closing
    # carries over to the next opening.
    left = random.expovariate(1 / mean)
    t = next_open(created, tz)
    while True:
        l = t.astimezone(tz)
        close = datetime(l.year, l.month, l.day, 17, 30, tzinfo=tz)
        room = (close - l).total_seconds() / 60
        if left <= room:
            return t + timedelta(minutes=left)
        left -= room
        t = next_open(close + timedelta(seconds=1), tz)

span = (END - START).total_seconds()
times = []
while len(times) < 1680:
    t = START + timedelta(seconds=random.randrange(int(span)))
    if is_open(t, NY) or random.random() < 0.0646:
        times.append(t)
times.sort()

AES = ["Lee Park", "Maya Goldberg", "Tomás Rivera", "Aisha Bello", "Ken Watanabe"]
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["lead_id", "created_at", "region", "employees", "account_owner", "owner", "first_touch_at", "accepted_at", "converted"])
for i, t in enumerate(times, 1):
    region = random.choices(["us-east", "us-west", "canada"], [0.55, 0.30, 0.15])[0]
    employees = random.choice([1200, 2500, 4000, 6000, 12000, 600])
    account_owner = random.choice(AES) if random.random() < 0.12 else ""
    if account_owner:
        owner, tz, mean = account_owner, NY, 80
    elif region == "us-west" and employees >= 1000:
        owner, tz, mean = random.choice(["Wes Ito", "Jo Park", "Rae Lin"]), LA, 35
    else:
        owner = random.choices(["Dana Ruiz", "Omar Haddad", "Priya Nair"], [0.5, 0.3, 0.2])[0]
        tz, mean = NY, 55
    ft = touch(t, tz, mean)
    untouched = ft > END - timedelta(hours=6) and random.random() < 0.5
    first = "" if untouched else ft.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    accepted = "" if untouched or random.random() < 0.22 else (ft + timedelta(hours=2)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    converted = "yes" if accepted and random.random() < 0.3 else "no"
    created = t.astimezone(NY).isoformat(timespec="seconds")
    if i == 400:
        created = "2027-02-31 10:00"  # malformed: no such date
    if i == 900:
        first = (t - timedelta(minutes=5)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # before creation
    w.writerow([f"L-{i:05d}", created, region, employees, account_owner, owner, first, accepted, converted])
