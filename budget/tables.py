"""Budget tables (django-tables2): the public 예산 집행 현황 (one bureau, the city), 세입총괄 and 세출총괄, and
the trail. Rows come ready-made from the selectors; every figure is written by civicbureau.display."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableListData

from budget.selectors.execution import RowLevel
from civicbureau import display
from civicbureau.tables import FiguresTable, MoneyColumn, RateColumn


class GroupedRows(list):
    """Execution rows that sort within their group: the total stays first, divisions sort among
    themselves and each division's lines sort under it (django-tables2 sorts list data with `.sort`)."""

    def sort(self, *, key=None, reverse=False):
        total = [r for r in self if r.level == RowLevel.TOTAL]
        divisions = sorted((r for r in self if r.level == RowLevel.DIVISION), key=key, reverse=reverse)
        lines: dict = {}
        for row in self:
            if row.level == RowLevel.LINE:
                lines.setdefault(row.division_code, []).append(row)
        ordered = list(total)
        for division in divisions:
            ordered.append(division)
            ordered.extend(sorted(lines.get(division.division_code, []), key=key, reverse=reverse))
        self[:] = ordered


class ExecutedColumn(MoneyColumn):
    """집행액: '미보고' on a division or line without figures in the edition shown (a total with such a part
    has no sum: '-')."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, empty_values=(), **kwargs)

    def render(self, value, record):
        return display.NOT_REPORTED if record.is_not_reported_part else super().render(value)


class ExecutionFiguresTable(FiguresTable):
    """The execution figures of a row (a total, a bureau, a division or a line), after its name columns."""

    original = MoneyColumn(verbose_name=_("예산편성액(당초예산)"))
    authority = MoneyColumn(verbose_name=_("예산현액(A)"))
    disbursements = ExecutedColumn(verbose_name=_("집행액(B)"))
    balance = MoneyColumn(verbose_name=_("집행잔액(A-B)"))
    rate = RateColumn(verbose_name=_("집행률(B/A)"))


class ExecutionStatusTable(ExecutionFiguresTable):
    """예산 집행 현황: the bureau total, each division and each of its budget lines."""

    name = tables.Column(verbose_name=_("구분"), attrs={"td": {"class": "text"}})

    class Meta(FiguresTable.Meta):
        orderable = True
        sequence = ("name", "...")
        row_attrs = {"class": lambda record: f"level-{record.level}", "data-code": lambda record: record.code}

    def __init__(self, rows, **kwargs):
        # A TableData instance is used as it is (a plain list would be copied into a list and lose `sort`).
        super().__init__(TableListData(GroupedRows(rows)), **kwargs)


class ComparisonTable(FiguresTable):
    """A year-on-year table (세입총괄, 세출총괄): this year (A), the comparison year (B), change and rate."""

    name = tables.Column(verbose_name=_("구분"), attrs={"td": {"class": "text"}})
    current = MoneyColumn(verbose_name=_("당해연도(A)"))
    base = MoneyColumn(verbose_name=_("비교연도(B)"))
    change = MoneyColumn(verbose_name=_("증감(A-B)"))
    change_rate = RateColumn(verbose_name=_("증감률"))

    class Meta(FiguresTable.Meta):
        row_attrs = {"class": lambda record: f"depth-{record.depth}"}

    def __init__(self, rows, *, current_label, base_label, **kwargs):
        super().__init__(rows, **kwargs)
        self.columns["current"].column.verbose_name = current_label
        self.columns["base"].column.verbose_name = base_label


class ExpenditureTable(ComparisonTable):
    """세출총괄: this year's budget (A) against the comparison year's 본예산 and 최종예산 (B)."""

    base_original = MoneyColumn(verbose_name=_("본예산"))

    class Meta(ComparisonTable.Meta):
        sequence = ("name", "current", "base_original", "base", "change", "change_rate")

    def __init__(self, rows, *, base_year, current_label, **kwargs):
        super().__init__(
            rows, current_label=current_label, base_label=_("%(year)s년 최종예산(B)") % {"year": base_year}, **kwargs
        )
        self.columns["base_original"].column.verbose_name = _("%(year)s년 본예산") % {"year": base_year}


class HistoryTable(tables.Table):
    """The trail: one changed value per row, newest first."""

    when = tables.DateTimeColumn(verbose_name=_("일시"), format="Y-m-d H:i:s", orderable=False)
    who = tables.Column(verbose_name=_("누가"), orderable=False)
    how = tables.Column(verbose_name=_("경로"), orderable=False)
    subject = tables.Column(verbose_name=_("대상"), orderable=False)
    field = tables.Column(verbose_name=_("항목"), orderable=False)
    old = tables.Column(verbose_name=_("이전 값"), orderable=False, attrs={"td": {"class": "number"}})
    new = tables.Column(verbose_name=_("새 값"), orderable=False, attrs={"td": {"class": "number"}})

    class Meta:
        attrs = {"class": "figures history", "id": "history"}
        empty_text = _("기록이 없습니다.")
        template_name = "django_tables2/table.html"
