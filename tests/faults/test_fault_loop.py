"""The fault loop itself, in a few rounds: web server and worker are SIGKILLed, nothing answered
is lost, nothing is stored or e-mailed twice."""
from benchmarks import faults


def test_a_few_kill_rounds_lose_nothing_that_was_answered(tmp_path, empty_database_url):
    # On this run's engine: a SQLite file, or a PostgreSQL database when the run is on PostgreSQL.
    # A real redis-server, SMTP relay and prefork Celery worker; shorter rounds than the full run.
    # After the loop the drain also runs the periodic sweep that queues again any accepted message
    # batch whose task Redis lost (surveys.messages.kept).
    outcome = faults.run(tmp_path, rounds=5, database_url=empty_database_url, seed=8,
                         links_per_round=20, kill_after=(0.5, 3.0))

    assert all(found == [] for found in outcome.problems.values()), outcome.problems
    assert len(outcome.rounds) == 5
    # This seed kills the worker in some rounds, alone or with the web server, and the web
    # server alone in others: every kind of round ran.
    assert set(outcome.kills) == {"web", "worker", "web+worker"}
    # Something must have been answered, queued and mailed for the checks to mean anything.
    succeeded = sum(outcome.ledger.succeeded.values())
    assert succeeded > 0 and outcome.stored["responses"] >= succeeded
    assert outcome.ledger.imported and outcome.stored["messages"] >= len(outcome.ledger.imported)
    assert outcome.stored["mail at the relay"] > 0
