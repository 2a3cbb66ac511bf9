"""Message batches kept in the database while they wait for a worker (the task queue's outbox).

A batch the API accepted (202) must be stored in the end, whatever happens to the task that
carries it: Redis loses a task it hands to a worker that is being killed. So the batch is written
here, in a committed transaction, before the task is queued; the task carries only the id; the
worker deletes the row once the batch is stored; and the periodic jobs queue again every batch
still waiting after STALE_AFTER. Storing is idempotent (duplicates are skipped), so a batch
queued twice is stored once.
"""
import datetime as dt

from sqlalchemy import delete, select, update

from surveys.db import immediate_transaction
from surveys.models import KeptMessageBatch

#: A batch waiting longer than this had its task lost (or the workers are far behind): queue it
#: again. Queuing a batch whose task is merely slow costs one repeat that stores nothing.
STALE_AFTER = dt.timedelta(minutes=10)


def keep_batch(session, source, messages, counts, received_at):
    """Write a prepared batch and commit; returns its id, for the task to carry."""
    # A plain insert: no read comes before it, so it needs no write lock on the hot import path.
    batch = KeptMessageBatch(source=source, messages=messages, counts=counts,
                             received_at=received_at, queued_at=received_at)
    session.add(batch)
    session.flush()
    batch_id = batch.id
    session.commit()
    return batch_id


def kept_batch(session, batch_id):
    """The kept batch `batch_id`, or None once a worker has stored it."""
    return session.get(KeptMessageBatch, batch_id, populate_existing=True)


def forget_batch(session, batch_id):
    """Delete a batch a worker has stored (a repeat finds nothing to do)."""
    session.execute(delete(KeptMessageBatch).where(KeptMessageBatch.id == batch_id))
    session.commit()


def batches_to_requeue(session, now):
    """Ids of batches waiting since before now − STALE_AFTER, marked as queued again at `now`."""
    with immediate_transaction(session):
        ids = list(session.scalars(select(KeptMessageBatch.id).where(
            KeptMessageBatch.queued_at < now - STALE_AFTER).order_by(KeptMessageBatch.id)))
        if ids:
            session.execute(update(KeptMessageBatch).where(KeptMessageBatch.id.in_(ids))
                            .values(queued_at=now))
    return ids
