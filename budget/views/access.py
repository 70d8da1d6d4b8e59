"""What every internal budget page checks first: the person may read internal pages, the division named
in the address is one they may read, and the fiscal year asked for is a number."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from budget.selectors.execution import fiscal_year_latest
from civicbureau.entry import plausible_year
from staffing.models import Division
from staffing.permissions import (
    VIEW,
    can_read_named_bureau,
    can_view_internal,
    membership_of,
    reads_every_bureau,
    restrict,
)
from staffing.selectors import internal_bureau


def internal_only(request) -> None:
    """Internal pages: a member or the administrator (else 403), of the bureau the address names (else 404)."""
    if not can_view_internal(request.user):
        raise PermissionDenied
    if not can_read_named_bureau(request):
        raise Http404


def division_or_404(request, code) -> Division:
    """The division named in the URL, among those the person may read (another bureau's is a 404)."""
    return get_object_or_404(restrict(Division.objects.all(), request.user, VIEW), code=code)


def bureau_and_year(request):
    """(membership, bureau, fiscal year) of an internal page of a year: the bureau the address names, else the person's own (the
    default one for the administrator and the budget office); another bureau's: 404, and ?year=, else the bureau's latest fiscal year, else this year; not a year the portal can hold figures for (civicbureau.entry.plausible_year): 404."""
    internal_only(request)
    membership = membership_of(request.user)
    bureau = internal_bureau(request)
    if bureau is None or not (reads_every_bureau(request.user) or membership.bureau_id == bureau.pk):
        raise Http404
    asked = request.GET.get("year")
    if asked:
        year = plausible_year(asked)
        if year is None:
            raise Http404
    else:
        year = fiscal_year_latest(bureau=bureau) or datetime.date.today().year
    return membership, bureau, year
