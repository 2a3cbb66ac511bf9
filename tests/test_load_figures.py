"""The load benchmark's arithmetic: rates are judged on a saturation run's steady state."""
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks.load import (
    STEADY_SHARE, database_cpu_seconds, postgresql_servers_beside, steady_rate)
from tests.databases import postgres_server_url


def run_with_ramp(steady_per_s, steady_requests, ramp_requests, ramp_seconds):
    """Records (name, start, ms, ok): a slow ramp, a steady stretch, the same slow tail."""
    records, clock = [], 0.0
    for _ in range(ramp_requests):
        records.append(("submit", clock, 5.0, True))
        clock += ramp_seconds / ramp_requests
    for _ in range(steady_requests):
        records.append(("submit", clock, 5.0, True))
        clock += 1 / steady_per_s
    for _ in range(ramp_requests):
        records.append(("submit", clock, 5.0, True))
        clock += ramp_seconds / ramp_requests
    return records


def test_steady_rate_leaves_out_the_start_up_and_the_stragglers():
    # 1,000 requests at 400/s between 50 slow ones either side (1 s each): a 10 % trim removes
    # them whole, so the rate is the steady one, where first-to-last would say about 240/s.
    records = run_with_ramp(400, 1000, 50, 1.0)
    assert STEADY_SHARE == 0.8
    assert abs(steady_rate(records, "submit") - 400) < 1


def test_steady_rate_counts_only_successful_requests_of_the_name_asked():
    records = run_with_ramp(200, 500, 0, 0)
    noise = [("manager overview", 0.5, 80.0, True), ("submit", 1.0, 5.0, False)]
    assert abs(steady_rate(records + noise, "submit") - 200) < 1
    assert steady_rate(noise, "manager team") == 0.0


def test_the_database_cpu_counts_work_the_local_postgresql_server_does(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL server's CPU is PostgreSQL's figure")
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            before = database_cpu_seconds()
            connection.execute(text("SELECT count(*) FROM generate_series(1, 5000000)")).scalar()
            spent = database_cpu_seconds() - before
    finally:
        engine.dispose()
    assert spent >= 0.05  # five million rows cost a backend far more than 50 ms of CPU


def test_an_sqlite_run_names_the_postgresql_servers_running_beside_it(tmp_path):
    url = make_url(postgres_server_url())  # started here if it is not running
    beside = postgresql_servers_beside(f"sqlite:///{tmp_path}/load.db")
    assert any(f"-p {url.port}" in server for server in beside), beside
    assert all(" -D " in server for server in beside), beside  # servers, not their backends
    assert postgresql_servers_beside(url.render_as_string(hide_password=False)) == []
