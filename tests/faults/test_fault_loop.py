"""The fault loop itself, in a few rounds: the server is SIGKILLed and nothing answered is lost."""
from benchmarks import faults


def test_a_few_kill_rounds_lose_nothing_that_was_answered(tmp_path, empty_database_url):
    # On this run's engine: a SQLite file, or a PostgreSQL database when the run is on PostgreSQL.
    outcome = faults.run(tmp_path, rounds=5, database_url=empty_database_url, seed=8,
                         links_per_round=20)

    assert outcome.problems == {"integrity": [], "surveys": [], "messages": []}
    assert len(outcome.delays) == 5
    # Something must have been answered for the checks to mean anything.
    assert sum(outcome.ledger.succeeded.values()) > 0
    assert outcome.stored["responses"] >= sum(outcome.ledger.succeeded.values())
