"""The job queue's Celery app (jobs/): its settings are Django's CELERY_* ones (civicbureau/settings.py), its
tasks those of the installed apps (`tasks.py`). The worker: `.venv/bin/celery -A civicbureau worker
--concurrency 1 --loglevel info` with REDIS_URL set; without it every job runs inside the request (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbureau.settings")

app = Celery("civicbureau")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
