"""Who may do what to which division (staffing.permissions), on a bureau built by factories: two
divisions (a, b) and a division of another bureau (e), a member of each role, a login without a
membership, the administrator and an anonymous visitor.

The expected matrix below is written from the rules in the permissions module's docstring, not from its
code; restrict() on several models and can_edit_division / can_approve must all agree with it.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from budget.models import BudgetLine, ExecutionSnapshot
from programs.models import IndicatorValue
from staffing import permissions
from staffing.models import Division
from tests.factories import (
    BudgetLineFactory,
    BureauFactory,
    DivisionFactory,
    ExecutionSnapshotFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ProgramFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db

# who → the divisions they may view, open the dashboard of, edit, approve (a, b: this bureau; e: another)
MATRIX = {
    #                   view    dashboard edit  approve
    "staff_a":          ("ab",  "a",      "a",  ""),
    "director_a":       ("ab",  "a",      "a",  "a"),
    "staff_b":          ("ab",  "b",      "b",  ""),
    "bureau_director":  ("ab",  "ab",     "",   "ab"),
    "planning":         ("ab",  "ab",     "",   "ab"),
    "director_e":       ("e",   "e",      "e",  "e"),
    "no_membership":    ("",    "",       "",   ""),
    "admin":            ("abe", "abe",    "",   ""),
    "anonymous":        ("",    "",       "",   ""),
}  # fmt: skip
ACTIONS = (permissions.VIEW, permissions.DASHBOARD, permissions.EDIT, permissions.APPROVE)


@pytest.fixture
def world(db):
    bureau = BureauFactory()
    divisions = {
        "a": DivisionFactory(bureau=bureau),
        "b": DivisionFactory(bureau=bureau),
        "e": DivisionFactory(),  # another bureau
    }
    for division in divisions.values():
        line = BudgetLineFactory(division=division)
        ExecutionSnapshotFactory(budget_line=line)
        IndicatorValueFactory(indicator=IndicatorFactory(program=ProgramFactory(division=division)))
    users = {
        "staff_a": member("staff", division=divisions["a"]),
        "director_a": member("director", division=divisions["a"]),
        "staff_b": member("staff", division=divisions["b"]),
        "bureau_director": member("bureau_director", bureau=bureau),
        "planning": member("planning", bureau=bureau),
        "director_e": member("director", division=divisions["e"]),
        "no_membership": UserFactory(),
        "admin": UserFactory(is_staff=True, is_superuser=True),
        "anonymous": AnonymousUser(),
    }
    return divisions, users


def letters(divisions, codes) -> str:
    names = {division.code: letter for letter, division in divisions.items()}
    return "".join(sorted(names[code] for code in codes))


# each model reaches its division by its own path: the division itself, a line, a line's snapshot, and a
# program's indicator's value
DIVISION_CODE = {
    Division: "code",
    BudgetLine: "division__code",
    ExecutionSnapshot: "budget_line__division__code",
    IndicatorValue: "indicator__program__division__code",
}


@pytest.mark.parametrize("model", list(DIVISION_CODE), ids=lambda m: m.__name__)
def test_restrict_gives_each_role_the_rows_of_its_divisions(world, model):
    divisions, users = world
    path = DIVISION_CODE[model]
    ours = model.objects.filter(**{f"{path}__in": [d.code for d in divisions.values()]})  # not the demo's rows
    assert ours.count() == 3
    found = {
        (who, action): letters(divisions, permissions.restrict(ours, user, action).values_list(path, flat=True))
        for who, user in users.items()
        for action in ACTIONS
    }
    expected = {(who, action): MATRIX[who][i] for who in users for i, action in enumerate(ACTIONS)}
    assert found == expected


def test_can_edit_and_can_approve_agree_with_the_matrix(world):
    divisions, users = world
    found = {
        who: (
            "".join(x for x, d in divisions.items() if permissions.can_edit_division(user, d)),
            "".join(x for x, d in divisions.items() if permissions.can_approve(user, d)),
        )
        for who, user in users.items()
    }
    assert found == {who: (edit, approve) for who, (_, _, edit, approve) in MATRIX.items()}
    assert not any(
        permissions.can_edit_division(user, None) or permissions.can_approve(user, None) for user in users.values()
    )


def test_an_unknown_action_is_refused(world):
    _, users = world
    with pytest.raises(ValueError):
        permissions.restrict(Division.objects.all(), users["staff_a"], "delete")
