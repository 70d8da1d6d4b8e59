"""What the queue's worker does for jobs whose worker was lost (a whole worker killed, a machine's crash): it
sends them again (jobs.services.jobs_requeue_stale) when it is ready (Celery's worker_ready signal) and then
every JOB_HEARTBEAT_SECONDS on its own timer (a bootstep, Celery's documented way to add a periodic step to
the worker). A job is thus run again about JOB_STALE_SECONDS after its last beat, or at once when its process
is seen gone on this machine (jobs.process), not after Redis's visibility timeout (2 × JOB_TIME_LIMIT_SECONDS).

Why not celery beat: it is one more process to deploy, watch and keep single, and a beat that is down would
silently stop the sweep; the worker is the process that must be up for the job to run anyway. Every worker
sweeps: several sweeps at once are harmless (a job is sent again only while it is stale, and job_claim lets one
attempt at a time hold it). The sweep runs in the worker's main process, which forks the pool: it closes its
database connection after each sweep, so no child inherits it."""

import logging

from celery import bootsteps
from celery.signals import worker_ready
from django.conf import settings
from django.db import Error, connections

from civicbureau.celery import app
from jobs.services import jobs_requeue_stale

logger = logging.getLogger(__name__)


def sweep() -> None:
    """One sweep; a database that cannot be reached is logged and tried again at the next one."""
    try:
        jobs_requeue_stale()
    except Error:
        logger.exception("the sweep of stale jobs could not read the database")
    finally:
        connections.close_all()


@worker_ready.connect
def requeue_stale_jobs_on_start(sender=None, **kwargs) -> None:
    """A worker that starts (often after one was killed) sends the jobs already stale again at once."""
    sweep()


class StaleJobSweep(bootsteps.StartStopStep):
    """The sweep every JOB_HEARTBEAT_SECONDS, on the worker's timer (its main process's event loop)."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self.timer_entry = None

    def start(self, parent):
        self.timer_entry = parent.timer.call_repeatedly(settings.JOB_HEARTBEAT_SECONDS, sweep, priority=10)

    def stop(self, parent):
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None


app.steps["worker"].add(StaleJobSweep)
