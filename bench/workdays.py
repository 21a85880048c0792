"""How fast is "add N working days"? A plain script, not a test.

    .venv/bin/python bench/workdays.py [--calls 200000] [--elements 1000000]

It migrates a throwaway SQLite database in a temporary ONEWINDOW_VAR_DIR (the data migration
generates 2004–2026), then times, on the same random (start, n) pairs:

- the selector `add_working_days` (what other apps call: the cache lookup plus bisect),
- `WorkCalendar.add` directly (bisect over a sorted list of ordinals),
- `WorkCalendar.add_many` (numpy searchsorted), per element,
- the naive loop, one day at a time, over `holidays` and over `chinesecalendar`.
"""

import argparse
import datetime as dt
import random
import sys
import tempfile
import time

from benchenv import setup_django


def sample(count: int, seed: int = 7) -> list[tuple[dt.date, int]]:
    rng = random.Random(seed)
    first, last = dt.date(2004, 1, 1).toordinal(), dt.date(2025, 12, 31).toordinal()
    return [(dt.date.fromordinal(rng.randint(first, last)), rng.randint(1, 30))
            for _ in range(count)]


def best_of(repeat: int, run) -> float:
    """The fastest of `repeat` runs, in seconds: the least disturbed by other processes."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def per_call_us(fn, pairs, repeat: int = 3) -> float:
    def run():
        for start, n in pairs:
            fn(start, n)

    return best_of(repeat, run) / len(pairs) * 1e6


def naive(is_working):
    def add(start, n):
        day = start
        while n > 0:
            day += dt.timedelta(days=1)
            n -= bool(is_working(day))
        return day

    return add


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--elements", type=int, default=1_000_000)
    parser.add_argument("--naive-calls", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        report(args)


def report(args) -> None:
    import chinese_calendar
    import holidays
    import numpy as np

    from onewindow.workdays.selectors import add_working_days, current_calendar

    calendar = current_calendar()
    pairs = sample(args.calls)
    rows = [
        ("selectors.add_working_days (scalar)", per_call_us(add_working_days, pairs)),
        ("WorkCalendar.add (scalar, bisect)", per_call_us(calendar.add, pairs)),
    ]
    many = sample(args.elements, seed=8)
    starts = np.array([s for s, _n in many], dtype="datetime64[D]")
    days = np.array([n for _s, n in many])
    seconds = best_of(3, lambda: calendar.add_many(starts, days))
    rows.append(("WorkCalendar.add_many (numpy, per element)", seconds / len(many) * 1e6))
    cn = holidays.China(years=range(2004, 2027))
    few = pairs[: args.naive_calls]
    rows.append(("naive loop over holidays.is_working_day",
                 per_call_us(naive(cn.is_working_day), few, repeat=1)))
    rows.append(("naive loop over chinese_calendar.is_workday",
                 per_call_us(naive(chinese_calendar.is_workday), few, repeat=1)))
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {args.calls} scalar calls, "
          f"{args.elements} vectorised elements, n in 1..30, best of 3")
    for label, us in rows:
        print(f"{label:<48} {us:9.3f} µs")


if __name__ == "__main__":
    main()
