"""The demo logins: one per role, for the 2022 demo only (never on a production database). The budget
office (예산담당관) belongs to no bureau; the demo sets no city pace target (the report gives none)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from staffing.models import Bureau, Division, Membership

DEMO_DIVISION = "participation"
DEMO_MAIL_DOMAIN = "civicbureau.example"  # reserved (RFC 2606): send_reminders on the demo reaches nobody


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    description: str


DEMO_LOGINS = [
    DemoLogin("staff", "staff-demo-2022", Membership.Role.STAFF, "시민참여과 주무관 (division staff)"),
    DemoLogin("director", "director-demo-2022", Membership.Role.DIRECTOR, "시민참여과장 (division director)"),
    DemoLogin("bureau", "bureau-demo-2022", Membership.Role.BUREAU_DIRECTOR, "시민협력국장 (bureau director)"),
    DemoLogin(
        "planning", "planning-demo-2022", Membership.Role.PLANNING, "시민협력국 기획 담당 (bureau planning staff)"
    ),
    DemoLogin("budget", "budget-demo-2022", Membership.Role.BUDGET_OFFICE, "예산담당관 (city budget office)"),
    DemoLogin("admin", "admin-demo-2022", "admin", "관리자 (administrator)"),
]


@transaction.atomic
def demo_users_ensure() -> list[DemoLogin]:
    """Create the demo logins, one per role, or bring them back to their demo state (idempotent)."""
    bureau = Bureau.objects.get(divisions__code=DEMO_DIVISION)
    division = Division.objects.get(code=DEMO_DIVISION)
    User = get_user_model()
    for login in DEMO_LOGINS:
        user, _ = User.objects.get_or_create(username=login.username)
        is_admin = login.role == "admin"
        email = f"{login.username}@{DEMO_MAIL_DOMAIN}"
        if (
            not user.check_password(login.password)
            or user.is_staff != is_admin
            or user.is_superuser != is_admin
            or user.email != email
        ):
            user.set_password(login.password)
            user.is_staff = user.is_superuser = is_admin
            user.email = email
            user.save()
        if is_admin:
            continue
        division_for_role = division if login.role in Membership.DIVISION_ROLES else None
        bureau_for_role = None if login.role == Membership.Role.BUDGET_OFFICE else bureau  # the city's, no bureau's
        membership = Membership.objects.filter(user=user).first()
        if membership is None or (membership.role, membership.division_id, membership.bureau_id) != (
            login.role,
            division_for_role and division_for_role.pk,
            bureau_for_role and bureau_for_role.pk,
        ):
            Membership.objects.update_or_create(
                user=user, defaults={"role": login.role, "division": division_for_role, "bureau": bureau_for_role}
            )
    return DEMO_LOGINS
