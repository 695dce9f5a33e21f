"""Locust scenarios for ``python -m bench.load`` (never import Django here: locust runs
under gevent in its own process and talks to gunicorn over HTTP on 127.0.0.1 only).

bench/load.py writes the simulated people to a JSON file named by ``BENCH_LOAD_USERS``:
a list of ``{"username", "password", "group", "day"}`` (an educator, their group's id and
the working day to use). Each simulated user takes the next entry, logs in through the
real login form and runs the scenario named by ``BENCH_SCENARIO`` once, then idles; when
every user has finished, the run ends by itself (or at ``--run-time``, whichever is first).

Scenarios (add one: a function ``(user) -> None`` in `SCENARIOS`):

- ``browse``: the home page, the group's card, the children list — what is there today.
- ``morning``: the morning peak — open the group's attendance page for the day and save
  the group's marks; each submission is appended to ``BENCH_LOAD_SUBMISSIONS`` (JSON lines)
  so bench/load.py can check in the database that every mark is stored exactly once.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading

import gevent
from locust import HttpUser, between, task
from locust.exception import StopUser

ENTRIES = json.loads(open(os.environ["BENCH_LOAD_USERS"], encoding="utf-8").read())  # noqa: SIM115
SCENARIO = os.environ.get("BENCH_SCENARIO", "browse")
SUBMISSIONS = os.environ.get("BENCH_LOAD_SUBMISSIONS", "")
_next = itertools.count()
_done = itertools.count(1)
_lock = threading.Lock()


def _finished(user) -> None:
    """Count a finished user; quit the run when all of them are done.

    A finished user stays (idle) instead of stopping: locust tops the running count up to
    the ramp's target, so stopped users would make it spawn faster than --spawn-rate."""
    user.done = True
    if next(_done) >= len(ENTRIES):
        gevent.spawn_later(0.5, user.environment.runner.quit)


def login(user, entry) -> bool:
    client = user.client
    client.get("/accounts/login/", name="login form")
    token = client.cookies.get("csrftoken", "")
    with client.post(
        "/accounts/login/",
        data={
            "username": entry["username"],
            "password": entry["password"],
            "csrfmiddlewaretoken": token,
            "next": "/",
        },
        name="login",
        catch_response=True,
        allow_redirects=False,  # time the login itself, not the page it leads to
    ) as response:
        if response.status_code != 302 or "/accounts/login/" in response.headers.get(
            "Location", ""
        ):
            response.failure(f"вход не удался: {entry['username']} ({response.status_code})")
            return False
        response.success()
    return True


def browse(user) -> None:
    entry = user.entry
    user.client.get("/", name="dashboard")
    user.client.get(f"/groups/{entry['group']}/", name="group card")
    user.client.get("/people/children/", name="children list")


#: a child's row of the group-day form: radio buttons ``m_<child id>`` (present / absent)
CHILD_INPUT = re.compile(r'name="m_(\d+)"')


def morning(user) -> None:
    """The morning peak, on the journal's real contract (attendance/views/journal.py):

    - ``GET /attendance/groups/<group>/day/<YYYY-MM-DD>/`` answers 200 with the group-day
      form: a CSRF token and, per child enrolled that day, radio inputs ``m_<child id>``;
    - ``POST`` of the same URL with ``m_<child id>`` = ``present`` | ``absent`` and, for an
      absence, ``r_<child id>`` = the reason code saves the whole group-day at once (an
      upsert: the later save wins, never a duplicate) and redirects (302) back to the day;
      a 200 answer is the form again with the errors — a failure here.
    """
    entry = user.entry
    url = f"/attendance/groups/{entry['group']}/day/{entry['day']}/"
    with user.client.get(url, name="attendance: group day", catch_response=True) as page:
        children = sorted({int(pk) for pk in CHILD_INPUT.findall(page.text)})
        if page.status_code != 200 or not children:
            page.failure(f"страница дня: {page.status_code}, детей в форме {len(children)}")
            return
        page.success()
    marks = {
        str(pk): ("present" if (pk + entry["seed"]) % 8 else "Б") for pk in children
    }  # ~12 % absent «Б», deterministic per user
    data = {}
    for pk, value in marks.items():
        data[f"m_{pk}"] = "present" if value == "present" else "absent"
        if value != "present":
            data[f"r_{pk}"] = value
    data["csrfmiddlewaretoken"] = user.client.cookies.get("csrftoken", "")
    with user.client.post(
        url,
        data=data,
        name="attendance: save group day",
        catch_response=True,
        allow_redirects=False,  # time the save itself, not the page it leads to
        headers={"Referer": user.host + url},  # Django's CSRF check of HTTPS requests
    ) as response:
        if response.status_code not in (302, 204):
            response.failure(f"сохранение: {response.status_code}, детей в форме {len(children)}")
            return
        response.success()
    if SUBMISSIONS:
        with _lock, open(SUBMISSIONS, "a", encoding="utf-8") as out:
            record = {"user": entry["username"], "group": entry["group"], "day": entry["day"]}
            out.write(json.dumps({**record, "marks": marks}, ensure_ascii=False) + "\n")


SCENARIOS = {"browse": browse, "morning": morning}


class Person(HttpUser):
    """One simulated person: logs in, runs the scenario once, then idles."""

    wait_time = between(0.5, 2)

    def on_start(self):
        index = next(_next)
        if index >= len(ENTRIES):
            raise StopUser()
        self.entry = ENTRIES[index]
        self.logged_in = login(self, self.entry)

    done = False

    @task
    def scenario(self):
        if self.done:
            gevent.sleep(60)  # idle until the last user finishes
            return
        if self.logged_in:
            SCENARIOS[SCENARIO](self)
        _finished(self)
