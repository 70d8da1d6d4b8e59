"""Public notes where two public pages give different figures for one thing: a program's 예산집행 현황
(its report section) against the bureau's 예산 집행 현황 in the edition the public reads. Both pages say
so, each with the other's figure and where it comes from; the differences are the consistency check's
(programs.selectors.consistency), so pages, the staff page and check_consistency list the same ones.

The program page asks here directly; 예산 집행 현황 (budget, a layer below) gets its notes through the
kernel's registry (civicbureau.notes), filled in ProgramsConfig.ready.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from budget.models import BudgetLine, Publication
from civicbureau import display
from civicbureau.notes import Note
from programs.models import ProgramExecutionRow
from programs.selectors.consistency import compared_program_date, line_disagreements
from programs.selectors.programs import ProgramDetail
from staffing.models import Bureau


def _edition(publication: Publication) -> str:
    return _("예산 집행 현황(%(date)s 기준 제%(edition)s판)") % {
        "date": display.report_date(publication.as_of),
        "edition": publication.edition,
    }


def edition_query(publication: Publication) -> str:
    """The query of 예산 집행 현황 showing exactly this edition."""
    return urlencode(
        {"year": publication.fiscal_year, "as_of": publication.as_of.isoformat(), "edition": publication.edition}
    )


def program_page_notes(*, bureau: Bureau, detail: ProgramDetail) -> list[Note]:
    """Under a program's execution table: each of its figures that the latest published 예산 집행 현황 of
    the year gives otherwise (none when the page's table is not the one that edition is compared with)."""
    program, publication = detail.program, detail.publication
    if publication is None or detail.as_of is None:
        return []
    if compared_program_date(bureau=bureau, as_of=publication.as_of) != detail.as_of:
        return []
    rows = ProgramExecutionRow.objects.filter(program=program, as_of=detail.as_of)
    issues = line_disagreements(
        lines=BudgetLine.objects.filter(pk__in=rows.values("budget_line")),
        as_of=publication.as_of,
        publication=publication,
        program_as_of=detail.as_of,
    )
    source_url = reverse("budget:execution") + "?" + edition_query(publication)
    notes = []
    for issue in issues:
        values = {
            "field": issue.field,
            "value": display.amount(issue.value),
            "source": _edition(publication),
            "line": issue.row,
            "other": display.amount(issue.other_value),
        }
        others = [p for p in issue.programs if p.pk != program.pk]
        if others:
            text = _(
                "이 표와 다른 주요사업의 표에 나뉘어 실린 %(line)s의 %(field)s 합계 %(value)s천원은 "
                "%(source)s의 %(line)s %(other)s천원과 다릅니다. 보고서의 두 표가 다르게 적었습니다."
            )
        else:
            text = _(
                "이 표의 %(field)s %(value)s천원은 %(source)s의 %(line)s %(other)s천원과 다릅니다. "
                "보고서의 두 표가 다르게 적었습니다."
            )
        links = [(p.title, p.get_absolute_url()) for p in others] + [(values["source"], source_url)]
        notes.append(Note(text % values, tuple(links)))
    return notes


def execution_page_notes(*, bureau: Bureau, publication: Publication) -> list[Note]:
    """Under 예산 집행 현황 of an edition: each budget line whose program section gives another figure,
    with links to the program pages (three queries, whatever the number of lines)."""
    program_as_of = compared_program_date(bureau=bureau, as_of=publication.as_of)
    if program_as_of is None:
        return []
    issues = line_disagreements(
        lines=BudgetLine.objects.filter(division__bureau=bureau, fiscal_year=publication.fiscal_year),
        as_of=publication.as_of,
        publication=publication,
        program_as_of=program_as_of,
    )
    notes = []
    for issue in issues:
        values = {
            "line": issue.row,
            "field": issue.field,
            "other": display.amount(issue.other_value),
            "value": display.amount(issue.value),
            "date": display.report_date(program_as_of),
        }
        if len(issue.programs) > 1:
            text = _(
                "%(line)s의 %(field)s: 이 표는 %(other)s천원, 두 주요사업의 예산집행 현황(%(date)s 기준)을 "
                "합하면 %(value)s천원입니다. 보고서의 두 표가 다르게 적었습니다."
            )
        else:
            text = _(
                "%(line)s의 %(field)s: 이 표는 %(other)s천원, 주요사업의 예산집행 현황(%(date)s 기준)은 "
                "%(value)s천원입니다. 보고서의 두 표가 다르게 적었습니다."
            )
        notes.append(Note(text % values, tuple((p.title, p.get_absolute_url()) for p in issue.programs)))
    return notes
