"""SQLite writers take turns through a file lock before BEGIN IMMEDIATE (surveys.db.WritersQueue)."""
import multiprocessing
import os
import threading

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from benchmarks.writers_queue import main as queue_benchmark
from surveys.db import WritersQueue, immediate_connection, is_lock_timeout, writers_turn

FORK = multiprocessing.get_context("fork")


def try_turn(path, result):
    """In another process: whether a turn could be had at once (False: 'database is locked')."""
    try:
        with WritersQueue(path).turn(timeout_s=0.05):
            result.put(True)
    except OperationalError as error:
        result.put(False if is_lock_timeout(error.orig) else repr(error))


def take_turn_and_die(path):
    WritersQueue(path).turn().__enter__()
    os._exit(0)  # never released: the OS drops the lock with the process


def in_child(target, *args):
    child = FORK.Process(target=target, args=args)
    child.start()
    child.join(60)
    assert child.exitcode == 0


def test_a_held_turn_keeps_other_writers_out_until_it_ends(tmp_path):
    path, result = str(tmp_path / "t.db"), FORK.Queue()
    queue = WritersQueue(path)
    with queue.turn():
        in_child(try_turn, path, result)
        assert result.get(timeout=60) is False  # refused as a busy database is (503)
    in_child(try_turn, path, result)
    assert result.get(timeout=60) is True


def test_a_forked_worker_queues_against_its_parent(tmp_path):
    # gunicorn forks its workers: a child that kept the descriptor it inherited would share its
    # parent's file lock instead of waiting for it.
    queue, held, done = WritersQueue(str(tmp_path / "t.db")), FORK.Event(), FORK.Event()
    with queue.turn():
        pass  # the parent has its descriptor open before the fork

    def child():
        with queue.turn():
            held.set()
            done.wait(60)

    worker = FORK.Process(target=child)
    worker.start()
    try:
        assert held.wait(60)
        with pytest.raises(OperationalError, match="locked"):
            with queue.turn(timeout_s=0.05):
                pass
    finally:
        done.set()
        worker.join(60)
    with queue.turn():
        pass


def test_a_writer_that_dies_holding_its_turn_does_not_block_the_others(tmp_path):
    path = str(tmp_path / "t.db")
    in_child(take_turn_and_die, path)
    with WritersQueue(path).turn(timeout_s=5):
        pass


def test_threads_of_one_process_take_turns(tmp_path):
    queue, inside, overlaps = WritersQueue(str(tmp_path / "t.db")), [], []

    def write():
        for _ in range(50):
            with queue.turn():
                inside.append(1)
                overlaps.append(len(inside))
                inside.pop()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(overlaps) == 200 and set(overlaps) == {1}


def test_only_sqlite_files_queue(tmp_path):
    assert writers_turn(create_engine("sqlite://")).__class__.__name__ == "nullcontext"
    assert writers_turn(create_engine(f"sqlite:///{tmp_path}/x.db")).__class__.__name__ != "nullcontext"
    assert writers_turn(create_engine("postgresql+psycopg://u@127.0.0.1:1/x")).__class__.__name__ \
        == "nullcontext"


def test_submissions_hold_their_turn_for_the_write(session, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("only SQLite files queue their writers")
    path = create_engine(database_url).url.database
    result = FORK.Queue()
    with immediate_connection(session):
        in_child(try_turn, os.path.abspath(path), result)
        assert result.get(timeout=60) is False


def test_the_queue_benchmark_runs_both_queues(capsys):
    queue_benchmark(["--writers", "2", "--writes", "5", "--rounds", "1"])
    printed = capsys.readouterr().out
    assert "ours (polling)" in printed and "blocking" in printed and "ours / blocking" in printed
