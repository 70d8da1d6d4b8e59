"""Tables of the staff entry pages (django-tables2); their rows come ready-made from the selectors."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


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
