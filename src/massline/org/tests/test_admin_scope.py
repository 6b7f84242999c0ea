"""Administrators work within their scope in the admin: a district administrator sees and changes the
district's units and areas, views but cannot change the rest, and cannot change the catalogue or calendar."""

import pytest
from django.urls import reverse

from massline.audit.models import AuditRecord
from massline.core.testing import verify_two_factor
from massline.org.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_admin(client, make_person, small_city):  # type: ignore[no-untyped-def]
    person = make_person("administrator", area=small_city.district_a, username="admin.east")
    verify_two_factor(client, person)
    return person


def _area_form(area: Area, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name_zh": area.name_zh,
        "name_en": area.name_en,
        "kind": area.kind,
        "parent": area.parent_id,
        "is_active": "on",
        "population": "",
        "households": "",
        "latitude": "",
        "longitude": "",
    }
    data.update(changes)
    return data


def test_the_unit_list_shows_only_the_district(client, district_admin, small_city) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("admin:org_unit_changelist")).content.decode()
    assert "U-D1-URBAN" in page and "U-S1" in page
    assert "U-D2" not in page and "U-URBAN" not in page


def test_a_unit_outside_the_district_looks_missing(client, district_admin, small_city) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("admin:org_unit_change", args=[small_city.district_b_gov.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect, not the unit
    assert client.get(reverse("admin:org_unit_change", args=[small_city.district_a_bureau.pk])).status_code == 200


def test_an_area_in_the_district_can_be_renamed_and_is_audited(client, district_admin, small_city) -> None:  # type: ignore[no-untyped-def]
    community = small_city.community_a
    url = reverse("admin:org_area_change", args=[community.pk])
    response = client.post(url, _area_form(community, name_en="Taoyuan New Community"))
    assert response.status_code == 302, response.content.decode()[:2000]
    community.refresh_from_db()
    assert community.name_en == "Taoyuan New Community"
    record = AuditRecord.objects.filter(event="org.area.changed", target_id=str(community.pk)).latest("seq")
    assert record.actor_id == district_admin.pk
    assert record.before["name_en"] == "Taoyuan Community"


def test_an_area_cannot_be_moved_out_of_the_district(client, district_admin, small_city) -> None:  # type: ignore[no-untyped-def]
    community = small_city.community_a
    url = reverse("admin:org_area_change", args=[community.pk])
    response = client.post(url, _area_form(community, parent=small_city.street_b.pk))
    assert response.status_code == 403
    community.refresh_from_db()
    assert community.parent_id == small_city.street_a.pk
    assert community.path == "T/T01/T0101/T0101001/T0101001001/"


def test_an_area_of_another_district_is_read_only(client, district_admin, small_city) -> None:  # type: ignore[no-untyped-def]
    other = small_city.community_b
    url = reverse("admin:org_area_change", args=[other.pk])
    assert client.get(url).status_code == 200  # viewable: the tree is public
    assert client.post(url, _area_form(other, name_en="Renamed")).status_code == 403
    other.refresh_from_db()
    assert other.name_en == "Binjiang Community"


def test_the_catalogue_and_calendar_are_for_platform_administrators(client, district_admin, make_person) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("admin:org_category_add")).status_code == 403
    assert client.get(reverse("admin:org_calendaroverride_add")).status_code == 403
    platform = make_person("administrator", username="admin.city")
    verify_two_factor(client, platform)
    assert client.get(reverse("admin:org_category_add")).status_code == 200
    response = client.post(
        reverse("admin:org_calendaroverride_add"),
        {"date": "2027-01-01", "is_working_day": "", "reason": "New Year's Day 2027"},
    )
    assert response.status_code == 302
    assert AuditRecord.objects.filter(event="org.calendaroverride.created", actor_id=platform.pk).exists()


def test_other_staff_roles_do_not_reach_the_admin(client, make_person, small_city) -> None:  # type: ignore[no-untyped-def]
    handler = make_person("handler", unit=small_city.urban_bureau)
    client.force_login(handler)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]
