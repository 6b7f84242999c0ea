"""List pages read a bounded number of queries, whatever the number of rows (no query per row)."""

import pytest
from django.db import transaction
from django.urls import reverse

from massline.audit.services import audit_record
from massline.core.testing import verify_two_factor
from massline.org.services import area_create, unit_create

pytestmark = pytest.mark.django_db


def test_the_unit_directory_and_area_pages(client, small_city, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(40):
        street = area_create(
            actor=None, code=f"T0101{i:03d}X", name_zh=f"街道{i}", kind="street", parent=small_city.district_a
        )
        unit_create(
            actor=None,
            code=f"U-X{i}",
            name_zh=f"街道办{i}",
            kind="street_office",
            area=street,
            parent=small_city.district_a_gov,
        )
    with django_assert_max_num_queries(3):
        assert client.get(reverse("org:units")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("org:area", args=[small_city.district_a.code])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("portal:home")).status_code == 200


def test_the_audit_ledger_page(client, make_person, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    inspector = make_person("inspector")
    for i in range(60):
        with transaction.atomic():
            audit_record(event="test.event", actor=inspector, target_type="test.thing", target_id=str(i))
    verify_two_factor(client, inspector)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("audit:records")).status_code == 200
