"""Putting residents on the register from the committee's CSV file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from massline.consultations.models import Resident, identity_digest

from .conftest import Village

pytestmark = pytest.mark.django_db


def test_the_register_imports_keeps_no_identity_numbers_and_reports_bad_lines(
    village: Village, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = Resident.objects.count()
    source = tmp_path / "register.csv"
    source.write_text(
        "name,id_number,household,adult,representative,phone\n"
        "王五,110101199001011111,H20,1,0,13800000020\n"
        "赵六,110101199001011112,H20,0,,\n"
        "王五,110101199001011111,H21,1,0,\n"  # the same identity number again
        ",110101199001011113,H22,1,0,\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as exit_:
        call_command("residents", "import", village.committee.code, str(source), "--as", village.clerk.username)
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert "2 residents registered, 2 refused" in out
    assert "line 4:" in err and "line 5:" in err
    assert Resident.objects.count() == before + 2
    child = Resident.objects.get(name="赵六")
    assert child.is_adult is False and child.id_digest == identity_digest("110101199001011112")
    assert not Resident.objects.filter(id_digest__contains="110101").exists()
