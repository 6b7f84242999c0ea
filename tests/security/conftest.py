"""A small city with one person for every role and the objects whose visibility the security tests check:
an appeal of one's own unit, one of another unit in another district, a confidential appeal with the
citizen's photo, a letter registered at the reception desk and a hot issue. Everything is made through the
services, as people would make it."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from massline.accounts.roles import Role

# Every role of accounts/roles.py, anonymous visitors first, and an administrator scoped to one district (who
# must not reach what only platform administrators may).
ROLES = (
    "anonymous",
    Role.CITIZEN.value,
    Role.OPERATOR.value,
    Role.DISPATCHER.value,
    Role.HANDLER.value,
    Role.UNIT_LEADER.value,
    Role.SUPERVISOR.value,
    Role.MEDIATOR.value,
    Role.INSPECTOR.value,
    Role.ANALYST.value,
    Role.ADMINISTRATOR.value,
    "district_admin",
)
TWO_FACTOR_ROLES = {Role.INSPECTOR.value, Role.ADMINISTRATOR.value, "district_admin"}
LETTER_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
CITIZEN_NAME, CITIZEN_PHONE = "王秀英", "13911112222"
SECRET_NAME, SECRET_PHONE = "李保密", "13933334444"


def png_with_gps() -> bytes:
    """A small PNG carrying EXIF with a GPS position, as a phone writes one."""
    image = Image.new("RGB", (48, 32), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 29.0)}
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 120, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 29.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()


class Upload(io.BytesIO):
    """What a form hands the attachment check: a name and a file to read."""

    def __init__(self, name: str, content: bytes) -> None:
        super().__init__(content)
        self.name = name
        self.size = len(content)


@dataclass
class World:
    city: Any
    people: dict[str, Any]
    own: Any  # potholes in the east district's community: the city's urban bureau leads it
    other: Any  # noise in the west district: the west district government leads it
    secret: Any  # like ``own``, but the citizen asked for confidentiality, with a photo
    petition: Any  # a letter registered at the reception desk
    issue: Any  # a hot issue in the east district
    matter: Any  # a consultation the urban bureau runs for the east district, at its proposal step
    secret_photo: Any
    own_photo: Any
    keys: dict[str, str] = field(default_factory=dict)  # personal API keys of the staff


def _appeal(city: Any, *, title: str, area: Any, category: Any, name: str, phone: str, **options: Any) -> Any:
    from massline.appeals.services import ContactInput, appeal_route, appeal_submit

    return appeal_route(
        appeal=appeal_submit(
            actor=None,
            kind="complaint",
            channel="web",
            title=title,
            description=f"{title}，已经很久了，请尽快处理。",
            area=area,
            category=category,
            contact=ContactInput(name=name, phone=phone),
            route_after_commit=False,
            **options,
        ).appeal
    )


@pytest.fixture
def world(small_city: Any, make_person: Any) -> World:
    from massline.accounts.services import api_key_create
    from massline.appeals.attachments import attachment_check
    from massline.appeals.services import ContactInput, petition_register
    from massline.core import clock
    from massline.evaluation.months import add_months, current_month
    from massline.evaluation.services import scorecard_refresh
    from massline.intelligence.models import HotIssue
    from massline.intelligence.services import hot_issues_refresh
    from massline.org.services import category_create, rule_set

    c = small_city
    roads = category_create(actor=None, code="C01", name_zh="城市管理", name_en="Urban management")
    c.potholes = category_create(actor=None, code="C0101", name_zh="道路坑洼", name_en="Potholes", parent=roads)
    c.noise = category_create(actor=None, code="C0102", name_zh="噪声", name_en="Noise", parent=roads)
    rule_set(actor=None, category=c.potholes, area=c.city, lead_unit=c.urban_bureau)
    rule_set(actor=None, category=c.noise, area=c.district_b, lead_unit=c.district_b_gov)

    people: dict[str, Any] = {
        "anonymous": None,
        "citizen": make_person(Role.CITIZEN),
        "operator": make_person(Role.OPERATOR, unit=c.hotline),
        "dispatcher": make_person(Role.DISPATCHER, unit=c.hotline),
        "handler": make_person(Role.HANDLER, unit=c.urban_bureau),
        "unit_leader": make_person(Role.UNIT_LEADER, unit=c.urban_bureau),
        "supervisor": make_person(Role.SUPERVISOR, area=c.district_a),
        "mediator": make_person(Role.MEDIATOR, area=c.city),
        "inspector": make_person(Role.INSPECTOR, area=c.city),
        "analyst": make_person(Role.ANALYST, area=c.city),
        "administrator": make_person(Role.ADMINISTRATOR),
        "district_admin": make_person(Role.ADMINISTRATOR, area=c.district_a),
    }
    own = _appeal(
        c,
        title="和平路有个大坑",
        area=c.community_a,
        category=c.potholes,
        name=CITIZEN_NAME,
        phone=CITIZEN_PHONE,
        attachments=[attachment_check(Upload("pothole.png", png_with_gps()))],
    )
    other = _appeal(
        c, title="滨江路夜间施工噪声", area=c.community_b, category=c.noise, name="赵先生", phone="13955556666"
    )
    secret = _appeal(
        c,
        title="桃源社区旁道路塌陷",
        area=c.community_a,
        category=c.potholes,
        name=SECRET_NAME,
        phone=SECRET_PHONE,
        contact_confidential=True,
        attachments=[attachment_check(Upload("road.png", png_with_gps()))],
    )
    petition = petition_register(
        actor=people["operator"],
        channel="letter",
        kind="complaint",
        title="来信反映和平路积水",
        description="和平路每逢下雨积水严重，居民出行困难，特来信反映。",
        contact=ContactInput(name="张大爷", phone="13700000000", address="和平路1号"),
        area=c.community_a,
        category=c.potholes,
        scans=[attachment_check(Upload("letter.pdf", LETTER_PDF))],
    ).appeal
    for n in range(4):
        _appeal(
            c,
            title=f"丽景花园旁搅拌站夜间施工噪音扰民{n}",
            area=c.community_a,
            category=c.potholes,
            name="居民",
            phone=f"1390000000{n}",
        )
    hot_issues_refresh(now=clock.now())
    for month in (add_months(current_month(), -1), current_month()):
        scorecard_refresh(month=month)
    issue = HotIssue.objects.order_by("pk").first()
    assert issue is not None, "the seeded appeals should form a hot issue"
    keys = {
        role: api_key_create(actor=None, name=f"{role} app", scopes=["api:read", "api:write"], user=person)[1]
        for role, person in people.items()
        if person is not None and person.is_official
    }
    from massline.consultations.kinds import kinds_install_defaults
    from massline.consultations.models import MatterKind
    from massline.consultations.services import matter_create

    kinds_install_defaults()
    matter = matter_create(
        actor=people["handler"],
        kind=MatterKind.objects.get(code="village-matter"),
        owner_unit=c.urban_bureau,
        area=c.district_a,
        title="东区背街小巷路灯改造",
        summary="更换东区背街小巷的路灯。",
        proposer_kind="committee",
    )
    return World(
        city=c,
        matter=matter,
        people=people,
        own=own,
        other=other,
        secret=secret,
        petition=petition,
        issue=issue,
        secret_photo=secret.attachments.get(),
        own_photo=own.attachments.get(),
        keys=keys,
    )


def client_for(world: World, role: str) -> Client:
    """A browser signed in as the person holding ``role`` (two factors verified where the role needs them)."""
    from massline.core.testing import verify_two_factor

    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    person = world.people[role]
    if person is None:
        return client
    if role in TWO_FACTOR_ROLES:
        verify_two_factor(client, person)
    else:
        client.force_login(person)
    return client


def api_client_for(world: World, role: str) -> Client:
    """An application acting with ``role``'s personal key; a citizen (who has no key) through the session."""
    if role in world.keys:
        return Client(
            raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {world.keys[role]}"
        )
    if role == "citizen":
        return client_for(world, role)
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
