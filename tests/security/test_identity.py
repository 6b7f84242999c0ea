"""A citizen's identity never reaches the unit complained about when they asked for confidentiality, and never
the public; the hotline centre that must call them back reads it. Checked on every page and answer a person of
the unit can open, with the unasked-for case as the control that shows the check can fail."""

from __future__ import annotations

import pytest

from massline.appeals.selectors import contact_for

from .conftest import CITIZEN_NAME, CITIZEN_PHONE, SECRET_NAME, SECRET_PHONE, World, api_client_for, client_for

pytestmark = pytest.mark.django_db


def test_the_unit_reads_the_citizen_only_when_confidentiality_was_not_asked(world: World) -> None:
    for role in ("handler", "unit_leader"):
        browser, application = client_for(world, role), api_client_for(world, role)
        own_page = browser.get(f"/appeals/work/{world.own.tracking_code}/").content.decode()
        assert CITIZEN_PHONE in own_page  # the control: this page does show a contact when it may
        secret_page = browser.get(f"/appeals/work/{world.secret.tracking_code}/")
        assert secret_page.status_code == 200  # the unit works the case …
        assert SECRET_NAME not in secret_page.content.decode()  # … without knowing who raised it
        assert SECRET_PHONE not in secret_page.content.decode()
        answer = application.get(f"/api/v1/work/appeals/{world.secret.tracking_code}")
        assert answer.status_code == 200 and answer.json()["contact"] is None
        assert SECRET_PHONE not in answer.content.decode() and SECRET_NAME not in answer.content.decode()
        assert application.get(f"/api/v1/work/appeals/{world.own.tracking_code}").json()["contact"]["phone"] == (
            CITIZEN_PHONE
        )
        queue = browser.get("/appeals/work/").content.decode()
        assert SECRET_PHONE not in queue and SECRET_NAME not in queue
        assert contact_for(user=world.people[role], appeal=world.secret) is None


def test_the_hotline_centre_reads_the_citizen_of_a_confidential_appeal(world: World) -> None:
    for role in ("operator", "dispatcher"):
        page = client_for(world, role).get(f"/appeals/work/{world.secret.tracking_code}/").content.decode()
        assert SECRET_PHONE in page


def test_a_supervisor_and_the_public_never_read_the_citizen(world: World) -> None:
    supervisor = client_for(world, "supervisor").get(f"/appeals/work/{world.secret.tracking_code}/")
    assert supervisor.status_code == 200 and SECRET_PHONE not in supervisor.content.decode()
    for appeal, name, phone in ((world.own, CITIZEN_NAME, CITIZEN_PHONE), (world.secret, SECRET_NAME, SECRET_PHONE)):
        for path in (
            f"/appeals/track/{appeal.tracking_code}/",
            f"/api/v1/appeals/{appeal.tracking_code}",
            f"/open311/v2/requests/{appeal.tracking_code}.json",
            f"/open311/v2/requests/{appeal.tracking_code}.xml",
            "/cases/",
            "/open311/v2/requests.json",
        ):
            body = client_for(world, "anonymous").get(path).content.decode()
            assert phone not in body and name not in body, path
