"""Writes of a budget book (budget.importers.budget_book): the bureaus, divisions and teams it names that
the portal does not have yet, and its budget lines, created or changed.

The importer has checked every row against the stored records before this is called; here everything
is written in one transaction, in a few statements whatever the number of rows (bulk INSERTs, COPY on
PostgreSQL, one UPDATE of the changed lines), teams and lines each with their history row (who, when, the new values, how:
civicbureau.audit.save_many). Bureaus and divisions are reference data without a history table (as in
the admin and the demo loader); created from the page, they are recorded in the admin's log under the
administrator's name, as the admin records its own changes.
"""

from dataclasses import dataclass, field

from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from budget.models import BudgetLine
from civicbureau import audit
from staffing.models import Bureau, Division, Team

# What a budget book may change on a line that exists: the rest (its division, year, code) finds it.
LINE_FIELDS = ("name", "team", "original_budget")


@dataclass
class BudgetBookPlan:
    """What a budget book writes: new bureaus, divisions and teams (unsaved), and its new or changed
    lines (new ones unsaved; changed ones with their new values set)."""

    bureaus: list[Bureau] = field(default_factory=list)
    divisions: list[Division] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    lines: list[BudgetLine] = field(default_factory=list)


def budget_book_save(*, plan: BudgetBookPlan, user, how: audit.How) -> None:
    """Write a checked plan, all or nothing. `user` is the administrator on the page, None for the
    management command (run by whoever holds the server, as load_demo)."""
    if user is not None and not user.is_superuser:
        raise PermissionDenied(_("예산서는 관리자만 올릴 수 있습니다."))
    with transaction.atomic():
        Bureau.objects.bulk_create(plan.bureaus)
        Division.objects.bulk_create(plan.divisions)  # each takes its new bureau's key here
        audit.save_many(Team, plan.teams, fields=[], user=user, how=how)
        audit.save_many(BudgetLine, plan.lines, fields=list(LINE_FIELDS), user=user, how=how)
        if user is not None:
            LogEntry.objects.log_actions(user.pk, [*plan.bureaus, *plan.divisions], ADDITION, _("예산서로 등록"))
