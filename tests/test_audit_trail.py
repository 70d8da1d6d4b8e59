"""Every change to money and people leaves one history row with its user and how it came: a fixed-seed
run of 300 random mutations through every write path (the month grid's form, the import, the admin, and
bulk_create), some of them invalid. After each one the rows that changed (compared field by field) and
the history rows written must agree one to one: same model, same object, the history row holding the new
values, the acting user and the path; a refused mutation changes nothing and writes no history."""

import collections
import datetime
import random

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from budget.importers.monthly import execution_import
from budget.models import BudgetLine, DivisionMonth, ExecutionSnapshot
from budget.services import caution_keys
from staffing.models import HeadcountEntry

pytestmark = pytest.mark.django_db

SEED, MUTATIONS = 20221125, 300
MODELS = (ExecutionSnapshot, DivisionMonth, HeadcountEntry)
MONTHS = [datetime.date(2022, m, 1) - datetime.timedelta(days=1) for m in range(9, 13)] + [datetime.date(2022, 12, 31)]
EDITORS = {"staff": "participation", "staff_b": "community"}


def fields(model):
    return [f.attname for f in model._meta.concrete_fields]


def data():
    return {
        (model, row[0]): row
        for model in MODELS
        for row in model._base_manager.order_by("pk").values_list(*fields(model))
    }


def history_since(marks):
    rows = []
    for model in MODELS:
        history = model.history.model
        rows += [(model, h) for h in history.objects.filter(history_id__gt=marks[model]).select_related("history_user")]
    return rows


def history_marks():
    return {
        model: model.history.model.objects.order_by("-history_id").values_list("history_id", flat=True).first() or 0
        for model in MODELS
    }


def month_version(division, as_of):
    return (
        DivisionMonth.objects.filter(division__code=division, as_of=as_of).values_list("version", flat=True).first()
        or 0
    )


def figures(rng, codes, *, valid):
    rows = []
    for code in codes:
        disbursements = rng.randrange(0, 50_000_000)
        obligations = disbursements + rng.randrange(0, 50_000_000)
        rows.append((code, obligations, disbursements))
    if not valid:
        code, obligations, disbursements = rows[0]
        rows[0] = (code, disbursements - 1, disbursements + 1)  # disbursements over obligations
    return rows


@pytest.fixture
def actors(db):
    from staffing.models import Division, Membership

    User = get_user_model()
    staff_b, _ = User.objects.get_or_create(username="staff_b")
    other = Division.objects.get(code="community")
    Membership.objects.update_or_create(
        user=staff_b, defaults={"role": "staff", "division": other, "bureau": other.bureau}
    )
    loader, _ = User.objects.get_or_create(username="bulk-loader")
    return {name: User.objects.get(username=name) for name in ("staff", "staff_b", "admin")} | {"bulk-loader": loader}


def test_random_mutations_leave_one_history_row_per_change(actors):
    rng = random.Random(SEED)
    clients = {name: Client() for name in actors}
    for name, client in clients.items():
        client.force_login(actors[name])
    codes = {
        d: list(BudgetLine.objects.filter(division__code=d, fiscal_year=2022).values_list("code", flat=True))
        for d in EDITORS.values()
    }
    lines = list(BudgetLine.objects.filter(fiscal_year=2022))
    headcount = list(HeadcountEntry.objects.all())
    bulk_day = iter(datetime.date(2022, 9, 1) + datetime.timedelta(days=n) for n in range(1000))
    tally, changes_total = collections.Counter(), 0

    for step in range(MUTATIONS):
        path = rng.choice(["form", "import", "admin", "bulk"])
        valid = rng.random() > 0.15
        before, marks = data(), history_marks()
        if path in ("form", "import"):
            actor = rng.choice(list(EDITORS))
            division, as_of = EDITORS[actor], rng.choice(MONTHS)
            rows = figures(rng, rng.sample(codes[division], rng.randint(1, len(codes[division]))), valid=valid)
            version = month_version(division, as_of)
            if path == "form":
                post = {
                    "version": version,
                    "rows-TOTAL_FORMS": len(rows),
                    "rows-INITIAL_FORMS": 0,
                    "rows-MIN_NUM_FORMS": 0,
                    "rows-MAX_NUM_FORMS": 1000,
                }
                for i, (code, obligations, disbursements) in enumerate(rows):
                    post |= {
                        f"rows-{i}-code": code,
                        f"rows-{i}-obligations": obligations,
                        f"rows-{i}-disbursements": disbursements,
                    }
                post["confirm"] = [key for code, _o, _d in rows for key in caution_keys(code)]  # cautions read
                response = clients[actor].post(reverse("budget:month_detail", args=[division, as_of]), post)
                accepted = response.status_code == 302
            else:
                sheet = "사업 코드,기준일,버전,원인행위 누계(원),지출액 누계(원)\n" + "\n".join(
                    f"{c},{as_of},{version},{o},{d}" for c, o, d in rows
                )
                confirmed = [key for code, _o, _d in rows for key in caution_keys(code)]  # cautions read
                result = execution_import(
                    user=actors[actor], content=sheet.encode(), filename="m.csv", dry_run=False, confirmed=confirmed
                )
                accepted = result.applied
        elif path == "admin":
            actor, entry = "admin", rng.choice(headcount)
            entry.refresh_from_db()
            quota = rng.choice([q for q in range(0, 40) if q != entry.quota])
            current = rng.randrange(0, 40) if valid else -1
            post = {
                "division": entry.division_id,
                "grade": entry.grade_id,
                "as_of": entry.as_of.isoformat(),
                "quota": quota,
                "current": current,
            }
            response = clients[actor].post(reverse("admin:staffing_headcountentry_change", args=[entry.pk]), post)
            accepted = response.status_code == 302
        else:
            actor, day = "bulk-loader", next(bulk_day)
            new = []
            for line in rng.sample(lines, rng.randint(1, 5)):
                snapshot = ExecutionSnapshot(
                    budget_line=line, as_of=day, obligations=1000, disbursements=rng.randrange(0, 1000)
                )
                snapshot._history_user = actors[actor]
                new.append(snapshot)
            ExecutionSnapshot.objects.bulk_create(new)
            accepted = True
        after, written = data(), history_since(marks)
        changed = {key for key in after if before.get(key) != after[key]}
        assert {key for key in before if key not in after} == set(), "nothing is deleted here"
        # one history row per changed row, for that row, with its new values, the user and the path
        assert sorted((m.__name__, h.id) for m, h in written) == sorted((m.__name__, pk) for m, pk in changed), (
            step,
            path,
        )
        for model, record in written:
            assert record.history_user_id == actors[actor].pk, (step, path, record)
            assert record.history_change_reason == path, (step, path, record.history_change_reason)
            assert tuple(getattr(record, f) for f in fields(model)) == after[(model, record.id)]
        if not accepted:
            assert changed == set(), (step, path)
        tally[(path, "accepted" if accepted else "refused")] += 1
        changes_total += len(changed)

    assert sum(tally.values()) == MUTATIONS
    assert all(tally[(p, "accepted")] > 0 for p in ("form", "import", "admin", "bulk")), tally
    assert all(tally[(p, "refused")] > 0 for p in ("form", "import", "admin")), tally
    print(f"\n{MUTATIONS} mutations, {changes_total} rows changed, {changes_total} history rows: {dict(tally)}")


# -- measures and their targets: the same check on every writing URL of /staff/measures/ ------------


def test_every_target_write_leaves_one_history_row_per_change(people):
    """Propose, refuse, return, propose again, approve, revise and set the direction through the pages,
    valid and invalid: every row changed (or withdrawn) has exactly one new history row holding its new
    values, the acting user and 'form'; a refused request changes nothing and writes no history."""
    from civicbureau.audit import history_version
    from programs.models import Indicator, MeasureTarget
    from programs.services import measure_targets_version

    measure = Indicator.objects.filter(division__code="participation", direction="higher").order_by("pk").first()
    staff, director = people["staff_a"], people["director_a"]
    clients = {}
    for user in (staff, director):
        clients[user] = Client()
        clients[user].force_login(user)
    target_fields = [f.attname for f in MeasureTarget._meta.concrete_fields]
    measure_fields = [f.attname for f in Indicator._meta.concrete_fields]

    def rows():
        return {("t", r[0]): r for r in MeasureTarget.objects.order_by("pk").values_list(*target_fields)} | {
            ("i", r[0]): r for r in Indicator.objects.order_by("pk").values_list(*measure_fields)
        }

    def marks():
        return (
            MeasureTarget.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0,
            Indicator.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0,
        )

    def version():
        return measure_targets_version(indicator=measure, fiscal_year=2022)

    def url(name):
        return reverse(name, args=[measure.code, 2022])

    steps = [
        (staff, "programs:measure_targets", lambda: {"version": version(), "value": "10", "q1": "3", "q2": "6"}, True),
        (staff, "programs:measure_targets", lambda: {"version": version(), "value": "-1"}, False),
        (staff, "programs:measure_targets", lambda: {"version": version(), "value": "10", "q1": "7", "q2": "6"}, False),
        (director, "programs:measure_targets_return", lambda: {"version": version(), "reason": ""}, False),
        (director, "programs:measure_targets_return", lambda: {"version": version(), "reason": "근거 보완"}, True),
        (staff, "programs:measure_targets", lambda: {"version": version(), "value": "12", "q1": "3"}, True),
        (director, "programs:measure_targets_approve", lambda: {"version": version() - 1}, False),
        (director, "programs:measure_targets_approve", lambda: {"version": version()}, True),
        (staff, "programs:measure_targets", lambda: {"version": version(), "value": "15", "q1": "3"}, False),
        (
            staff,
            "programs:measure_targets",
            lambda: {"version": version(), "value": "15", "q1": "3", "reason": "상향"},
            True,
        ),
        (director, "programs:measure_targets_approve", lambda: {"version": version()}, True),
        (
            staff,
            "programs:measure_settings",
            lambda: {"direction": "higher", "baseline": "2", "version": history_version(measure.history.all())},
            True,
        ),
        (
            staff,
            "programs:measure_settings",
            lambda: {"direction": "lower", "baseline": "2", "version": history_version(measure.history.all())},
            False,
        ),
    ]
    for step, (user, name, data, valid) in enumerate(steps):
        before, (target_mark, measure_mark) = rows(), marks()
        response = clients[user].post(url(name), data())
        assert response.status_code == (302 if valid else 400), (step, name, response.status_code)
        after = rows()
        changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
        written = [("t", h) for h in MeasureTarget.history.filter(history_id__gt=target_mark)] + [
            ("i", h) for h in Indicator.history.filter(history_id__gt=measure_mark)
        ]
        assert sorted((kind, h.id) for kind, h in written) == sorted(changed), (step, name)
        for kind, record in written:
            assert (record.history_user_id, record.history_change_reason) == (user.pk, "form"), (step, name)
            if record.history_type != "-":
                names = target_fields if kind == "t" else measure_fields
                assert tuple(getattr(record, f) for f in names) == after[(kind, record.id)], (step, name)
        if not valid:
            assert changed == set(), (step, name)
    assert list(
        MeasureTarget.objects.filter(indicator=measure, fiscal_year=2022, status="approved").values_list(
            "period_end", "revision", "value"
        )
    ) == [
        (datetime.date(2022, 3, 31), 1, 3),
        (datetime.date(2022, 12, 31), 1, 12),
        (datetime.date(2022, 12, 31), 2, 15),
    ]
