"""The monthly execution sheet staff download (xlsx or CSV): one row per budget line of a division, keyed
by the line's stable code, with the as-of date and the version of the division-month it was taken from,
the budget authority and the previous period's cumulative figures for reference, and the two cumulative
figures to fill in (pre-filled with the month's figures if it has any, else the previous period's).
Edited and uploaded again, it round-trips on the codes (budget.importers.monthly)."""

from django.utils.translation import gettext_lazy as _

from civicbureau import uploads
from civicbureau.uploads import SheetColumn, SheetLayout

WON_FORMAT = "#,##0"
LAYOUT = SheetLayout(
    sheet="실적",
    columns=(
        SheetColumn("code", "사업 코드", read=True),
        SheetColumn("name", "세부사업명", width=30),
        SheetColumn("as_of", "기준일", read=True, number_format="yyyy-mm-dd"),
        SheetColumn("version", "버전", read=True),
        SheetColumn("authority", "예산현액(원)", number_format=WON_FORMAT),
        SheetColumn("previous_obligations", "전기 원인행위 누계(원)", number_format=WON_FORMAT),
        SheetColumn("previous_disbursements", "전기 지출액 누계(원)", number_format=WON_FORMAT),
        SheetColumn("obligations", "원인행위 누계(원)", read=True, input=True, number_format=WON_FORMAT),
        SheetColumn("disbursements", "지출액 누계(원)", read=True, input=True, number_format=WON_FORMAT),
    ),
    max_rows=500,  # a division has a few dozen lines; a bigger file is a mistake, refused before reading on
    empty_message=_("빈 파일입니다: 머리글과 세부사업 행이 없습니다."),
    no_rows_message=_("세부사업 행이 없습니다."),
    notes=(
        _(
            "노란 칸에 기준일까지의 누계(원 단위 정수)를 넣습니다. 이번 달 금액은 포털이 전기 누계와의 차이로 계산합니다."
        ),
        _("사업 코드, 기준일, 버전은 고치지 마세요. 수식은 받지 않습니다 (값으로 붙여 넣으세요)."),
        _("지출액 누계는 원인행위 누계를, 원인행위 누계는 예산현액을 넘을 수 없습니다."),
    ),
)


def template_rows(grid) -> list[list]:
    """The template's rows for a division-month (the header apart): plain values, no formatting."""
    rows = []
    for row in grid.rows:
        entered = row.disbursements is not None
        rows.append(
            [
                row.line.code,
                row.line.name,
                grid.as_of,
                grid.version,
                row.authority,
                row.previous_obligations,
                row.previous_disbursements,
                row.obligations if entered else row.previous_obligations,
                row.disbursements if entered else row.previous_disbursements,
            ]
        )
    return rows


def template_xlsx(grid) -> bytes:
    return uploads.template_xlsx(LAYOUT, template_rows(grid))


def template_csv(grid) -> bytes:
    return uploads.template_csv(LAYOUT, template_rows(grid))
