"""django-axes' known race: guesses that arrive together can all pass the lockout check before any
failure is recorded. 100 parallel guesses for one username must let at most 10 password checks through."""

import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher

from demo.loader import load_demo
from demo.logins import demo_users_ensure

pytestmark = pytest.mark.django_db(transaction=True)
PRODUCTION_HASHER = "django.contrib.auth.hashers.PBKDF2PasswordHasher"


def guess(url: str, password: str) -> int:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(url).read().decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "director", "password": password}).encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": url})
    try:
        return opener.open(request).status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(autouse=True)
def _production_hasher(settings):
    """The production hasher, not the suite's fast one (tests/conftest.py): this test counts its checks, and
    its cost is what widens the race."""
    settings.PASSWORD_HASHERS = [PRODUCTION_HASHER]


def test_a_hundred_parallel_guesses_get_at_most_ten_password_checks(live_server, monkeypatch):
    assert get_hasher().algorithm == PBKDF2PasswordHasher.algorithm
    load_demo()
    demo_users_ensure()
    checks = []
    lock = threading.Lock()
    original = PBKDF2PasswordHasher.verify

    def counting_verify(self, password, encoded):
        with lock:
            checks.append(password)
        return original(self, password, encoded)

    monkeypatch.setattr(PBKDF2PasswordHasher, "verify", counting_verify)
    url = live_server.url + "/accounts/login/"
    with ThreadPoolExecutor(max_workers=25) as pool:
        statuses = list(pool.map(lambda n: guess(url, f"wrong-guess-{n}"), range(100)))
    assert len(statuses) == 100 and set(statuses) <= {200, 429}, set(statuses)
    assert statuses.count(429) >= 90
    assert len(checks) <= 10, f"{len(checks)} password checks got through"
    # and the right password is refused while locked
    assert guess(url, "director-demo-2022") == 429
