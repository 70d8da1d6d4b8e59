"""The report's terms, as the glossary page (/glossary/) explains them to citizens, each with an anchor.

Worded from the report and its glossary (the bureau's own definitions); a public page links a term's first
use to its entry with `{% term "예산현액" %}` (civicbureau.templatetags.glossary), and a table header can use
`term_link`. The Korean term is the key; the words users read go through gettext like every other string.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Term:
    key: str  # the Korean term as the report writes it: what {% term %} is given
    anchor: str  # the entry's id on the glossary page
    name: Promise | str  # the term as a reader sees it (Korean, or English through i18n)
    also: Promise | str  # other names the report uses for it ("" for none)
    meaning: Promise
    group: Promise


MONEY = _("예산과 집행")
PLANS = _("사업과 일정")
MEASURES = _("성과지표")
PEOPLE = _("조직과 인력")
REPORTING = _("기준일과 공표")

TERMS = (
    Term(
        "당초예산",
        "original-budget",
        _("당초예산"),
        _("본예산, 예산편성액"),
        _("회계연도가 시작되기 전에 의회가 의결한 처음 예산입니다."),
        MONEY,
    ),
    Term(
        "추경",
        "supplementary-budget",
        _("추경"),
        _("추가경정예산"),
        _("회계연도 중에 예산을 늘리거나 줄이려고 다시 편성해 의결한 예산입니다."),
        MONEY,
    ),
    Term("최종예산", "final-budget", _("최종예산"), "", _("모든 추가경정예산을 반영한 뒤의 예산입니다."), MONEY),
    Term(
        "이월",
        "carried-over",
        _("이월"),
        "",
        _("지난 회계연도에 쓰지 못한 예산을 이번 회계연도로 넘긴 금액입니다. 예산현액에 더해집니다."),
        MONEY,
    ),
    Term(
        "전용",
        "transfer",
        _("전용"),
        "",
        _("세부사업 사이에 예산을 옮긴 금액입니다. 받은 사업의 예산현액은 늘고 보낸 사업의 예산현액은 줍니다."),
        MONEY,
    ),
    Term(
        "예산현액",
        "budget-authority",
        _("예산현액"),
        "",
        _(
            "지금 쓸 수 있는 예산입니다. 당초예산에 추가경정예산(추경)을 더하거나 빼고, 이월액, 세부사업 사이의 "
            "전용, 예비비 배정을 반영한 금액입니다. 집행률은 이 금액을 기준으로 잽니다."
        ),
        MONEY,
    ),
    Term(
        "원인행위",
        "obligation",
        _("원인행위"),
        _("지출원인행위"),
        _("돈을 쓰기로 약속한 계약이나 결정입니다. 아직 지급하지 않았어도 쓰기로 정해진 금액입니다."),
        MONEY,
    ),
    Term(
        "지출액",
        "disbursement",
        _("지출액"),
        "",
        _("실제로 지급한 돈입니다. 원인행위한 금액보다 많을 수 없습니다."),
        MONEY,
    ),
    Term(
        "집행액",
        "executed",
        _("집행액"),
        "",
        _("집행한 금액입니다. 보고서의 예산 집행 현황 표와 이 포털에서는 지출액을 말합니다."),
        MONEY,
    ),
    Term(
        "집행률",
        "execution-rate",
        _("집행률"),
        "",
        _(
            "집행액 ÷ 예산현액 × 100입니다. 소수 첫째 자리까지 반올림합니다. 사업별 표는 원인행위 기준과 "
            "지출 기준의 두 가지 집행률을 보여 줍니다."
        ),
        MONEY,
    ),
    Term("집행잔액", "balance", _("집행잔액"), "", _("예산현액 − 집행액: 아직 쓰지 않은 예산입니다."), MONEY),
    Term(
        "목표",
        "pace",
        _("목표"),
        _("집행 목표, 신속집행"),
        _(
            "기준일까지 집행했어야 할 누적 지출률입니다. 정부의 신속집행처럼 정한 날까지 한 해 예산의 일정 "
            "비율을 지출하는 목표이며, 국이 달별 목표를 정하지 않은 달은 직선(지난 달 수 ÷ 12 × 100)을 씁니다. "
            "목표 대비는 집행률 − 목표(%p)입니다."
        ),
        MONEY,
    ),
    Term("천원", "unit", _("천원"), _("단위"), _("표의 금액은 대부분 천원 단위입니다. 1,000은 백만 원입니다."), MONEY),
    Term(
        "△", "minus", "△", _("감소, 마이너스"), _("우리 공공 표에서 쓰는 빼기 표시입니다. △37.2는 −37.2입니다."), MONEY
    ),
    Term(
        "세부사업",
        "budget-line",
        _("세부사업"),
        "",
        _("예산의 가장 작은 단위로, 예산 집행 현황 표의 한 행입니다."),
        PLANS,
    ),
    Term(
        "주요사업",
        "program",
        _("주요사업"),
        _("주요 추진 사업"),
        _("국이 시의회에 보고한 주요 사업입니다. 하나 이상의 세부사업(때로는 그 일부)의 예산을 씁니다."),
        PLANS,
    ),
    Term(
        "추진일정",
        "schedule",
        _("추진일정"),
        _("향후 추진일정"),
        _(
            "무엇을 언제 하겠다고 보고했는지입니다. 상태는 계획한 달과 담당 부서가 기록한 실제 시작일·종료일로 "
            "정합니다: 완료, 추진 중, 지연(계획한 달이 지났는데 끝나지 않음), 예정(아직 시작하지 않음)."
        ),
        PLANS,
    ),
    Term(
        "성과지표",
        "measure",
        _("성과지표"),
        _("지표"),
        _(
            "사업이 무엇을 이루었는지 재는 수치입니다. 지표마다 단위와 방향(높을수록 좋음, 낮을수록 좋음, "
            "범위 안, 완료 여부)이 있고, 국이 연도별 목표치를 정합니다."
        ),
        MEASURES,
    ),
    Term(
        "목표치",
        "target",
        pgettext_lazy("glossary", "목표치"),  # in English apart from the pace's 목표 (both "target")
        _("목표"),
        _(
            "한 해 동안 이루겠다고 국장이 승인한 지표의 값입니다. 승인한 목표치는 고치지 않고, 바꿀 때는 사유를 "
            "적은 새 차수로 다시 승인합니다. 공개 화면은 공표 때 승인되어 있던 목표치만 보여 줍니다."
        ),
        MEASURES,
    ),
    Term(
        "실적",
        "result",
        _("실적"),
        "",
        _("지표의 기준일 현재 값입니다. 그해 1월 1일부터 쌓인 값이며, 기준일과 함께 보여 줍니다."),
        MEASURES,
    ),
    Term(
        "달성률",
        "achievement",
        _("달성률"),
        "",
        _(
            "실적이 목표치의 몇 %인지입니다. 높을수록 좋은 지표는 실적 ÷ 목표치 × 100, 낮을수록 좋은 지표는 "
            "목표치 ÷ 실적 × 100, 범위 지표는 범위 안이면 100, 완료 여부 지표는 완료면 100입니다. 소수 첫째 "
            "자리까지 반올림하고, 목표치나 실적이 없으면 -로 둡니다."
        ),
        MEASURES,
    ),
    Term(
        "상태",
        "measure-status",
        _("달성·정상·주의·미흡"),
        _("목표 미설정"),
        _(
            "지표의 상태입니다. 실적이 한 해 목표치에 이르면 달성, 아니면 기준일에 기대한 값(분기·월 목표가 있으면 "
            "그 목표, 없으면 한 해 목표) 대비 달성률로 국이 정한 기준에 따라 정상, 주의, 미흡으로 나눕니다. "
            "승인된 목표치가 없는 지표는 목표 미설정입니다."
        ),
        MEASURES,
    ),
    Term(
        "정원",
        "headcount",
        _("정원·현원"),
        "",
        _("정원은 조직에 둘 수 있는 인원, 현원은 실제로 일하는 인원입니다. 보고서는 104/102처럼 씁니다."),
        PEOPLE,
    ),
    Term(
        "기준일",
        "as-of",
        _("기준일"),
        "",
        _("수치가 어느 날의 것인지입니다. 보고서의 ’22. 7. 1. 기준은 2022년 7월 1일 현재라는 뜻입니다."),
        REPORTING,
    ),
    Term(
        "공표",
        "edition",
        _("공표·판"),
        "",
        _("국이 한 기준일의 수치를 공개한 것이 공표이고, 고쳐서 다시 공표하면 제2판, 제3판이 됩니다."),
        REPORTING,
    ),
    Term(
        "미보고",
        "not-reported",
        _("미보고"),
        "",
        _("그 기준일의 실적을 보고하지 않은 과입니다. 합계는 일부만 더하지 않고 비워 둡니다(-)."),
        REPORTING,
    ),
)

BY_KEY = {term.key: term for term in TERMS}


def glossary_url(key: str) -> str:
    """The address of a term's entry: /glossary/#budget-authority. A key not in the glossary is a slip."""
    return f"{reverse('portal:glossary')}#{BY_KEY[key].anchor}"


def term_link(key: str, text=None) -> str:
    """A link to a term's entry, with `text` (default: the term's name), for a header or a caption."""
    term = BY_KEY[key]
    return format_html('<a class="term" href="{}">{}</a>', glossary_url(key), term.name if text is None else text)


def groups() -> list[tuple[Promise, list[Term]]]:
    """The terms by group, in the glossary page's order."""
    grouped: dict = {}
    for term in TERMS:
        grouped.setdefault(term.group, []).append(term)
    return list(grouped.items())
