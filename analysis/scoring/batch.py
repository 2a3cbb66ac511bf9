"""Batch scoring: an iterable in, an iterator out, memory flat, both cores for big batches.

Work is sent to a fork-started pool a few chunks at a time (never the whole input at once), and
results come back in input order. Small batches are scored in-process: a pool costs more than
it saves below a few thousand texts.
"""
import collections
import itertools
import multiprocessing
import os

from .lines import BadLine
from .scorer import ScoringError, get_scorer

#: below this many items a pool is not worth starting
PARALLEL_MIN = 2000
CHUNK = 200
#: chunks queued or running per worker; bounds memory whatever the input length
IN_FLIGHT_PER_WORKER = 4
_worker_scorer = None


def score_record(scorer, record):
    """Score one (id, text) record; a bad line or unscorable text gives an error object."""
    record_id, text = record
    if isinstance(text, BadLine):
        return text.as_dict()
    try:
        return scorer.score(text, id=record_id)
    except ScoringError as error:
        return {"id": record_id, "error": str(error)}


def _init_worker(scorer):
    """Pool initializer: keep the parent's scorer (inherited by fork, not re-loaded)."""
    global _worker_scorer
    _worker_scorer = scorer


def _score_chunk(records):
    """Score a list of records inside a worker."""
    return [score_record(_worker_scorer, record) for record in records]


def _chunks(iterable, size):
    """Yield lists of up to `size` items."""
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def default_workers():
    """Number of worker processes: the CPUs this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def score_records(records, scorer=None, workers=None):
    """Score (id, text) records lazily, in order; parallel once the input is big enough."""
    scorer = scorer or get_scorer()
    workers = workers or default_workers()
    iterator = iter(records)
    head = list(itertools.islice(iterator, PARALLEL_MIN))
    if workers < 2 or len(head) < PARALLEL_MIN or not hasattr(os, "fork"):
        yield from (score_record(scorer, r) for r in itertools.chain(head, iterator))
        return
    yield from _score_in_pool(itertools.chain(head, iterator), scorer, workers)


def _score_in_pool(records, scorer, workers):
    """Score records on a fork pool with a bounded number of chunks in flight, in order."""
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_init_worker, initargs=(scorer,)) as pool:
        pending = collections.deque()
        for chunk in _chunks(records, CHUNK):
            pending.append(pool.apply_async(_score_chunk, (chunk,)))
            if len(pending) >= IN_FLIGHT_PER_WORKER * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def score_texts(texts, scorer=None, workers=None):
    """Score an iterable of texts lazily; each result's `id` is the text's position."""
    return score_records(enumerate(texts), scorer=scorer, workers=workers)
