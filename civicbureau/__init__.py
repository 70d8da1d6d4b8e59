# The job queue's Celery app, loaded with Django so that tasks sent from the portal use it (Celery's Django guide).
from civicbureau.celery import app as celery_app

__all__ = ("celery_app",)
