"""A fingerprint of every row the portal's own apps hold (figures, months, people, programs and their
history), to show that a refused request changed nothing at all, not only the tables a test thought of."""

import hashlib

from django.apps import apps

APPS = ("staffing", "budget", "programs", "civicbureau", "jobs")


def database_fingerprint() -> dict[str, str]:
    """model label → a digest of all its rows in primary-key order (a dict, so a failure names the table)."""
    digests = {}
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        digest = hashlib.sha256()
        for row in model._base_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
        digests[model._meta.label] = digest.hexdigest()
    return digests
