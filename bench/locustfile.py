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
  It needs the attendance journal's endpoints (see `morning` below).
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


CHILD_INPUT = re.compile(r'name="mark-(\d+)"')


def morning(user) -> None:
    """The morning peak. Endpoint contract the attendance journal provides (issue 7):

    - ``GET /attendance/groups/<group>/day/<YYYY-MM-DD>/`` answers 200 with the group-day
      form: a CSRF token and, per child enrolled that day, an input ``mark-<child id>``;
    - ``POST`` of the same URL with ``mark-<child id>`` = ``present`` or an absence reason
      code (``Б``, ``О`` …) for every child saves the whole group-day at once (an upsert: the
      later save wins, never a duplicate) and answers 200, 204 or a redirect to the day.
    """
    entry = user.entry
    url = f"/attendance/groups/{entry['group']}/day/{entry['day']}/"
    page = user.client.get(url, name="attendance: group day")
    children = sorted({int(pk) for pk in CHILD_INPUT.findall(page.text)})
    marks = {
        str(pk): ("present" if (pk + entry["seed"]) % 8 else "Б") for pk in children
    }  # ~12 % absent «Б», deterministic per user
    data = {f"mark-{pk}": value for pk, value in marks.items()}
    data["csrfmiddlewaretoken"] = user.client.cookies.get("csrftoken", "")
    with user.client.post(
        url, data=data, name="attendance: save group day", catch_response=True
    ) as response:
        if response.status_code not in (200, 204) or not children:
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
