"""The demo city seed: its shape, its consistency, and that seeding twice changes nothing.

The city is seeded once for the module, inside a transaction rolled back at the end; each test runs in a
savepoint within it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from massline.accounts.models import RoleAssignment, User
from massline.accounts.roles import Role
from massline.accounts.seed import ACCOUNTS
from massline.audit.models import AuditRecord
from massline.org import demo_city
from massline.org.models import Area, AreaLevel, Category, Post, ResponsibilityRule, Unit
from massline.org.selectors import responsibility_for

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _seed() -> str:
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("seed", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        output = _seed()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def city(demo, db) -> Area:
    return Area.objects.get(code=demo_city.CITY["code"])


def test_city_has_the_expected_shape(city):
    under = Area.objects.filter(path__startswith=city.path)
    assert under.filter(level=AreaLevel.DISTRICT).count() == 8
    assert under.filter(level=AreaLevel.STREET).count() == 60
    assert under.filter(level=AreaLevel.COMMUNITY).count() == 300
    assert under.filter(level=AreaLevel.GRID).exists()
    assert {a.kind for a in under.filter(level=AreaLevel.DISTRICT)} == {"district", "county"}
    assert {a.kind for a in under.filter(level=AreaLevel.COMMUNITY)} == {"community", "village"}
    assert Area.objects.filter(level=AreaLevel.CITY).count() == 1
    for street in under.filter(level=AreaLevel.STREET):
        names = list(street.children.values_list("name_zh", flat=True))
        assert len(names) == len(set(names)), f"duplicate community names in {street.code}"


def test_departments_and_local_units(city):
    government = Unit.objects.get(code=demo_city.unit_code(city.code, "GOV"), parent=None)
    departments = government.children.exclude(kind="government")
    assert 35 <= departments.count() <= 45
    assert {"hotline_centre", "petition_bureau", "discipline", "enterprise"} <= set(
        departments.values_list("kind", flat=True)
    )
    assert government.children.filter(kind="government").count() == 8
    assert Unit.objects.filter(kind="street_office").count() == 60
    assert Unit.objects.filter(kind__in=["residents_committee", "village_committee"]).count() == 300
    assert Unit.objects.filter(kind="mediation_committee", area__level=AreaLevel.STREET).exists()
    for unit in Unit.objects.select_related("area"):
        assert unit.area.is_within(city), unit.code


def test_every_path_extends_its_parents(demo, db):
    for model in (Area, Unit, Category):
        for node in model.objects.select_related("parent"):
            assert "/" not in node.code
            if node.parent is None:
                assert node.path == f"{node.code}/"
            else:
                assert node.path == f"{node.parent.path}{node.code}/"
                assert node.depth == node.parent.depth + 1


def test_names_are_bilingual(demo, db):
    for model in (Area, Unit, Category):
        assert not model.objects.filter(name_zh="").exists(), model.__name__
        assert not model.objects.filter(name_en="").exists(), model.__name__


def test_catalogue_has_three_levels(demo, db):
    depths = [c.depth for c in Category.objects.all()]
    assert 10 <= depths.count(0) <= 16
    assert 40 <= depths.count(1) <= 70
    assert 120 <= depths.count(2) <= 220


def test_matrix_covers_the_catalogue(city):
    communities = list(Area.objects.filter(path__startswith=city.path, level=AreaLevel.COMMUNITY))
    for second in Category.objects.filter(depth=1):
        for third in second.children.all():
            assert any(
                (found := responsibility_for(category=third, area=community)) is not None and found.lead_unit
                for community in communities[:3]
            ), third.code
    assert ResponsibilityRule.objects.count() < 3000


def test_matrix_routes_by_locality(city):
    district = Area.objects.get(code=f"{city.code}{demo_city.DISTRICTS[0]['suffix']}")
    street = district.children.order_by("code").first()
    community = street.children.order_by("code").first()
    lights = Category.objects.get(depth=2, name_en="Street light out")
    assert responsibility_for(category=lights, area=community).lead_unit.code == demo_city.unit_code(
        district.code, "URBAN"
    )
    neighbours = Category.objects.get(depth=2, name_en="Neighbour disputes")
    found = responsibility_for(category=neighbours, area=community)
    assert found.lead_unit.code == demo_city.unit_code(street.code, "OFFICE")
    assert [u.code for u in found.co_units] == [demo_city.unit_code(street.code, "MEDIATION")]
    pensions = Category.objects.get(depth=2, name_en="Pension payments")
    assert responsibility_for(category=pensions, area=community).lead_unit.area == district
    water = Category.objects.get(depth=2, name_en="Water outages")
    assert responsibility_for(category=water, area=community).lead_unit.kind == "enterprise"
    village = Area.objects.filter(kind="village").select_related("parent").first()
    elections = Category.objects.get(depth=2, name_en="Village elections")
    assert responsibility_for(category=elections, area=village).lead_unit.area == village.parent


def test_every_role_has_an_account(demo, db):
    for role in Role:
        assert RoleAssignment.objects.filter(role=role).exists(), role
    staff = User.objects.filter(role_assignments__role__in=[r for r in Role if r != Role.CITIZEN]).distinct()
    for user in staff:
        assert user.posts.exists(), user.username
    for account in ACCOUNTS:  # the named demo logins (duty officers behind the demo appeals cannot sign in)
        assert User.objects.get(username=account.username).has_usable_password(), account.username
    platform_admin = User.objects.get(username="admin")
    assert platform_admin.is_staff and not platform_admin.is_superuser
    assert platform_admin.role_assignments.filter(role=Role.ADMINISTRATOR, unit=None, area=None).exists()
    assert User.objects.get(username="admin.d1").role_assignments.get().area.level == AreaLevel.DISTRICT
    assert Post.objects.filter(is_head=True).exists()


def test_seeding_again_changes_nothing(demo, db):
    models = (Area, Unit, Category, ResponsibilityRule, User, RoleAssignment, Post, AuditRecord)
    before = {model.__name__: model.objects.count() for model in models}
    output = _seed()
    after = {model.__name__: model.objects.count() for model in models}
    assert after == before
    assert "skipped" in output
    assert before["AuditRecord"] >= before["Area"] + before["Unit"] + before["Category"]
