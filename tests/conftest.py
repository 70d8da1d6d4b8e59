import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from demo.loader import load_demo
from demo.logins import DEMO_LOGINS, demo_users_ensure
from staffing.models import Bureau, Division, Membership


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test starts from the 2022 report as load_demo leaves it (rolled back after each test)."""
    with django_db_blocker.unblock():
        load_demo()
        demo_users_ensure()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread; the next test starts in Korean again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing kept (publication.figures_cached, public responses, reference bumps):
    the database is rolled back after each test, the process's cache is not."""
    cache.clear()


@pytest.fixture
def bureau(db):
    return Bureau.objects.get(name="시민협력국")


@pytest.fixture
def people(db):
    """The permission matrix's roles by name: the demo logins (the budget office's too), and staff and director
    of another division (community)."""
    User = get_user_model()
    other = Division.objects.get(code="community")
    staff_b, _ = User.objects.get_or_create(username="staff_b")
    Membership.objects.update_or_create(
        user=staff_b, defaults={"role": "staff", "division": other, "bureau": other.bureau}
    )
    director_b, _ = User.objects.get_or_create(username="director_b")
    Membership.objects.update_or_create(
        user=director_b, defaults={"role": "director", "division": other, "bureau": other.bureau}
    )
    names = {
        "staff_a": "staff",
        "director_a": "director",
        "bureau": "bureau",
        "planning": "planning",
        "admin": "admin",
        "staff_b": "staff_b",
        "budget": "budget",  # the city budget office, in no bureau
    }
    users = {role: User.objects.get(username=name) for role, name in names.items()}
    users["director_b"] = director_b
    return users


def _client_for(username):
    """A client logged in as a demo user (force_login: the login form itself is tested on its own,
    and login throttling needs the request that Client.login does not pass)."""
    login = next(x for x in DEMO_LOGINS if x.username == username)
    client = Client()
    client.force_login(get_user_model().objects.get(username=login.username))
    return client


@pytest.fixture
def staff_client(db):
    return _client_for("staff")


@pytest.fixture
def director_client(db):
    return _client_for("director")


# Django's own advice for test suites: a fast hasher first. The production hasher (PBKDF2, a million
# iterations) costs about half a second per password set or checked, and every failed login checks one (the
# throttling tests fail dozens of logins, each xdist worker sets the demo logins' passwords). No test checks the
# hash itself; the one that counts PBKDF2 checks (tests/e2e/test_login_race.py) puts the production list back.
# The other hashers stay, so a password hashed by the production settings (a manage.py process) still checks.
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def pytest_configure(config):
    config.addinivalue_line("markers", "postgresql_only: needs a database server reachable from other processes")
    settings.PASSWORD_HASHERS = [FAST_HASHER, *(h for h in settings.PASSWORD_HASHERS if h != FAST_HASHER)]


def pytest_collection_modifyitems(config, items):
    """Tests marked postgresql_only are not collected on SQLite (whose test database lives in memory, out of
    other processes' reach): they are deselected and named, never reported as skipped passes."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgresql_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
        print(f"\nPostgreSQL only, not run on SQLite: {', '.join(i.nodeid for i in dropped)}")
