"""``massline seed --appeals N`` fills an empty database with the demo city and N generated appeals, as a load
test needs it, on SQLite and PostgreSQL alike (COPY there)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from massline.accounts.models import User
from massline.appeals.models import Appeal, AppealContact, AppealEvent
from massline.appeals.transitions import Group
from massline.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


def test_seed_appeals_generates_that_many_in_every_group() -> None:
    out = io.StringIO()
    call_command("seed", appeals=400, stdout=out, stderr=io.StringIO())
    assert Appeal.objects.count() == 400
    assert User.objects.filter(username="dispatcher").exists()  # the staff a load test signs in as
    groups = set(Appeal.objects.values_list("state_group", flat=True))
    assert {Group.OPEN, Group.CLOSED} <= groups
    assert AppealEvent.objects.count() > 400 and AppealContact.objects.exists()
    assert not AuditRecord.objects.filter(target_type="appeals.appeal").exists()  # generated, not served
    assert "generated 400 appeals" in out.getvalue()
    # Running it again adds as many more, with fresh tracking codes.
    call_command("seed", appeals=100, stdout=io.StringIO(), stderr=io.StringIO())
    assert Appeal.objects.count() == 500
    assert Appeal.objects.values("tracking_code").distinct().count() == 500


def test_seed_appeals_refuses_a_count_below_one() -> None:
    errors = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("seed", appeals=0, stdout=io.StringIO(), stderr=errors)
    assert exit_.value.code == 2 and "--appeals" in errors.getvalue()
    assert not Appeal.objects.exists()
