"""CPU cost of each survey request in-process: link exchange, form GET, answers POST.

Run: `python -m benchmarks.request_costs [--people N] [--profile submit|form|link]
[--database-url URL]`.

Builds a small organisation as the load benchmark does (real links, an open round), then walks
each person's journey through Flask's test client with production settings (CSRF on, the
text scorer on the path for one person in five) and prints the median and p90 CPU time
(process time, so other load on the machine does not count) of each step, beside the median
of a bare Flask + SQLite insert handler's POST measured the same way in the same run.
`--profile STEP` also prints cProfile's top functions for that step, timed in process (CPU)
time like the figures. `--database-url` runs Tandem on an empty database it migrates (e.g.
PostgreSQL: `postgresql+psycopg://…`) instead of a fresh SQLite file; the figures are this
process's CPU, so a database server's own CPU is not in them.
"""
import argparse
import cProfile
import pstats
import re
import statistics
import sys
import tempfile
import time

from sqlalchemy.engine import make_url

from app import create_app
from benchmarks.bare_app import create_app as create_bare_app
from benchmarks.surveyorg import database_url_for, prepare
from config import TestConfig

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
ITEM = re.compile(r'name="(item_[^"]+)"')
COMMENT_EVERY = 5
#: First journeys not counted: they warm caches (templates, the scorer, the statement cache).
WARM_UP = 10


def production_like(folder, database_url):
    """TestConfig on the run's database, but with CSRF on as in production."""
    config = TestConfig(folder, database_url)
    config.TESTING = False
    config.WTF_CSRF_ENABLED = True
    return config


def journey(client, token, number, timer):
    """One person's three requests; `timer(step, call)` runs and times each."""
    response = timer("link", lambda: client.get(f"/s/{token}"))
    assert response.status_code == 303, response.status_code
    page = timer("form", lambda: client.get("/s/")).get_data(as_text=True)
    data = {name: str(1 + (number + i) % 5) for i, name in enumerate(sorted(set(ITEM.findall(page))))}
    data.update(enps=str(number % 11), csrf_token=CSRF.search(page).group(1))
    if number % COMMENT_EVERY == 0:
        data["comment"] = "The leads we get from marketing arrive late and half empty."
    response = timer("submit", lambda: client.post("/s/", data=data))
    assert response.status_code == 303, response.status_code


class Timer:
    """Collects process-time samples per step, and profiles one step when asked."""

    def __init__(self, profile_step=None):
        self.samples, self.profile_step = {}, profile_step
        self.profiler = cProfile.Profile(time.process_time) if profile_step else None
        self.counting = False

    def __call__(self, step, call):
        if self.counting and step == self.profile_step:
            self.profiler.enable()
        start = time.process_time()
        result = call()
        elapsed = time.process_time() - start
        if self.counting and step == self.profile_step:
            self.profiler.disable()
        if self.counting:
            self.samples.setdefault(step, []).append(1000 * elapsed)
        return result


def bare_costs(folder, n_posts):
    """Process-time samples (ms) of the bare insert handler's POST, same client."""
    client = create_bare_app(f"{folder}/bare.db").test_client()
    samples = []
    for number in range(n_posts + WARM_UP):
        data = {f"item_{i}": str(1 + (number + i) % 5) for i in range(5)}
        start = time.process_time()
        assert client.post("/", data=data).status_code == 201
        if number >= WARM_UP:
            samples.append(1000 * (time.process_time() - start))
    return samples


def main(argv=None):
    """Build, walk the journeys, print the per-step CPU figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.request_costs")
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--profile", choices=["link", "form", "submit"])
    parser.add_argument("--database-url", help="an empty database to run Tandem on "
                        "(default: a fresh SQLite file)")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    with tempfile.TemporaryDirectory() as folder:
        database_url = database_url_for(folder, args.database_url)
        org = prepare(folder, database_url, args.people, 1)
        app = create_app(production_like(folder, database_url))
        timer = Timer(args.profile)
        for number, (token, _round) in enumerate(org.links):
            timer.counting = number >= WARM_UP
            journey(app.test_client(), token, number, timer)
        bare = bare_costs(folder, len(org.links) - WARM_UP)
    kind = make_url(database_url).get_backend_name()
    print(f"CPU ms per request, in-process, {len(org.links) - WARM_UP} journeys ({kind}; "
          "the bare handler on SQLite)")
    print(f"{'step':<22} {'median':>7} {'p90':>7}")
    for step, samples in [*timer.samples.items(), ("bare insert POST", bare)]:
        print(f"{step:<22} {statistics.median(samples):>7.2f} "
              f"{statistics.quantiles(samples, n=10)[8]:>7.2f}")
    submit, base = statistics.median(timer.samples["submit"]), statistics.median(bare)
    print(f"submit / bare: {submit / base:.1f}×")
    if timer.profiler:
        stats = pstats.Stats(timer.profiler)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
