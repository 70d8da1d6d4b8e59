"""A bureau's council briefing (/b/<slug>/briefing.xlsx) holds that bureau's figures only, and only its own
people (and the budget office, and the administrator) may download it. Two bureaus built by the factories,
read back cell by cell."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from programs.models import CentreBudget, CentreStaffing, ConsignedCentre
from tests.factories import (
    FISCAL_YEAR,
    BudgetLineFactory,
    BureauFactory,
    DivisionFactory,
    DivisionMonthFactory,
    ExecutionSnapshotFactory,
    HeadcountEntryFactory,
    UserFactory,
    member,
    publish,
)

pytestmark = pytest.mark.django_db
JULY = datetime.date(FISCAL_YEAR, 7, 31)
# per bureau: (당초예산, 지출액) of its one line, in won
FIGURES = {"first": (100_000_000, 25_000_000), "second": (300_000_000, 60_000_000)}


@pytest.fixture
def bureaus():
    """Two bureaus, each with a division, a line published for 31 July and its headcount; the first has a
    consigned centre in its division."""
    made = {}
    for key, (budget, paid) in FIGURES.items():
        bureau = BureauFactory(name=f"시험분리국 {key}", slug=f"split-{key}")
        division = DivisionFactory(bureau=bureau, name=f"{key} 시험과")
        line = BudgetLineFactory(division=division, name=f"{key} 사업", original_budget=budget)
        ExecutionSnapshotFactory(budget_line=line, as_of=JULY, obligations=paid, disbursements=paid, approved=True)
        DivisionMonthFactory(division=division, as_of=JULY, approved=True)
        HeadcountEntryFactory(division=division, quota=5, current=4 if key == "first" else 3)
        made[key] = bureau
    centre = ConsignedCentre.objects.create(
        code="t-split-centre", name="시험분리 센터", division=made["first"].divisions.get(), order=1
    )
    CentreBudget.objects.create(centre=centre, fiscal_year=FISCAL_YEAR, as_of=JULY, amount=700_000_000)
    CentreStaffing.objects.create(centre=centre, as_of=datetime.date(FISCAL_YEAR, 6, 1), headcount=12)
    for bureau in made.values():
        publish(bureau, JULY)
    return made


def _download(client, bureau, user):
    client.force_login(user)
    return client.get(f"/b/{bureau.slug}/briefing.xlsx", {"year": FISCAL_YEAR, "as_of": JULY.isoformat()})


def _workbook(response):
    assert response.status_code == 200, response.content.decode()
    return load_workbook(BytesIO(response.content))


def _body(ws, last_column=None):
    end = int(ws.print_title_rows.split(":")[1].lstrip("$"))
    rows = []
    for row in ws.iter_rows(min_row=end + 1, max_col=last_column, values_only=True):
        if row[0] in (None, ""):
            break
        rows.append(list(row))
    return rows


@pytest.mark.parametrize("key", FIGURES)
def test_each_bureaus_workbook_holds_its_own_figures_only(client, bureaus, key):
    """천원: 당초 = 예산현액, 지출액, 잔액, 집행률 = 지출 ÷ 예산 (25.0 % and 20.0 %)."""
    budget, paid = FIGURES[key]
    book = _workbook(_download(client, bureaus[key], member("budget_office")))
    # no 세입총괄: the revenue tree is the demo bureau's; 민간위탁 only where the bureau has a centre
    expected = ["표지", "조직 및 인력", "세출총괄", "예산 집행 현황"]
    expected += ["민간위탁 운영 현황"] if key == "first" else []
    assert book.sheetnames == [*expected, "향후 추진일정", "지표"]
    k, rate = 1000, round(paid * 100 / budget, 1)
    assert _body(book["예산 집행 현황"]) == [
        ["합계", budget // k, budget // k, paid // k, (budget - paid) // k, rate],
        [f"{key} 시험과", budget // k, budget // k, paid // k, (budget - paid) // k, rate],
        [f"{key} 사업", budget // k, budget // k, paid // k, (budget - paid) // k, rate],
    ]
    assert _body(book["세출총괄"], last_column=2) == [["계", budget // k], [f"{key} 시험과", budget // k]]
    assert book["표지"]["B3"].value == f"시험분리국 {key}"
    organisation = book["조직 및 인력"]
    assert organisation["A4"].value == f"인 력 : 5명 / {4 if key == 'first' else 3}명(정원/현원)"
    cells = {str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None}
    other = "second" if key == "first" else "first"
    assert not any(other in text or "시민협력국" in text for text in cells)


def test_the_centre_sheet_is_the_bureaus_centres(client, bureaus):
    """The demo's five centres belong to the demo's divisions: the first bureau's sheet holds its one
    centre (7억 원 = 700 백만 원; 12 staff at June's count)."""
    ws = _workbook(_download(client, bureaus["first"], member("budget_office")))["민간위탁 운영 현황"]
    assert ws["A1"].value == "시험분리국 first 주요 민간위탁 사업 운영 현황"
    assert _body(ws) == [["합계", "-", 700, "-", "-", 12, "-"], ["시험분리 센터", "-", 700, "-", "-", 12, "-"]]


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        ("director", 200, 403),
        ("planning", 200, 403),
        ("bureau_director", 200, 403),
        ("staff", 403, 403),
        ("budget_office", 200, 200),
        ("admin", 200, 200),
    ],
)
def test_who_may_download_which_bureaus_briefing(client, bureaus, role, own, other):
    first = bureaus["first"]
    if role == "admin":
        user = UserFactory(is_superuser=True, is_staff=True)
    elif role in ("director", "staff"):
        user = member(role, division=first.divisions.get())
    elif role == "budget_office":
        user = member(role)
    else:
        user = member(role, bureau=first)
    assert _download(client, first, user).status_code == own
    assert _download(client, bureaus["second"], user).status_code == other
