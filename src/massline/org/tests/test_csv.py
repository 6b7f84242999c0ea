"""CSV import and export of the organisation: the service, the ``massline org`` command and the admin pages."""

from __future__ import annotations

import codecs
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from massline.accounts.models import User
from massline.accounts.services import user_create
from massline.audit.models import AuditRecord
from massline.org.csv_format import KINDS
from massline.org.models import Area, Category, Post, ResponsibilityRule, Unit
from massline.org.selectors.csv_export import org_csv_export
from massline.org.services.csv_import import org_csv_import
from massline.org.services.tree import area_create, category_create, post_create, rule_set, unit_create

pytestmark = pytest.mark.django_db

AREA_HEADER = "code,parent_code,name_zh,name_en,kind,population,households,latitude,longitude\n"


@pytest.fixture
def org() -> dict[str, Any]:
    """A small city built through the services: areas, units, categories, a rule and a post."""
    city = area_create(actor=None, code="3101", name_zh="示范市", name_en="Demo City", kind="city")
    district = area_create(
        actor=None, code="310101", name_zh="东区", name_en="East District", kind="district", parent=city
    )
    street = area_create(
        actor=None,
        code="310101001",
        name_zh="东街道",
        name_en="East Street",
        kind="street",
        parent=district,
        population=12345,
        latitude=Decimal("31.230416"),
        longitude=Decimal("121.473701"),
    )
    community = area_create(actor=None, code="310101001001", name_zh="东社区", kind="community", parent=street)
    government = unit_create(actor=None, code="GOV", name_zh="示范市人民政府", kind="government", area=city)
    roads = unit_create(
        actor=None,
        code="ROADS",
        name_zh="市政局",
        name_en="Roads Bureau",
        kind="department",
        area=city,
        parent=government,
        phone="12345",
        address='人民路1号, "东"楼',
    )
    street_office = unit_create(
        actor=None, code="EST", name_zh="东街道办事处", kind="street_office", area=street, parent=government
    )
    urban = category_create(actor=None, code="URB", name_zh="城市管理", name_en="Urban management")
    road = category_create(actor=None, code="URB-ROAD", name_zh="道路", parent=urban, description="路面\n坑洼")
    pothole = category_create(actor=None, code="URB-ROAD-HOLE", name_zh="坑洞", parent=road)
    rule_set(actor=None, category=road, area=city, lead_unit=roads, co_units=[street_office, government], note="主责")
    person = user_create(actor=None, username="wang", password=None)
    post_create(actor=None, user=person, unit=roads, title_zh="科长", title_en="Section chief", is_head=True)
    return {
        "city": city,
        "district": district,
        "street": street,
        "community": community,
        "roads": roads,
        "urban": urban,
        "pothole": pothole,
    }


def export(kind: str) -> str:
    out = io.StringIO()
    org_csv_export(kind=kind, out=out)
    return out.getvalue()


def test_export_then_import_changes_nothing(org: dict[str, Any]) -> None:
    records_before = AuditRecord.objects.count()
    for kind in KINDS:
        text = export(kind)
        assert len(text.splitlines()) > 1, kind
        result = org_csv_import(actor=None, kind=kind, source=text.encode())
        assert result.errors == [], kind
        assert (result.created, result.updated) == (0, 0), kind
        assert result.unchanged == result.rows > 0, kind
    assert AuditRecord.objects.count() == records_before


def test_export_writes_the_documented_columns(org: dict[str, Any]) -> None:
    lines = export("areas").splitlines()
    assert lines[0] == AREA_HEADER.strip()
    assert "310101001,310101,东街道,East Street,street,12345,,31.230416,121.473701" in lines
    assert export("rules").splitlines()[1] == "URB-ROAD,3101,ROADS,EST;GOV,主责"
    assert export("posts").splitlines()[1] == "wang,ROADS,科长,Section chief,true"


def test_children_listed_before_parents_are_imported(org: dict[str, Any]) -> None:
    text = (
        AREA_HEADER + "310102001001,310102001,西社区,,community,,,,\n"
        "310102001,310102,西街道,,street,,,,\n"
        "310102,3101,西区,West District,district,,,,\n"
    )
    result = org_csv_import(actor=None, kind="areas", source=text)
    assert result.errors == []
    assert result.created == 3
    community = Area.objects.get(code="310102001001")
    assert community.path == "3101/310102/310102001/310102001001/"
    assert (community.depth, community.level) == (3, 5)


def test_bad_rows_import_nothing_and_every_bad_line_is_reported(org: dict[str, Any]) -> None:
    text = (
        AREA_HEADER + "310102,3101,西区,,district,,,,\n"  # line 2: good
        "310103,NOPE,南区,,district,,,,\n"  # line 3: unknown parent
        "310104,3101,北区,,district,,,,\n"  # line 4: good
        "310105,3101,中区,,borough,,,,\n"  # line 5: unknown kind
        "310106,3101,新区,,district,,,,\n"  # line 6: good
        "310107,3101,老区,,district,lots,,,\n"  # line 7: bad number
    )
    areas_before = Area.objects.count()
    result = org_csv_import(actor=None, kind="areas", source=text)
    assert result.error_lines == [3, 5, 7]
    assert {(error.line, error.column) for error in result.errors} == {
        (3, "parent_code"),
        (5, "kind"),
        (7, "population"),
    }
    assert not result.written
    assert (result.created, result.updated) == (0, 0)
    assert Area.objects.count() == areas_before

    partial = org_csv_import(actor=None, kind="areas", source=text, partial=True)
    assert partial.error_lines == [3, 5, 7]
    assert partial.created == 3
    assert set(Area.objects.filter(code__in=["310102", "310104", "310106"]).values_list("code", flat=True)) == {
        "310102",
        "310104",
        "310106",
    }
    assert not Area.objects.filter(code__in=["310103", "310105", "310107"]).exists()


def test_partial_import_skips_the_rows_under_an_invalid_row(org: dict[str, Any]) -> None:
    text = (
        AREA_HEADER + "310102,3101,西区,,district,-5,,,\n"  # line 2: bad number
        "310102001,310102,西街道,,street,,,,\n"  # line 3: under line 2
        "310103,3101,南区,,district,,,,\n"  # line 4: good
    )
    strict = org_csv_import(actor=None, kind="areas", source=text)
    assert strict.error_lines == [2]
    partial = org_csv_import(actor=None, kind="areas", source=text, partial=True)
    assert partial.error_lines == [2, 3]
    assert partial.created == 1
    assert Area.objects.filter(code="310103").exists()
    assert not Area.objects.filter(code__in=["310102", "310102001"]).exists()


def test_a_file_with_a_byte_order_mark_is_read(org: dict[str, Any]) -> None:
    text = "code,parent_code,name_zh,name_en\r\nSAN,,环境卫生,Sanitation\r\nSAN-BIN,SAN,垃圾桶,Bins\r\n"
    result = org_csv_import(actor=None, kind="categories", source=codecs.BOM_UTF8 + text.encode())
    assert result.errors == []
    assert result.created == 2
    assert Category.objects.get(code="SAN-BIN").path == "SAN/SAN-BIN/"


def test_a_file_that_is_not_utf8_is_refused(org: dict[str, Any]) -> None:
    text = "code,parent_code,name_zh\r\nSAN,,环境卫生\r\n"
    result = org_csv_import(actor=None, kind="categories", source=text.encode("gb18030"))
    assert [(error.line, error.column) for error in result.errors] == [(2, "")]
    assert not Category.objects.filter(code="SAN").exists()


def test_unknown_and_missing_columns_are_reported_on_the_header(org: dict[str, Any]) -> None:
    result = org_csv_import(actor=None, kind="units", source="code,name_zh,kind,colour\nX,某,department,red\n")
    assert {(error.line, error.column) for error in result.errors} == {
        (1, "colour"),
        (1, "parent_code"),
        (1, "area_code"),
    }


def test_rule_with_an_unknown_unit_code_reports_its_line(org: dict[str, Any]) -> None:
    text = (
        "category_code,area_code,lead_unit_code,co_unit_codes,note\n"
        "URB,3101,GOV,,\n"
        "URB-ROAD-HOLE,310101,ROADS,EST;NOSUCH,\n"
        "URB-ROAD,3101,MISSING,,\n"
    )
    rules_before = ResponsibilityRule.objects.count()
    result = org_csv_import(actor=None, kind="rules", source=text)
    assert {(error.line, error.column) for error in result.errors} == {(3, "co_unit_codes"), (4, "lead_unit_code")}
    assert "NOSUCH" in next(error.message for error in result.errors if error.line == 3)
    assert ResponsibilityRule.objects.count() == rules_before


def test_rules_are_created_and_updated(org: dict[str, Any]) -> None:
    text = (
        "category_code,area_code,lead_unit_code,co_unit_codes,note\n"
        "URB,3101,GOV,ROADS,\n"  # new
        "URB-ROAD,3101,ROADS,EST,主责\n"  # GOV is no longer a co-unit
    )
    result = org_csv_import(actor=None, kind="rules", source=text)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    rule = ResponsibilityRule.objects.get(category__code="URB-ROAD")
    assert list(rule.co_units.values_list("code", flat=True)) == ["EST"]


def test_posts_with_an_unknown_username_are_reported(org: dict[str, Any]) -> None:
    text = "username,unit_code,title_zh,title_en,is_head\nwang,ROADS,副科长,,no\nnobody,ROADS,科员,,\n"
    result = org_csv_import(actor=None, kind="posts", source=text)
    assert [(error.line, error.column) for error in result.errors] == [(3, "username")]
    partial = org_csv_import(actor=None, kind="posts", source=text, partial=True)
    assert (partial.created, partial.updated) == (0, 1)
    post = Post.objects.get(user__username="wang")
    assert (post.title_zh, post.is_head) == ("副科长", False)
    assert AuditRecord.objects.filter(event="org.post.changed", target_id=str(post.pk)).exists()


def test_moving_a_node_by_import_rewrites_the_paths_below_it(org: dict[str, Any]) -> None:
    area_create(actor=None, code="3102", name_zh="另一市", kind="city")
    text = export("areas").replace("310101,3101,东区", "310101,3102,东区")
    result = org_csv_import(actor=None, kind="areas", source=text)
    assert result.errors == []
    assert (result.created, result.updated) == (0, 1)
    assert Area.objects.get(code="310101001").path == "3102/310101/310101001/"
    assert Area.objects.get(code="310101001001").path == "3102/310101/310101001/310101001001/"
    assert AuditRecord.objects.filter(event="org.area.moved", reason="csv import").count() == 1


def test_tree_errors_cycles_duplicates_and_depth(org: dict[str, Any]) -> None:
    text = (
        "code,parent_code,name_zh\n"
        "CYC-A,CYC-B,甲\n"  # line 2: with line 4, a cycle
        "NEW,,新\n"  # line 3: good
        "CYC-B,CYC-A,乙\n"  # line 4: the cycle
        "NEW,,新三\n"  # line 5: duplicate code
        "DEEP,URB-ROAD-HOLE,太深\n"  # line 6: a fourth level
    )
    result = org_csv_import(actor=None, kind="categories", source=text)
    assert result.error_lines == [2, 4, 5, 6]
    assert "CYC-A → CYC-B → CYC-A" in next(error.message for error in result.errors if error.line == 2)


def test_a_node_cannot_be_moved_under_its_own_descendant(org: dict[str, Any]) -> None:
    result = org_csv_import(actor=None, kind="categories", source="code,parent_code,name_zh\nURB,URB-ROAD-HOLE,城\n")
    assert [(error.line, error.column) for error in result.errors] == [(2, "parent_code")]
    assert "URB → URB-ROAD-HOLE → URB-ROAD → URB" in result.errors[0].message


def test_moving_a_category_too_deep_is_refused(org: dict[str, Any]) -> None:
    category_create(actor=None, code="ENV", name_zh="环境")
    result = org_csv_import(actor=None, kind="categories", source="code,parent_code,name_zh\nURB,ENV,城市管理\n")
    assert [(error.line, error.column) for error in result.errors] == [(2, "parent_code")]
    assert Category.objects.get(code="URB").parent is None


def test_an_area_kind_above_its_parent_is_refused(org: dict[str, Any]) -> None:
    result = org_csv_import(actor=None, kind="areas", source=AREA_HEADER + "X1,310101001,某区,,district,,,,\n")
    assert [(error.line, error.column) for error in result.errors] == [(2, "kind")]


def test_an_area_can_change_kind_and_parent_together(org: dict[str, Any]) -> None:
    text = export("areas").replace(
        "310101001,310101,东街道,East Street,street", "310101001,3101,东街道,East Street,district"
    )
    result = org_csv_import(actor=None, kind="areas", source=text)
    assert result.errors == []
    street = Area.objects.get(code="310101001")
    assert (street.kind, street.level, street.path) == ("district", 3, "3101/310101001/")
    assert Area.objects.get(code="310101001001").path == "3101/310101001/310101001001/"


def test_an_area_kind_may_not_pass_below_its_children(org: dict[str, Any]) -> None:
    street_as_grid = "310101001,310101,东街道,East Street,grid,12345,,31.230416,121.473701\n"
    result = org_csv_import(actor=None, kind="areas", source=AREA_HEADER + street_as_grid)
    assert [(error.line, error.column) for error in result.errors] == [(2, "kind")]
    assert "310101001001" in result.errors[0].message  # the community below it, not in the file
    whole = export("areas").replace("东街道,East Street,street", "东街道,East Street,grid")
    result = org_csv_import(actor=None, kind="areas", source=whole)
    assert [(error.line, error.column) for error in result.errors] == [(5, "kind")]  # the community's own row
    assert Area.objects.get(code="310101001").kind == "street"


def test_each_created_object_is_audited(org: dict[str, Any]) -> None:
    text = AREA_HEADER + "310102,3101,西区,,district,,,,\n310102001,310102,西街道,,street,,,,\n"
    org_csv_import(actor=None, kind="areas", source=text)
    units = "code,parent_code,name_zh,kind,area_code\nWEST,GOV,西区政府,government,310102\n"
    org_csv_import(actor=None, kind="units", source=units)
    for model, code, event in [
        (Area, "310102", "org.area.created"),
        (Area, "310102001", "org.area.created"),
        (Unit, "WEST", "org.unit.created"),
    ]:
        node = model._default_manager.get(code=code)
        assert AuditRecord.objects.filter(event=event, target_id=str(node.pk)).count() == 1


def test_an_update_is_audited_and_counted(org: dict[str, Any]) -> None:
    text = export("units").replace("市政局,Roads Bureau", "市政管理局,Roads Bureau")
    result = org_csv_import(actor=None, kind="units", source=text)
    assert (result.created, result.updated) == (0, 1)
    roads = Unit.objects.get(code="ROADS")
    assert roads.name_zh == "市政管理局"
    assert AuditRecord.objects.filter(event="org.unit.changed", target_id=str(roads.pk)).count() == 1


def test_dry_run_reports_without_writing(org: dict[str, Any]) -> None:
    records_before = AuditRecord.objects.count()
    result = org_csv_import(
        actor=None, kind="areas", source=AREA_HEADER + "310102,3101,西区,,district,,,,\n", dry_run=True
    )
    assert (result.created, result.written) == (1, False)
    assert not Area.objects.filter(code="310102").exists()
    assert AuditRecord.objects.count() == records_before


# --- the command ----------------------------------------------------------------------------------------------


def test_command_exits_1_and_prints_the_bad_lines(org: dict[str, Any], tmp_path) -> None:
    path = tmp_path / "areas.csv"
    path.write_text(
        encoding="utf-8", data=AREA_HEADER + "310102,3101,西区,,district,,,,\n310103,NOPE,南区,,district,,,,\n"
    )
    stderr, stdout = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        with translation.override("en"):
            call_command("org", "import", "areas", str(path), stdout=stdout, stderr=stderr)
    assert exit_info.value.code == 1
    assert "line 3, column parent_code:" in stderr.getvalue()
    assert "line 2" not in stderr.getvalue()
    assert not Area.objects.filter(code="310102").exists()

    with pytest.raises(SystemExit):
        call_command("org", "import", "areas", str(path), "--partial", stdout=stdout, stderr=io.StringIO())
    assert Area.objects.filter(code="310102").exists()


def test_command_round_trip_through_a_file(org: dict[str, Any], tmp_path) -> None:
    path = tmp_path / "units.csv"
    call_command("org", "export", "units", str(path), stdout=io.StringIO())
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    stdout = io.StringIO()
    call_command("org", "import", "units", str(path), stdout=stdout, stderr=io.StringIO())
    assert "0 created, 0 updated, 3 unchanged" in stdout.getvalue()


def test_command_dry_run_writes_nothing(org: dict[str, Any], tmp_path) -> None:
    path = tmp_path / "categories.csv"
    path.write_text("code,parent_code,name_zh\nENV,,环境\n", encoding="utf-8")
    stdout = io.StringIO()
    call_command("org", "import", "categories", str(path), "--dry-run", stdout=stdout, stderr=io.StringIO())
    assert "1 created" in stdout.getvalue()
    assert not Category.objects.filter(code="ENV").exists()


def test_command_exports_to_stdout(org: dict[str, Any]) -> None:
    stdout = io.StringIO()
    call_command("org", "export", "categories", stdout=stdout)
    assert stdout.getvalue().splitlines()[0] == "code,parent_code,name_zh,name_en,description"


# --- the admin ------------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser(username="root", email="root@example.org", password="x-Secret-123456")
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    client.user = user
    return client


def test_admin_changelist_links_to_import_and_export(org: dict[str, Any], admin_client) -> None:
    response = admin_client.get(reverse("admin:org_area_changelist"))
    assert response.status_code == 200
    assert reverse("admin:org_area_import_csv").encode() in response.content
    assert reverse("admin:org_area_export_csv").encode() in response.content


def test_admin_import_page_lists_the_errors_of_a_bad_file(org: dict[str, Any], admin_client) -> None:
    url = reverse("admin:org_area_import_csv")
    assert admin_client.get(url).status_code == 200
    bad = AREA_HEADER + "310102,3101,西区,,district,,,,\n310103,NOPE,南区,,district,,,,\n"
    response = admin_client.post(url, {"file": SimpleUploadedFile("areas.csv", bad.encode())})
    assert response.status_code == 200
    errors = response.context["result"].errors
    assert [(error.line, error.column) for error in errors] == [(3, "parent_code")]
    assert b'id="csv-errors"' in response.content
    assert b"<td>3</td>" in response.content
    assert not Area.objects.filter(code="310102").exists()


def test_admin_import_page_imports_a_good_file(org: dict[str, Any], admin_client) -> None:
    good = codecs.BOM_UTF8 + (AREA_HEADER + "310102,3101,西区,West,district,,,,\n").encode()
    response = admin_client.post(reverse("admin:org_area_import_csv"), {"file": SimpleUploadedFile("areas.csv", good)})
    assert response.status_code == 200
    assert response.context["result"].created == 1
    area = Area.objects.get(code="310102")
    assert area.path == "3101/310102/"
    record = AuditRecord.objects.get(event="org.area.created", target_id=str(area.pk))
    assert record.actor_id == admin_client.user.pk


def test_admin_export_downloads_the_csv(org: dict[str, Any], admin_client) -> None:
    response = admin_client.get(reverse("admin:org_responsibilityrule_export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[1] == "URB-ROAD,3101,ROADS,EST;GOV,主责"


def test_admin_form_places_a_new_area(org: dict[str, Any], admin_client) -> None:
    city = org["city"]
    response = admin_client.post(
        reverse("admin:org_area_add"),
        {"code": "310109", "name_zh": "新区", "name_en": "", "kind": "district", "parent": city.pk, "is_active": "on"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    area = Area.objects.get(code="310109")
    assert (area.path, area.depth, area.level) == ("3101/310109/", 1, 3)
    assert AuditRecord.objects.filter(event="org.area.created", target_id=str(area.pk)).exists()


def test_admin_form_moves_a_subtree_when_the_parent_changes(org: dict[str, Any], admin_client) -> None:
    other = area_create(actor=None, code="3102", name_zh="另一市", kind="city")
    district = org["district"]
    response = admin_client.post(
        reverse("admin:org_area_change", args=[district.pk]),
        {"name_zh": "东区(新)", "name_en": "East", "kind": "district", "parent": other.pk, "is_active": "on"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    district.refresh_from_db()
    assert (district.name_zh, district.path) == ("东区(新)", "3102/310101/")
    assert Area.objects.get(code="310101001001").path == "3102/310101/310101001/310101001001/"
    assert AuditRecord.objects.filter(event="org.area.moved", target_id=str(district.pk)).exists()
    assert AuditRecord.objects.filter(event="org.area.changed", target_id=str(district.pk)).exists()


def test_admin_form_refuses_a_placement_against_the_tree_rules(org: dict[str, Any], admin_client) -> None:
    street = org["street"]
    response = admin_client.post(
        reverse("admin:org_area_add"),
        {"code": "X9", "name_zh": "错", "name_en": "", "kind": "district", "parent": street.pk, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Area.objects.filter(code="X9").exists()


def test_a_nul_character_is_reported_on_its_line(org: dict[str, Any]) -> None:
    text = AREA_HEADER + "310102,3101,西区,,district,,,,\n310103,3101,南\x00区,,district,,,,\n"
    result = org_csv_import(actor=None, kind="areas", source=text)
    assert [(error.line, error.column) for error in result.errors] == [(3, "name_zh")]
    assert not Area.objects.filter(code__in=["310102", "310103"]).exists()


def test_names_that_look_like_formulas_are_exported_as_text_and_read_back(org: dict[str, Any]) -> None:
    area_create(
        actor=None,
        code="310199",
        name_zh='=HYPERLINK("x")',
        name_en="-East",
        kind="district",
        parent=Area.objects.get(code="3101"),
    )
    text = export("areas")
    assert "'=HYPERLINK" in text and ",'-East," in text
    result = org_csv_import(actor=None, kind="areas", source=text.encode())
    assert result.errors == [] and result.updated == 0
    assert Area.objects.get(code="310199").name_zh == '=HYPERLINK("x")'
