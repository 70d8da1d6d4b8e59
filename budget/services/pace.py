"""Writes of the city's pace targets (시 집행 목표): the budget office (and the administrator) set a fiscal
year's twelve monthly cumulative disbursement-rate targets at once on /city/pace/; a month left blank is not
set (it lies on the straight line between its neighbours, civicbureau.figures.pace_curve). Bureaus without
targets of their own for the year follow these (budget.selectors.execution.pace_curve).

The year's set is saved whole or not at all: every value is checked with the model's rules (the field's
bounds, then clean(): cumulative targets never fall, read against the year's new set once written), every
refusal names its month, the set's version is checked first (optimistic locking), and each change (new,
changed or cleared month) leaves a history row with who and how (civicbureau.audit)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from budget.models import BudgetPaceTarget
from budget.selectors.pace import city_pace_version
from civicbureau import audit
from civicbureau.entry import EntryError, Problem, StaleVersion, plausible_year, problems_from, require_version
from civicbureau.locks import ROW_LOCK
from staffing.permissions import can_set_city_pace

MONTHS = range(1, 13)


def month_label(month: int) -> str:
    """How a problem names its month: '6월' / 'Month 6'."""
    return _("%(month)s월") % {"month": month}


def city_pace_save(
    *, user, fiscal_year: int, rates: dict[int, Decimal | None], version: int | None, how: audit.How = audit.How.FORM
) -> int:
    """Set the city's targets of a year to `rates` (month → cumulative rate in %, None: not set); returns how
    many months changed (set, changed or cleared)."""
    if not can_set_city_pace(user):
        raise PermissionDenied(_("시 집행 목표를 정할 권한이 없습니다."))
    require_version(version)
    if plausible_year(str(fiscal_year)) is None:
        raise EntryError([Problem("", "fiscal_year", _("입력할 수 없는 회계연도입니다."))])
    unknown = sorted(set(rates) - set(MONTHS))
    if unknown:
        raise EntryError([Problem(str(m), "month", _("1월부터 12월까지만 정할 수 있습니다.")) for m in unknown])
    with transaction.atomic():
        stored = {
            t.month: t
            for t in BudgetPaceTarget.objects.select_for_update(**ROW_LOCK).filter(
                bureau__isnull=True, fiscal_year=fiscal_year
            )
        }
        if version != city_pace_version(fiscal_year=fiscal_year):
            raise StaleVersion(
                [
                    Problem(
                        "",
                        "version",
                        _(
                            "다른 사람이 그 사이에 이 해의 시 집행 목표를 바꿨습니다. 아무것도 저장하지 않았습니다; 새로 불러와 다시 입력하세요."
                        ),
                    )
                ]
            )
        problems, to_save, to_clear = [], [], []
        for month in MONTHS:
            rate, target = rates.get(month), stored.get(month)
            if rate is None:
                if target is not None:
                    to_clear.append(target)
                continue
            if target is not None and target.target_rate == rate:
                continue
            target = target or BudgetPaceTarget(bureau=None, fiscal_year=fiscal_year, month=month)
            target.target_rate = rate
            try:
                target.clean_fields()
            except ValidationError as exc:
                problems.extend(problems_from(exc, month_label(month)))
                continue
            to_save.append(target)
        if problems:
            raise EntryError(problems)
        for target in to_clear:
            audit.record(target, user, how)
            target.delete()
        for target in to_save:
            audit.record(target, user, how)
            target.save()
        # the model's rule, read against the year's new set: a cumulative target never falls
        for target in sorted(to_save, key=lambda t: t.month):
            try:
                target.clean()
            except ValidationError as exc:
                problems.extend(problems_from(exc, month_label(target.month)))
        if problems:
            raise EntryError(problems)  # leaves the atomic block: nothing of the set is kept
    return len(to_save) + len(to_clear)
