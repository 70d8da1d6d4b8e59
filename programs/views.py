import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from budget.selectors.execution import fiscal_year_latest
from budget.selectors.periods import bureau_periods
from civicbureau import display, held, open_data
from civicbureau.audit import history_version
from civicbureau.entry import EntryError, form_problems, plausible_year
from civicbureau.publication import public_cacheable
from programs import services
from programs.charts import measure_chart
from programs.exports.open_data import program_execution_dataset, program_outline_dataset, schedule_dataset
from programs.filters import ScheduleItemFilterSet
from programs.forms import (
    QUARTER_ENDS,
    ConsistencyPeriodForm,
    IndicatorValueForm,
    MeasureListForm,
    MeasureSettingsForm,
    ScheduleProgressForm,
    TargetDecisionForm,
    TargetProposalForm,
)
from programs.models import Indicator, IndicatorValue, ScheduleItem
from programs.notes import program_page_notes
from programs.selectors import targets
from programs.selectors.consistency import consistency_check
from programs.selectors.programs import (
    public_program_as_of,
    public_program_detail,
    public_program_list,
    public_program_outline,
)
from programs.selectors.schedule import public_schedule, schedule_default_date, schedule_publication
from programs.tables import ProgramExecutionLineTable, ScheduleTable
from staffing.permissions import (
    VIEW,
    can_approve,
    can_edit_division,
    can_read_named_bureau,
    can_view_internal,
    membership_of,
    restrict,
)
from staffing.selectors import internal_bureau, request_bureau


@login_required
def consistency(request):
    """For staff: where the report's tables disagree on a base figure in a reporting period (?as_of=; default:
    the latest published), the same check as check_consistency, with the bureau's periods to choose from.
    An internal page: the bureau's members and the administrator (permissions.can_view_internal), of the
    bureau the address names, else the person's own (staffing.selectors.internal_bureau)."""
    _internal(request)
    bureau = internal_bureau(request)
    form = ConsistencyPeriodForm(request.GET)
    as_of = form.cleaned_data["as_of"] if form.is_valid() else None
    fiscal_year = as_of.year if as_of else fiscal_year_latest(bureau=bureau)
    context = {"form": form, "check": None, "periods": []}
    if fiscal_year:
        context["check"] = consistency_check(bureau=bureau, fiscal_year=fiscal_year, as_of=as_of)
        context["periods"] = bureau_periods(bureau=bureau, fiscal_year=fiscal_year)
    return render(request, "programs/consistency.html", context, status=400 if form.errors else 200)


def _bureau(request):
    bureau = request_bureau(request)
    if bureau is None:
        raise Http404(_("아직 자료가 없습니다."))
    return bureau


def _schedule(request):
    bureau = _bureau(request)
    filterset = ScheduleItemFilterSet(request.GET or None, queryset=ScheduleItem.objects.all(), bureau=bureau)
    if filterset.is_bound and not filterset.is_valid():
        return bureau, filterset, None, None, None
    from_day = (filterset.form.cleaned_data.get("date") if filterset.is_bound else None) or schedule_default_date(
        bureau=bureau, today=timezone.localdate()
    )
    publication = schedule_publication(bureau=bureau)
    return (
        bureau,
        filterset,
        from_day,
        public_schedule(bureau=bureau, items=filterset.qs, from_day=from_day, publication=publication),
        publication,
    )


@public_cacheable
def schedule(request):
    """향후 추진일정: what the bureau promised to do, month by month from a date on, by division, each
    milestone with its status and actual dates as the bureau's latest edition published them."""
    bureau, filterset, from_day, months, publication = _schedule(request)
    context = {
        "bureau": bureau,
        "filterset": filterset,
        "from_day": from_day,
        "as_of": public_program_as_of(bureau=bureau),
        "publication": publication,
    }
    if months is not None:
        context["months"] = [
            (
                month,
                ScheduleTable(
                    month.entries, caption=_("%(month)s 추진일정") % {"month": display.month_label(month.month)}
                ),
            )
            for month in months
        ]
        context["query"] = urlencode([(k, request.GET[k]) for k in ("division", "date") if request.GET.get(k)])
    return render(request, "programs/schedule.html", context, status=400 if months is None else 200)


def _schedule_file(request, fmt):
    bureau, filterset, from_day, months, _publication = _schedule(request)
    if months is None:
        return open_data.refusal(filterset.errors)
    return open_data.response(
        schedule_dataset(months, from_day=from_day, as_of=public_program_as_of(bureau=bureau)), fmt
    )


@public_cacheable
def schedule_csv(request):
    return _schedule_file(request, "csv")


@public_cacheable
def schedule_json(request):
    return _schedule_file(request, "json")


@public_cacheable
def program_list(request):
    """주요 추진 사업: every major program under its direction, with its divisions."""
    bureau = _bureau(request)
    return render(
        request,
        "programs/program_list.html",
        {"programs": public_program_list(bureau=bureau), "as_of": public_program_as_of(bureau=bureau)},
    )


def _detail(bureau, slug):
    detail = public_program_detail(bureau=bureau, slug=slug)
    if detail is None:
        raise Http404(_("그런 주요사업이 없습니다."))
    return detail


@public_cacheable
def program_detail(request, slug):
    """A major program laid out like its section of the report."""
    bureau = _bureau(request)
    detail = _detail(bureau, slug)
    table, notes = None, []
    if detail.execution:
        table = ProgramExecutionLineTable(
            detail.execution,
            caption=_("예산집행 현황 %(line)s")
            % {"line": display.as_of_line(detail.as_of, display.THOUSAND_WON, display.PERCENT)},
        )
        notes = program_page_notes(bureau=bureau, detail=detail)
    measures = [
        (
            measure,
            measure_chart(measure, chart_id=f"measure-{measure.indicator.code}-chart") if measure.has_chart else None,
        )
        for measure in detail.measures
    ]
    return render(
        request,
        "programs/program_detail.html",
        {
            "detail": detail,
            "program": detail.program,
            "table": table,
            "notes": notes,
            "measures": measures,
            "bureau": bureau,
        },
    )


def _program_file(request, slug, fmt):
    detail = _detail(_bureau(request), slug)
    if detail.execution is None:
        raise Http404(_("이 주요사업에는 예산집행 현황 표가 없습니다."))
    return open_data.response(program_execution_dataset(detail.execution), fmt)


@public_cacheable
def program_csv(request, slug):
    return _program_file(request, slug, "csv")


@public_cacheable
def program_json(request, slug):
    return _program_file(request, slug, "json")


def _outline_file(request, slug, fmt):
    found = public_program_outline(bureau=_bureau(request), slug=slug)
    if found is None:
        raise Http404(_("그런 주요사업이 없습니다."))
    return open_data.response(program_outline_dataset(*found), fmt)


@public_cacheable
def program_outline_csv(request, slug):
    """The program's sections as the report nests them: one row an item, with its level and parent."""
    return _outline_file(request, slug, "csv")


@public_cacheable
def program_outline_json(request, slug):
    return _outline_file(request, slug, "json")


# -- staff pages: milestone progress and indicator values (writes through programs.services) ----------


def _internal(request):
    """Internal pages: a member or the administrator (else 403), of the bureau the address names (else 404)."""
    if not can_view_internal(request.user):
        raise PermissionDenied
    if not can_read_named_bureau(request):
        raise Http404


@login_required
def schedule_progress_list(request):
    """Every promised step the person may read, by program; each opens its progress page."""
    _internal(request)
    items = restrict(ScheduleItem.objects.select_related("program__division"), request.user, VIEW).order_by(
        "program__division__order", "program", "order"
    )
    membership = membership_of(request.user)
    return render(request, "programs/staff_schedule_list.html", {"items": items, "membership": membership})


@held.holds_expired_post
@login_required
def schedule_item_progress(request, pk):
    """One step's status, actual dates and note; its program's division enters them, the bureau reads them."""
    _internal(request)
    item = get_object_or_404(
        restrict(
            ScheduleItem.objects.select_related("program__division", "program__core_task__direction"),
            request.user,
            VIEW,
        ),
        pk=pk,
    )
    may_edit = can_edit_division(request.user, item.program.division)
    problems = []
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = ScheduleProgressForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.schedule_item_progress_save(
                    user=request.user,
                    item=item,
                    status=data["status"],
                    actual_start=data["actual_start"],
                    actual_end=data["actual_end"],
                    note=data["note"],
                    version=data["version"],
                )
            except EntryError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("추진일정의 진행 상황을 저장했습니다."))
                return redirect("programs:schedule_item_progress", item.pk)
        else:
            problems = form_problems(form, item.text)
    else:
        form = ScheduleProgressForm(
            held.held_post_take(request),  # what was typed before the session ended, to check and save
            initial={
                "status": item.status,
                "actual_start": item.actual_start,
                "actual_end": item.actual_end,
                "note": item.note,
                "version": history_version(item.history.all()),
            },
        )
    history = item.history.select_related("history_user").order_by("-history_id")[:20]
    return render(
        request,
        "programs/staff_schedule_item.html",
        {"item": item, "form": form, "may_edit": may_edit, "problems": problems, "history": history},
        status=400 if problems else 200,
    )


@login_required
def indicator_list(request):
    """The indicators of programs the person may read, by program; each opens its values page."""
    _internal(request)
    indicators = restrict(Indicator.objects.select_related("program", "division"), request.user, VIEW).order_by(
        "division__order", "program", "order"
    )
    return render(request, "programs/staff_indicator_list.html", {"indicators": indicators})


@held.holds_expired_post
@login_required
def indicator_values(request, code):
    """An indicator's values by date and category; its program's division adds and corrects them (?record=ID opens one)."""
    _internal(request)
    indicator = get_object_or_404(
        restrict(Indicator.objects.select_related("program", "division"), request.user, VIEW), code=code
    )
    may_edit = indicator.division is not None and can_edit_division(request.user, indicator.division)
    problems = []
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = IndicatorValueForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            record = (
                get_object_or_404(IndicatorValue, pk=data["record"], indicator=indicator) if data["record"] else None
            )
            try:
                services.indicator_value_save(
                    user=request.user,
                    indicator=indicator,
                    as_of=data["as_of"],
                    category=data["category"],
                    value=data["value"],
                    record=record,
                    version=data["version"],
                )
            except EntryError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("지표 값을 저장했습니다."))
                return redirect("programs:indicator_values", indicator.code)
        else:
            problems = form_problems(form, indicator.name)
    else:
        record = None
        asked = request.GET.get("record", "")
        if asked.isascii() and asked.isdecimal() and len(asked) <= 18:  # '²' is a digit to str.isdigit
            record = get_object_or_404(IndicatorValue, pk=request.GET["record"], indicator=indicator)
        initial = (
            {
                "record": record.pk,
                "version": history_version(record.history.all()),
                "as_of": record.as_of,
                "category": record.category,
                "value": record.value,
            }
            if record
            else {}
        )
        form = IndicatorValueForm(held.held_post_take(request), initial=initial)  # typed before the session ended
    values = indicator.values.order_by("-as_of", "order")
    return render(
        request,
        "programs/staff_indicator_values.html",
        {"indicator": indicator, "values": values, "form": form, "may_edit": may_edit, "problems": problems},
        status=400 if problems else 200,
    )


# -- measures and their targets: the division proposes, a director approves (programs.services) ----------


def _measure_year(request, code, year):
    """The measure (one the person may read) and a plausible fiscal year from the address, else 404."""
    _internal(request)
    indicator = targets.measure_for(user=request.user, code=code)
    if indicator is None or plausible_year(str(year)) is None:
        raise Http404(_("그런 지표가 없습니다."))
    return indicator, year


@login_required
def measure_list(request):
    """The person's measures (their division's; the bureau's roles: all) in a fiscal year with direction,
    target in force, pending proposal, result, achievement and status; ?status= filters."""
    _internal(request)
    bureau = internal_bureau(request)
    form = MeasureListForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    fiscal_year = data.get("year") or fiscal_year_latest(bureau=bureau) or timezone.localdate().year
    rows = targets.measure_list(
        user=request.user, bureau=bureau, fiscal_year=fiscal_year, status=data.get("status") or None
    )
    return render(
        request,
        "programs/staff_measure_list.html",
        {"form": form, "rows": rows, "fiscal_year": fiscal_year, "membership": membership_of(request.user)},
        status=200 if valid else 400,
    )


def _measure_page(request, indicator, year, *, problems=(), propose_form=None, settings_form=None, decision_form=None):
    """The measure-year's page: settings, targets in force and pending, every revision, and the forms the
    person may use (400 when it shows a refusal)."""
    bureau = indicator.division.bureau if indicator.division else _bureau(request)
    page = targets.measure_targets(bureau=bureau, indicator=indicator, fiscal_year=year)
    may_edit = can_edit_division(request.user, indicator.division)
    may_approve = can_approve(request.user, indicator.division)
    if propose_form is None:
        start = page.proposal_start()
        year_target = start.get(datetime.date(year, 12, 31))
        initial = {"version": page.version}
        if year_target is not None:
            initial |= {
                "value": year_target.value,
                "low": year_target.low,
                "high": year_target.high,
                "source": year_target.source,
            }
        for name, (month, day) in zip(("q1", "q2", "q3"), QUARTER_ENDS, strict=True):
            part = start.get(datetime.date(year, month, day))
            if part is not None:
                initial[name] = part.value
        propose_form = TargetProposalForm(held.held_post_take(request), initial=initial, direction=indicator.direction)
    if settings_form is None:
        settings_form = MeasureSettingsForm(
            initial={
                "direction": indicator.direction,
                "baseline": indicator.baseline,
                "baseline_year": indicator.baseline_year,
                "version": history_version(indicator.history.all()),
            }
        )
    if decision_form is None:
        decision_form = TargetDecisionForm(initial={"version": page.version})
    return render(
        request,
        "programs/staff_measure_targets.html",
        {
            "indicator": indicator,
            "page": page,
            "row": page.row,
            "fiscal_year": year,
            "may_edit": may_edit,
            "may_approve": may_approve,
            "propose_form": propose_form,
            "settings_form": settings_form,
            "decision_form": decision_form,
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@held.holds_expired_post
@login_required
def measure_targets(request, code, year):
    """A measure's targets of a year; POST: its division proposes the year's targets (a revision of an
    approved one needs its reason)."""
    indicator, year = _measure_year(request, code, year)
    if request.method != "POST":
        return _measure_page(request, indicator, year)
    if not can_edit_division(request.user, indicator.division):
        raise PermissionDenied
    form = TargetProposalForm(request.POST, direction=indicator.direction)
    if not form.is_valid():
        return _measure_page(request, indicator, year, problems=form_problems(form, indicator.name), propose_form=form)
    data = form.cleaned_data
    try:
        written = services.targets_propose(
            user=request.user,
            indicator=indicator,
            fiscal_year=year,
            value=data.get("value"),
            low=data.get("low"),
            high=data.get("high"),
            parts=form.parts(year),
            reason=data["reason"],
            source=data["source"],
            version=data["version"],
        )
    except EntryError as exc:
        return _measure_page(request, indicator, year, problems=exc.problems, propose_form=form)
    if written:
        messages.success(request, _("목표를 제안했습니다. 과장이나 국의 승인을 기다립니다."))
    else:
        messages.info(request, _("바뀐 목표가 없어 아무것도 저장하지 않았습니다."))
    return redirect("programs:measure_targets", indicator.code, year)


@held.holds_expired_post
@login_required
def measure_settings(request, code, year):
    """POST: the measure's direction and baseline, set by its division (GET: its page)."""
    indicator, year = _measure_year(request, code, year)
    if request.method != "POST":
        return redirect("programs:measure_targets", indicator.code, year)
    if not can_edit_division(request.user, indicator.division):
        raise PermissionDenied
    form = MeasureSettingsForm(request.POST)
    if not form.is_valid():
        return _measure_page(request, indicator, year, problems=form_problems(form, indicator.name), settings_form=form)
    data = form.cleaned_data
    try:
        services.measure_settings_save(
            user=request.user,
            indicator=indicator,
            direction=data["direction"],
            baseline=data["baseline"],
            baseline_year=data["baseline_year"],
            version=data["version"],
        )
    except EntryError as exc:
        indicator.refresh_from_db()
        return _measure_page(request, indicator, year, problems=exc.problems, settings_form=form)
    messages.success(request, _("지표의 방향과 기준치를 저장했습니다."))
    return redirect("programs:measure_targets", indicator.code, year)


def _decide(request, code, year, decide, done):
    indicator, year = _measure_year(request, code, year)
    if request.method != "POST":
        return redirect("programs:measure_targets", indicator.code, year)
    if not can_approve(request.user, indicator.division):
        raise PermissionDenied
    form = TargetDecisionForm(request.POST)
    if not form.is_valid():
        return _measure_page(request, indicator, year, problems=form_problems(form, indicator.name), decision_form=form)
    try:
        decide(indicator, year, form.cleaned_data)
    except EntryError as exc:
        return _measure_page(request, indicator, year, problems=exc.problems, decision_form=form)
    messages.success(request, done)
    return redirect("programs:measure_targets", indicator.code, year)


@held.holds_expired_post
@login_required
def measure_targets_approve(request, code, year):
    """POST: the division's director (or the bureau director or planning) approves the proposed targets."""

    def approve(indicator, year, data):
        services.targets_approve(user=request.user, indicator=indicator, fiscal_year=year, version=data["version"])

    return _decide(request, code, year, approve, _("목표를 승인했습니다. 승인한 목표는 잠깁니다."))


@held.holds_expired_post
@login_required
def measure_targets_return(request, code, year):
    """POST: the approver returns the proposed targets to the division, with the reason."""

    def send_back(indicator, year, data):
        services.targets_return(
            user=request.user, indicator=indicator, fiscal_year=year, reason=data["reason"], version=data["version"]
        )

    return _decide(request, code, year, send_back, _("목표를 반려했습니다."))
