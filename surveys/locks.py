"""Database locks for periodic jobs: one runner per job at a time, across processes and machines."""
import datetime as dt
import os
import secrets
import socket
from contextlib import contextmanager

from surveys.db import immediate_transaction
from surveys.models import JobLock

#: A lock is taken for this long; a runner that dies frees it when it expires.
LOCK_TTL = dt.timedelta(minutes=30)


def runner_id():
    """A name for this process, unique enough to tell runners apart."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def acquire_lock(session, name, holder, now, ttl=LOCK_TTL):
    """Take the lock `name` unless another holder has it; returns whether we got it."""
    with immediate_transaction(session):
        lock = session.get(JobLock, name)
        if lock is None:
            lock = JobLock(name=name)
            session.add(lock)
        elif lock.expires_at is not None and lock.expires_at > now and lock.holder != holder:
            return False
        lock.holder, lock.expires_at = holder, now + ttl
    return True


def release_lock(session, name, holder, now, finished=True):
    """Give the lock back (only the holder can), noting the time if the job finished."""
    session.rollback()  # whatever the job left half-done is not ours to commit
    with immediate_transaction(session):
        lock = session.get(JobLock, name)
        if lock is not None and lock.holder == holder:
            lock.holder, lock.expires_at = None, None
            if finished:
                lock.last_finished_at = now


@contextmanager
def job_lock(session, name, now, holder=None):
    """Run the block only if the lock was free: yields True (held) or False (someone else has it)."""
    holder = holder or runner_id()
    held = acquire_lock(session, name, holder, now)
    try:
        yield held
    except BaseException:
        if held:
            release_lock(session, name, holder, now, finished=False)
        raise
    if held:
        release_lock(session, name, holder, now)


def last_finished(session, name):
    """When the job `name` last finished, or None."""
    lock = session.get(JobLock, name)
    return lock.last_finished_at if lock else None
