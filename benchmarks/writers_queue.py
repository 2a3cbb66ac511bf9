"""The SQLite writers' queue under contention: ours (it polls) beside a queue that blocks.

Run: `python -m benchmarks.writers_queue [--writers 4] [--writes 1500] [--rounds 3]`.

`surveys.db.WritersQueue` checks for its turn every 0.1–1 ms. Waiting in the kernel instead
looks cheaper (a blocked process uses no CPU and is woken the moment the lock is free), so
this benchmark keeps the evidence for not doing that. WRITERS processes (as many as the load
benchmark's gunicorn workers, on a machine with fewer cores) each make --writes writes to
one SQLite file: some CPU work outside the lock, as a request does around its write, then
their turn, then BEGIN IMMEDIATE, one insert, COMMIT. Rounds of our queue alternate with
rounds of the blocking one (a thread of its own waits in a blocking flock, so the writer can
still give up at its deadline), so a machine whose speed drifts weighs on both alike. Printed
per queue: writes per second and CPU (user + system) per write of the writer processes.
"""
import argparse
import fcntl
import multiprocessing
import os
import sqlite3
import statistics
import tempfile
import threading
import time
from contextlib import contextmanager

from surveys.db import SQLITE_BUSY_TIMEOUT_MS, WritersQueue

FORK = multiprocessing.get_context("fork")
#: Iterations of CPU work each write does outside its turn (about 1–2 ms).
WORK_OUTSIDE = 20000


class BlockingQueue:
    """The alternative: wait for the file lock in a blocking flock, made by a helper thread.

    The helper thread is what lets a writer give up at its deadline (a blocking flock has no
    timeout); it uses a descriptor of its own and lets the lock go if it gets it too late.
    """

    def __init__(self, database_path):
        self.path = f"{database_path}-writers.lock"

    @contextmanager
    def turn(self, timeout_s=SQLITE_BUSY_TIMEOUT_MS / 1000):
        """Hold the lock for the block, or TimeoutError once `timeout_s` has passed."""
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        got, gave_up, state = threading.Event(), threading.Event(), threading.Lock()

        def wait():
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            with state:
                got.set()
                if not gave_up.is_set():
                    return
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            os.close(descriptor)

        threading.Thread(target=wait, daemon=True).start()
        got.wait(timeout_s)
        with state:
            if not got.is_set():
                gave_up.set()
                raise TimeoutError("no turn within the timeout")
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            os.close(descriptor)


QUEUES = {"ours (polling)": WritersQueue, "blocking": BlockingQueue}


def busy(iterations):
    """CPU work standing for what a request does besides its write."""
    total = 0
    for number in range(iterations):
        total += number * number % 7
    return total


def writer(path, queue_name, writes, start, cpu_seconds):
    """One writer process: `writes` writes, each through a turn of the named queue.

    Puts the CPU seconds (user + system, every thread of the process) its writes took on
    `cpu_seconds`.
    """
    queue = QUEUES[queue_name](path)
    connection = sqlite3.connect(path, isolation_level=None, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    start.wait()
    began = time.process_time()
    for number in range(writes):
        busy(WORK_OUTSIDE)
        with queue.turn():
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO rows (body) VALUES (?)", (f"write {number}",))
            connection.execute("COMMIT")
    cpu_seconds.put(time.process_time() - began)
    connection.close()


def run_round(folder, queue_name, writers, writes):
    """(writes per second, CPU ms per write) of one round, on a fresh WAL database."""
    path = os.path.join(folder, f"round-{time.monotonic_ns()}.db")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    start, cpu_seconds = FORK.Event(), FORK.Queue()
    processes = [FORK.Process(target=writer, args=(path, queue_name, writes, start, cpu_seconds))
                 for _ in range(writers)]
    for process in processes:
        process.start()
    time.sleep(0.5)  # every writer is up and waiting for the start
    began = time.perf_counter()
    start.set()
    cpu = sum(cpu_seconds.get(timeout=600) for _ in processes)
    elapsed = time.perf_counter() - began
    for process in processes:
        process.join(60)
    if any(process.exitcode != 0 for process in processes):
        raise RuntimeError("a writer failed")
    return writers * writes / elapsed, 1000 * cpu / (writers * writes)


def main(argv=None):
    """Alternate rounds of the two queues and print their figures side by side."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.writers_queue")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--writes", type=int, default=1500, help="writes per writer per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each queue")
    args = parser.parse_args(argv)
    figures = {name: [] for name in QUEUES}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.rounds):
            for name in QUEUES:
                figures[name].append(run_round(folder, name, args.writers, args.writes))
    print(f"{args.writers} writer processes × {args.writes} writes, {args.rounds} rounds of each "
          f"queue, alternating, on {os.cpu_count()} cores")
    print(f"{'queue':<16} {'writes/s':>9} {'CPU ms/write':>13}   rounds")
    means = {}
    for name, rounds in figures.items():
        means[name] = [statistics.mean(values) for values in zip(*rounds)]
        print(f"{name:<16} {means[name][0]:>9.0f} {means[name][1]:>13.3f}   "
              + ", ".join(f"{rate:.0f}/s {cpu:.3f} ms" for rate, cpu in rounds))
    (ours_rate, ours_cpu), (block_rate, block_cpu) = means["ours (polling)"], means["blocking"]
    print(f"ours / blocking: writes per second {ours_rate / block_rate:.2f}×, "
          f"CPU per write {ours_cpu / block_cpu:.2f}×")


if __name__ == "__main__":
    main()
