"""The demo's targets (issue 18, "the demo states only what the report states"): every target loaded, with
the report's sentence it comes from, and the achievement and status the portal computes from the report's
own results.

The demo is loaded once for the database tests (tests/conftest.py `django_db_setup`), as load_demo leaves it.
The achievements below are worked out by hand from the report's figures (the arithmetic is written beside
each); figures.py's rules: higher is better 실적 ÷ 목표 × 100, lower is better 목표 ÷ 실적 × 100, one decimal
half up; 달성 when the year's target is met, else 정상/주의/미흡 against the part of the year in force
(the bureau's thresholds: 90 and 70).
"""

import datetime
from decimal import Decimal

import pytest

from budget.selectors.periods import publication_on
from civicbureau import figures
from programs.models import CentreStaffing, Indicator, MeasureTarget
from programs.selectors.measures import NO_TARGET, STATUS_LABELS, bureau_indicators, measure_rows
from tests.test_report import REPORT, squash

pytestmark = pytest.mark.django_db

PUBLISHED = datetime.date(2022, 7, 1)
YEAR_END = datetime.date(2022, 12, 31)
MONTH_ENDS = [datetime.date(2022, month + 1, 1) - datetime.timedelta(days=1) for month in range(1, 12)]

INSPECTIONS = "－ 정기적, 체계적인 민간위탁 지도점검으로 책임성 제고(연2회)"
NEWSLETTER = "－ 카드뉴스(3건), 뉴스레터발행(매월 1회),자치구실무자역량강화교육(4회)등"
CENTRE_STAFF = "○ 시·센터간 업무조정, 조직효율화를 통해 정원(30명) 내 인력 운영"
PB_LIMIT = "○ (현 황) ’22년 시민참여예산 246억원 편성 (한도액 700억원)"
PB_ROUND = "○ 편성규모 : 총 500억원 한도"
TIMEBANK = (
    "○ 시범사업 ① 국민대-정릉지점 : 대학-지역간 상생 모델 ② 서울시청지점 : 직장동료간 멘토링·상담 등 서로도움 "
    "③ 방아골종합사회복지관 지점 : 복지관을 거점으로 한 세대통합형 모델 ④ 타임뱅크하우스지점 : 노노(노노)케어 및 "
    "서로배움 ⑤ 서울시민지점 : 서울·수도권 거주자 간 서로도움"
)
REVIEW_MEETINGS = "○ 서울시 기부심사위원회 운영 (자발적 지정기탁 접수) : 연중(월 1회)"

H, L = Indicator.Direction.HIGHER, Indicator.Direction.LOWER

# (indicator, fiscal year, period end, value, low, high, direction, the report's sentence). A promise made per
# month is the year's 12 (12 × 1) with each month end's cumulative count as a part (January 1 … November 11).
TARGETS = [
    ("consigned-centre-inspections", 2022, YEAR_END, "2", None, None, H, INSPECTIONS),
    ("village-centre-newsletter", 2022, YEAR_END, "12", None, None, H, NEWSLETTER),
    *[
        ("village-centre-newsletter", 2022, end, str(n), None, None, H, NEWSLETTER)
        for n, end in enumerate(MONTH_ENDS, 1)
    ],
    ("village-centre-staff", 2022, YEAR_END, "30", None, None, L, CENTRE_STAFF),
    ("pb-2022-amount-by-type", 2022, YEAR_END, "700", None, None, L, PB_LIMIT),
    ("pb-proposal-round-allocation", 2022, YEAR_END, "500", None, None, L, PB_ROUND),
    ("timebank-pilot-branches", 2022, YEAR_END, "5", None, None, H, TIMEBANK),
    ("donation-review-meetings", 2022, YEAR_END, "12", None, None, H, REVIEW_MEETINGS),
    *[
        ("donation-review-meetings", 2022, end, str(n), None, None, H, REVIEW_MEETINGS)
        for n, end in enumerate(MONTH_ENDS, 1)
    ],
]

# (indicator) → (result, its as-of date, achievement, status) at the published date 2022-07-01 and at the
# result's own date (the same figures: nothing later is dated in 2022).
RESULTS = {
    # 민간위탁 운영 현황, 인력 ’22.6월: 30명; lower: 30 ÷ 30 × 100 = 100.0; 30 ≤ 30 → 달성
    "village-centre-staff": ("30", datetime.date(2022, 6, 1), "100.0", figures.ACHIEVED),
    # 편성 금액 79.6 + 10.1 + 156.7 = 246.4억원; lower: 700 ÷ 246.4 × 100 = 284.09… → 284.1; 246.4 ≤ 700 → 달성
    "pb-2022-amount-by-type": ("246.4", PUBLISHED, "284.1", figures.ACHIEVED),
    # 기부심사위원회(1~6월) 총 6회; against the year: 6 ÷ 12 × 100 = 50.0; not met (6 < 12), so judged against
    # the part in force on 06-30 (6): 6 ÷ 6 × 100 = 100 ≥ 90 → 정상
    "donation-review-meetings": ("6", datetime.date(2022, 6, 30), "50.0", figures.NORMAL),
    # the report states no result for these: no value, no achievement, status '-'
    "consigned-centre-inspections": (None, None, None, None),
    "village-centre-newsletter": (None, None, None, None),
    "pb-proposal-round-allocation": (None, None, None, None),
    "timebank-pilot-branches": (None, None, None, None),
}


def decimal(text):
    return None if text is None else Decimal(text)


def test_the_targets_loaded_are_exactly_the_table():
    loaded = {
        (t.indicator.code, t.fiscal_year, t.period_end, t.value, t.low, t.high, t.indicator.direction, t.source)
        for t in MeasureTarget.objects.select_related("indicator")
    }
    expected = {
        (code, year, end, decimal(value), decimal(low), decimal(high), direction, source)
        for code, year, end, value, low, high, direction, source in TARGETS
    }
    assert len(expected) == len(TARGETS) == 29
    assert loaded == expected
    # the report went to the council: each loads approved, as revision 1
    assert set(MeasureTarget.objects.values_list("status", "revision")) == {(MeasureTarget.Status.APPROVED, 1)}


def test_every_target_source_is_the_reports_sentence():
    for code, _, end, _, _, _, _, source in TARGETS:
        assert squash(source) in REPORT, f"{code} {end}: not in the report: {source}"


@pytest.mark.parametrize("published", [False, True], ids=["internal", "public"])
def test_each_measures_result_achievement_and_status(bureau, published):
    """At the report's date, and at each result's own date; internal (as now) and public (as recorded when the
    2022-07-01 edition was published)."""
    edition = publication_on(bureau=bureau, fiscal_year=2022)
    assert edition.as_of == PUBLISHED
    recorded_by = edition.published_at if published else None
    indicators = list(Indicator.objects.filter(code__in=RESULTS))
    assert len(indicators) == len(RESULTS)
    for code, (result, as_of, achievement, status) in RESULTS.items():
        for on in {PUBLISHED, as_of or PUBLISHED}:
            (row,) = measure_rows(
                indicators=[i for i in indicators if i.code == code],
                bureau=bureau,
                fiscal_year=2022,
                on_or_before=on,
                recorded_by=recorded_by,
            )
            got = (row.result, row.result_as_of, row.achievement, row.status)
            assert got == (decimal(result), as_of, decimal(achievement), status), (code, on)
            assert row.status_label == STATUS_LABELS.get(status, "-")


def test_measures_without_a_target_show_no_target(bureau):
    targeted = {code for code, *_ in TARGETS}
    rows = measure_rows(
        indicators=bureau_indicators(bureau=bureau), bureau=bureau, fiscal_year=2022, on_or_before=PUBLISHED
    )
    without = [row for row in rows if row.indicator.code not in targeted]
    assert len(rows) == len(without) + len(targeted)
    assert len(without) > 50
    for row in without:
        assert row.target is None and row.achievement is None and row.status is None, row.indicator.code
        assert row.status_label == NO_TARGET, row.indicator.code


def test_the_centre_staff_measure_is_the_consigned_centre_table():
    """The staff measure's values are the 민간위탁 운영 현황 figures the demo holds for the centre."""
    measure = Indicator.objects.get(code="village-centre-staff")
    staffing = CentreStaffing.objects.filter(centre__name="마을공동체종합지원센터")
    assert {(v.as_of, v.value) for v in measure.values.all()} == {(s.as_of, s.headcount) for s in staffing}
    assert staffing.count() == 2
