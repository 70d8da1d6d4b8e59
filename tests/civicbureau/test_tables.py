"""FiguresTable.body_rows draws each row as the per-cell template tags drew it (tables/figures.html before
body_rows): the same cells, attributes, escaping and odd/even classes, for the columns the loop draws itself
and for those it leaves to django-tables2 (a link, a table's render_FOO, a model record)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.utils import translation

from civicbureau import display
from civicbureau.tables import AsOfColumn, FiguresTable, MoneyColumn, NumberColumn, RateColumn
from staffing.models import Bureau, Grade

# The rows as tables/figures.html wrote them with django-tables2's cells, before body_rows.
PER_CELL_TAGS = Template(
    """{% for row in table.paginated_rows %}
    <tr {{ row.attrs.as_html }}>
    {% for column, cell in row.items %}{% if forloop.first %}<th scope="row" {{ column.attrs.td.as_html }}>{{ cell }}</th>{% else %}<td {{ column.attrs.td.as_html }}{% if column.column.kept_in_view %} data-rate{% endif %}>{{ cell }}</td>{% endif %}{% endfor %}
    </tr>
  {% endfor %}"""
)


class SampleTable(FiguresTable):
    name = tables.Column(verbose_name="구분", attrs={"td": {"class": "text"}})
    amount = MoneyColumn(verbose_name="금액")
    rate = RateColumn(verbose_name="률")
    count = NumberColumn(verbose_name="수", default=display.NOT_REPORTED)  # a lazy default
    day = AsOfColumn()
    note = tables.Column(verbose_name="비고", attrs={"td": {"class": lambda value: "long" if value else "short"}})
    link = tables.Column(verbose_name="링크", accessor="name", linkify=lambda record: f"/x/{record.name}/")
    flag = tables.Column(verbose_name="표시", accessor="amount", empty_values=())
    plain = tables.Column(verbose_name="숫자", accessor="count")  # an int printed as {{ cell }} prints it

    class Meta(FiguresTable.Meta):
        row_attrs = {"class": lambda record: "level-line" if record.amount else "", "data-code": lambda: "c&d"}

    def render_flag(self, value, record):
        return "있음" if record.amount else "없음"


def _records():
    return [
        SimpleNamespace(name="합계 <b>&", amount=31_734_467_000, rate=Decimal("64.1"), count=1234, day=datetime.date(2022, 7, 1), note="긴 <i>메모</i>"),
        SimpleNamespace(name="과 \"A\"", amount=None, rate=None, count=None, day=None, note=""),
        SimpleNamespace(name="△", amount=-720_390_000, rate=Decimal("-37.2"), count=-5, day=datetime.date(2021, 12, 31), note=None),
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["ko", "en"])
def test_body_rows_are_the_rows_the_template_tags_drew(language, rf):
    with translation.override(language):
        expected = PER_CELL_TAGS.render(Context({"table": SampleTable(_records())}))
        drawn = "".join(SampleTable(_records()).body_rows)
    assert drawn == expected
    assert "합계 &lt;b&gt;&amp;" in drawn and 'href="/x/' in drawn  # escaped, and the link drawn


class BureauTable(FiguresTable):
    name = tables.Column(verbose_name="국")
    slug = tables.Column(verbose_name="주소")


def test_a_model_record_is_drawn_by_django_tables2_and_the_same():
    bureaus = [Bureau(name="시민<협력>국", slug="citizen"), Bureau(name="합성국 01", slug="synthetic-01")]
    expected = PER_CELL_TAGS.render(Context({"table": BureauTable(bureaus)}))
    assert "".join(BureauTable(bureaus).body_rows) == expected


class GradeTable(FiguresTable):
    name = tables.Column(verbose_name="직급", accessor="grade__name")
    track = tables.Column(verbose_name="직렬", accessor="grade__track")  # a model field with choices


def test_a_value_read_through_a_relation_is_drawn_by_django_tables2_and_the_same():
    rows = [SimpleNamespace(grade=Grade(name="5급", track=Grade.Track.GENERAL)), SimpleNamespace(grade=None)]
    expected = PER_CELL_TAGS.render(Context({"table": GradeTable(rows)}))
    assert "".join(GradeTable(rows).body_rows) == expected
    assert "5급" in expected


def test_sorted_and_empty_tables():
    table = SampleTable(_records(), order_by="-rate")
    expected = PER_CELL_TAGS.render(Context({"table": SampleTable(_records(), order_by="-rate")}))
    assert "".join(table.body_rows) == expected
    assert SampleTable([]).body_rows == []
