"""A working day on the platform, for locust (load and soak): citizens submitting and following their appeals,
hotline operators, dispatchers and unit handlers working their queues, and the public reading scorecards and
the case wall. ``bench/bench_soak.py`` seeds a database, starts ``massline serve`` and runs this headless;
it can also be pointed at any test deployment seeded with the demo city:

    SOAK_DATA=var/soak/data.json locust -f bench/locustfile.py --host http://127.0.0.1:8000

SOAK_DATA names a JSON file with ``communities`` and ``categories`` (primary keys), ``codes`` (tracking codes
to look up), ``units`` (unit codes with scorecards) and ``password`` (the demo staff's). Every request sends an
``X-Request-ID`` that starts with its class, so the server's own log lines can be grouped by class
(bench_soak.py reads the server time from them).
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid
from typing import Any

from locust import HttpUser, between, task

DATA: dict[str, Any] = json.loads(open(os.environ.get("SOAK_DATA", "var/soak/data.json"), encoding="utf-8").read())  # noqa: SIM115
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TRACKING_CODE = re.compile(r'data-testid="tracking-code">([^<]+)<')
CASE_LINK = re.compile(r"/appeals/work/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/")

TITLES = ("小区门口道路坑洼积水", "夜间施工噪声扰民", "路灯不亮", "垃圾清运不及时", "楼道堆放杂物")


class _Visitor(HttpUser):
    abstract = True

    def get(self, name: str, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, name=name, headers={"X-Request-ID": f"{name}.{uuid.uuid4().hex[:12]}"}, **kwargs)

    def post(self, name: str, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
        headers = {"X-Request-ID": f"{name}.{uuid.uuid4().hex[:12]}", "Referer": f"{self.host}{path}"}
        return self.client.post(path, data=data, name=name, headers=headers, **kwargs)

    def csrf_from(self, html: str) -> str:
        match = CSRF.search(html)
        return match.group(1) if match else str(self.client.cookies.get("csrftoken") or "")


class Citizen(_Visitor):
    """Submits an appeal now and then, follows it and others, and looks up codes it was given."""

    weight = 4
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.mine: list[str] = []

    @task(2)
    def submit(self) -> None:
        form = self.get("citizen_form", "/appeals/new/")
        data = {
            "csrfmiddlewaretoken": self.csrf_from(form.text),
            "idempotency_key": uuid.uuid4().hex,
            "kind": "complaint",
            "title": random.choice(TITLES),
            "description": "附近的问题已经持续一段时间，影响居民正常生活，希望有关部门尽快核实处理。",
            "area": random.choice(DATA["communities"]),
            "category": random.choice(DATA["categories"]),
            "name": "王先生",
            "phone": f"139{random.randrange(10**8):08d}",
            "passphrase": "soak-passphrase",
        }
        with self.post("citizen_submit", "/appeals/new/", data, catch_response=True) as receipt:
            found = TRACKING_CODE.search(receipt.text or "")
            if found:
                self.mine.append(found.group(1).strip())
            elif receipt.ok:  # the form came back: the appeal was not taken
                receipt.failure("no tracking code on the receipt")

    @task(5)
    def track_own(self) -> None:
        code = random.choice(self.mine) if self.mine else random.choice(DATA["codes"])
        self.get("citizen_track", f"/appeals/track/{code}/")

    @task(3)
    def look_up(self) -> None:
        self.get("citizen_lookup", "/appeals/track/", params={"code": random.choice(DATA["codes"])})


class Public(_Visitor):
    """Reads the scorecards, the ranking and the public case wall."""

    weight = 3
    wait_time = between(2, 6)

    @task(3)
    def scorecards(self) -> None:
        self.get("public_scorecards", "/scorecards/")

    @task(2)
    def unit(self) -> None:
        self.get("public_unit", f"/scorecards/unit/{random.choice(DATA['units'])}/")

    @task(1)
    def ranking(self) -> None:
        self.get("public_ranking", "/scorecards/ranking/")

    @task(2)
    def case_wall(self) -> None:
        self.get("public_case_wall", "/cases/")

    @task(1)
    def home(self) -> None:
        self.get("public_home", "/")


class _Staff(_Visitor):
    abstract = True
    usernames: tuple[str, ...] = ()
    queues: tuple[str, ...] = ()

    def on_start(self) -> None:
        login = self.get("staff_login_form", "/accounts/login/")
        self.post(
            "staff_login",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self.csrf_from(login.text),
                "username": random.choice(self.usernames),
                "password": DATA["password"],
            },
        )
        self.cases: list[str] = []

    @task(3)
    def queue(self) -> None:
        queue = random.choice(self.queues)
        with self.get("staff_queue", "/appeals/work/", params={"queue": queue}, catch_response=True) as page:
            if "/accounts/login/" in (page.url or ""):
                page.failure("signed out")
                return
            self.cases = CASE_LINK.findall(page.text or "")[:20] or self.cases

    @task(1)
    def counts(self) -> None:
        self.get("staff_counts", "/appeals/work/counts/")

    @task(2)
    def case(self) -> None:
        if self.cases:
            self.get("staff_case", f"/appeals/work/{random.choice(self.cases)}/")


class Operator(_Staff):
    """The hotline operator: the console and the queues of the centre."""

    weight = 1
    wait_time = between(3, 8)
    usernames = ("operator",)
    queues = ("callbacks", "answered", "overdue")

    @task(2)
    def console(self) -> None:
        self.get("operator_console", "/appeals/console/")


class Dispatcher(_Staff):
    weight = 1
    wait_time = between(3, 8)
    usernames = ("dispatcher",)
    queues = ("dispatch", "overdue", "answered")


class Handler(_Staff):
    """A unit's case handler: what is being handled, what is overdue, what is due soon."""

    weight = 2
    wait_time = between(3, 8)
    usernames = ("handler", "handler.d1")
    queues = ("handling", "overdue", "due_soon")
