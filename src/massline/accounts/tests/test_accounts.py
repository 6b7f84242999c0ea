"""Sign-in, lockout, two-factor for the roles that need it, and scoping of what each person can see."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from massline.accounts.models import User
from massline.accounts.permissions import scope_for
from massline.accounts.web.forms import LoginForm
from massline.audit.models import AuditRecord
from massline.core.testing import verify_two_factor
from massline.org import selectors
from massline.org.services import post_create

pytestmark = pytest.mark.django_db


def _token(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_passwords_are_hashed_with_argon2(make_person) -> None:  # type: ignore[no-untyped-def]
    person = make_person("handler")
    assert User.objects.get(pk=person.pk).password.startswith("argon2")


def test_sign_in_with_a_wrong_password_says_so_in_chinese(client, make_person) -> None:  # type: ignore[no-untyped-def]
    make_person("handler", username="zhang")
    response = client.post(
        reverse("accounts:login"), {"username": "zhang", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    message = LoginForm.error_messages["invalid_login"]
    with translation.override("en"):
        english = str(message)
    with translation.override("zh-hans"):
        chinese = str(message)
    assert chinese != english and "密码" in chinese
    assert chinese in response.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password(client, make_person) -> None:  # type: ignore[no-untyped-def]
    make_person("handler", username="li")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "li", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "li", "password": "correct-horse-42"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_handler_signs_in_without_two_factor(client, make_person, small_city) -> None:  # type: ignore[no-untyped-def]
    make_person("handler", unit=small_city.urban_bureau, username="wang")
    response = client.post(reverse("accounts:login"), {"username": "wang", "password": "correct-horse-42"})
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200


def test_an_inspector_must_set_up_and_use_two_factor(client, make_person, small_city) -> None:  # type: ignore[no-untyped-def]
    inspector = make_person("inspector", area=small_city.city, username="zhao")
    client.post(reverse("accounts:login"), {"username": "zhao", "password": "correct-horse-42"})
    home = reverse("accounts:home")
    response = client.get(home)
    assert response.status_code == 302 and reverse("accounts:two_factor_verify") in response["Location"]
    response = client.get(response["Location"])
    assert response.status_code == 302 and reverse("accounts:two_factor_setup") in response["Location"]
    setup = client.get(response["Location"])
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=inspector, confirmed=False)
    wrong = client.post(
        reverse("accounts:two_factor_setup"), {"token": "000000" if _token(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    throttled = client.post(reverse("accounts:two_factor_setup"), {"token": _token(device)})
    assert throttled.status_code == 200  # right away after a wrong code: wait first
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    with time_machine.travel(dt.timedelta(seconds=5)):
        device.refresh_from_db()
        response = client.post(reverse("accounts:two_factor_setup") + f"?next={home}", {"token": _token(device)})
    assert response.status_code == 302 and response["Location"] == home
    assert client.get(home).status_code == 200
    assert AuditRecord.objects.filter(event="accounts.two_factor.enabled", target_id=str(inspector.pk)).exists()


def test_a_new_session_must_verify_again(client, make_person, small_city) -> None:  # type: ignore[no-untyped-def]
    admin = make_person("administrator", username="admin1")
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client.post(reverse("accounts:login"), {"username": "admin1", "password": "correct-horse-42"})
    assert client.get(reverse("admin:index")).status_code == 302
    bad = client.post(reverse("accounts:two_factor_verify"), {"token": "12x456"})
    assert re.search(r"six digits|六位", bad.content.decode())
    response = client.post(reverse("accounts:two_factor_verify") + "?next=/admin/", {"token": _token(device)})
    assert response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_next_cannot_send_people_to_another_site(client, make_person) -> None:  # type: ignore[no-untyped-def]
    admin = make_person("administrator", username="admin2")
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client.force_login(admin)
    response = client.post(
        reverse("accounts:two_factor_verify") + "?next=https://evil.example/", {"token": _token(device)}
    )
    assert response["Location"] == reverse("accounts:home")


def test_scopes_follow_units_and_areas(make_person, small_city) -> None:  # type: ignore[no-untyped-def]
    c = small_city
    platform_admin = make_person("administrator")
    district_admin = make_person("administrator", area=c.district_a)
    handler = make_person("handler", unit=c.district_a_bureau)
    citizen = make_person("citizen")
    assert scope_for(platform_admin).everything
    assert not scope_for(district_admin).everything
    assert scope_for(citizen).is_empty

    district_units = set(selectors.unit_list(user=district_admin).values_list("code", flat=True))
    assert district_units == {"U-D1", "U-D1-URBAN", "U-S1"}
    assert set(selectors.unit_list(user=handler).values_list("code", flat=True)) == {"U-D1-URBAN"}
    assert not selectors.unit_list(user=citizen).exists()
    assert selectors.unit_list(user=platform_admin).count() == 7


def test_staff_posts_are_visible_only_within_scope(make_person, small_city) -> None:  # type: ignore[no-untyped-def]
    c = small_city
    east_handler = make_person("handler", unit=c.district_a_bureau)
    west_leader = make_person("unit_leader", unit=c.district_b_gov)
    post_create(actor=None, user=east_handler, unit=c.district_a_bureau, title_zh="科员", title_en="Clerk")
    post_create(
        actor=None, user=west_leader, unit=c.district_b_gov, title_zh="区长", title_en="District head", is_head=True
    )
    east_admin = make_person("administrator", area=c.district_a)
    assert [p.title_en for p in selectors.post_list(user=east_admin)] == ["Clerk"]
    assert [p.title_en for p in selectors.post_list(user=west_leader)] == ["District head"]


def test_the_audit_ledger_page_looks_like_not_found_to_a_handler(client, make_person, small_city) -> None:  # type: ignore[no-untyped-def]
    handler = make_person("handler", unit=small_city.urban_bureau)
    client.force_login(handler)
    assert client.get(reverse("audit:records")).status_code == 404
    inspector = make_person("inspector", area=small_city.city)
    verify_two_factor(client, inspector)
    page = client.get(reverse("audit:records"))
    assert page.status_code == 200
    assert "accounts.role.granted" in page.content.decode()


def test_granting_a_role_is_audited(make_person, small_city) -> None:  # type: ignore[no-untyped-def]
    person = make_person("mediator", area=small_city.street_a)
    record = AuditRecord.objects.filter(event="accounts.role.granted", target_id=str(person.pk)).get()
    assert record.after == {"role": "mediator", "unit": None, "area": "T0101001"}


def test_a_second_device_cannot_stand_in_for_the_first(client, make_person, small_city) -> None:  # type: ignore[no-untyped-def]
    """Someone who knows only an inspector's password cannot enrol a new authenticator to skip the code."""
    inspector = make_person("inspector", area=small_city.city, username="qian")
    TOTPDevice.objects.create(user=inspector, name="phone", confirmed=True)
    client.post(reverse("accounts:login"), {"username": "qian", "password": "correct-horse-42"})
    for response in (
        client.get(reverse("accounts:two_factor_setup")),
        client.post(reverse("accounts:two_factor_setup"), {"token": "123456"}),
    ):
        assert response.status_code == 302
        assert reverse("accounts:two_factor_verify") in response["Location"]
    assert TOTPDevice.objects.filter(user=inspector).count() == 1
    assert client.get(reverse("audit:records")).status_code == 302


def test_next_keeps_its_query_string(client, make_person) -> None:  # type: ignore[no-untyped-def]
    admin = make_person("administrator", username="admin3")
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client.force_login(admin)
    response = client.get("/admin/org/unit/?kind=department&o=1")
    assert response.status_code == 302
    assert "next=%2Fadmin%2Forg%2Funit%2F%3Fkind%3Ddepartment%26o%3D1" in response["Location"]


def test_a_district_administrator_cannot_manage_accounts(client, make_person, small_city) -> None:  # type: ignore[no-untyped-def]
    district_admin = make_person("administrator", area=small_city.district_a)
    platform_admin = make_person("administrator")
    verify_two_factor(client, district_admin)
    for url in (
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[platform_admin.pk]),
        f"/admin/accounts/user/{platform_admin.pk}/password/",
        "/admin/otp_totp/totpdevice/",
        reverse("audit:records"),
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.get(reverse("admin:org_unit_changelist")).status_code == 200


def test_role_changes_and_password_resets_in_the_admin_are_audited(client, make_person, small_city) -> None:  # type: ignore[no-untyped-def]
    platform_admin = make_person("administrator")
    person = make_person(None, username="sun")
    verify_two_factor(client, platform_admin)
    url = reverse("admin:accounts_user_change", args=[person.pk])
    response = client.post(
        url,
        {
            "username": "sun",
            "display_name": "孙",
            "first_name": "",
            "last_name": "",
            "email": "",
            "phone": "",
            "preferred_language": "",
            "is_active": "on",
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-INITIAL_FORMS": "0",
            "role_assignments-MIN_NUM_FORMS": "0",
            "role_assignments-MAX_NUM_FORMS": "1000",
            "role_assignments-0-role": "administrator",
            "role_assignments-0-unit": "",
            "role_assignments-0-area": str(small_city.district_b.pk),
            "role_assignments-0-user": str(person.pk),
            "role_assignments-0-id": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert person.is_staff  # administrators open the admin
    granted = AuditRecord.objects.get(event="accounts.roleassignment.created", actor_id=platform_admin.pk)
    assert granted.after["role"] == "administrator" and granted.after["area"] == small_city.district_b.pk
    response = client.post(
        f"/admin/accounts/user/{person.pk}/password/",
        {"password1": "a-new-long-passphrase-9", "password2": "a-new-long-passphrase-9", "usable_password": "true"},
    )
    assert response.status_code == 302
    record = AuditRecord.objects.get(event="accounts.user.password_set")
    assert record.actor_id == platform_admin.pk and record.target_id == str(person.pk)
    assert "passphrase" not in str(record.after) + str(record.before)


def test_staff_who_turn_two_factor_on_are_asked_for_the_code(client, make_person, small_city) -> None:  # type: ignore[no-untyped-def]
    handler = make_person("handler", unit=small_city.urban_bureau, username="zhou")
    client.post(reverse("accounts:login"), {"username": "zhou", "password": "correct-horse-42"})
    assert client.get(reverse("accounts:home")).status_code == 200  # optional for handlers
    TOTPDevice.objects.create(user=handler, name="phone", confirmed=True)
    client.logout()
    client.post(reverse("accounts:login"), {"username": "zhou", "password": "correct-horse-42"})
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and reverse("accounts:two_factor_verify") in response["Location"]
