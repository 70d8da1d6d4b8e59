"""A real database outage, as the outside attack made it (issue 16, finding 6): a PostgreSQL cluster of the
test's own is stopped under a portal process whose visitors are signed in and anonymous; every request
then gets the plain 503 page with Retry-After, never a 500. PostgreSQL only: it stops a server."""

import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgresql_only
ROOT = Path(__file__).resolve().parents[1]

# run by the portal's own manage.py shell in the cluster's database: sign in, stop the server, ask again
VISITS = """
import json, subprocess
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
from staffing.models import Bureau, Membership

setup_test_environment()
user = get_user_model().objects.create_user("outage-staff", password="x" * 16)
bureau = Bureau.objects.create(name="정전국", established_on="2022-01-01")
Membership.objects.create(user=user, bureau=bureau, role="planning")
signed_in, anonymous = Client(raise_request_exception=False), Client(raise_request_exception=False)
signed_in.force_login(user)
before = [signed_in.get("/my/").status_code, anonymous.get("/").status_code]
subprocess.run({stop}, check=True)
after = []
for client, url in ((signed_in, "/my/"), (signed_in, "/"), (signed_in, "/staff/entry/"), (anonymous, "/")):
    response = client.get(url)
    after.append([url, response.status_code, response.get("Retry-After"), "데이터베이스에 연결할 수 없습니다" in response.content.decode()])
print(json.dumps({{"before": before, "after": after}}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_cluster():
    """A throwaway PostgreSQL cluster on a free port (pg_createcluster, as root like CI), dropped afterwards."""
    if not shutil.which("pg_createcluster") or os.geteuid() != 0:
        pytest.fail("the outage drill needs pg_createcluster and root (as .ci/run has)")
    version = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])[-1]
    name, port = f"outage{uuid.uuid4().hex[:8]}", free_port()
    subprocess.run(
        ["pg_createcluster", version, name, "-p", str(port), "--", "--auth-host=trust", "--auth-local=trust"],
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"], check=True)
        subprocess.run(["su", "postgres", "-c", f"createdb -h 127.0.0.1 -p {port} outage"], check=True)
        yield version, name, f"postgres://postgres@127.0.0.1:{port}/outage"
    finally:
        subprocess.run(["pg_dropcluster", "--stop", version, name], capture_output=True)


def test_stopping_postgresql_gives_everyone_the_503_page(own_cluster):
    import json

    version, name, url = own_cluster
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}  # as in production: no debug page
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    stop = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "stop", "-m", "fast"]
    done = subprocess.run(
        [*manage, "shell", "-c", VISITS.format(stop=repr(stop))], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["before"] == [200, 200]  # signed in and anonymous, while the server runs
    assert result["after"] == [[url, 503, "60", True] for url in ("/my/", "/", "/staff/entry/", "/")]
