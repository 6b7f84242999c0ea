"""E-mail intake from a directory of real .eml files: an RFC 2047 Chinese subject, a GB2312 text part, an image
attachment, an HTML-only message in Big5 with a refused attachment, a message that cannot become an appeal;
reading the same message twice never makes a second appeal.

The IMAP path (``intake_imap``) is not exercised here: no IMAP server can be started without the network in
the test environment, and a hand-written imitation would only test itself."""

import base64
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from PIL import Image

from massline.appeals.choices import Channel
from massline.appeals.mail_intake import mail_intake_configured, mail_parse, mail_submit
from massline.appeals.models import Appeal, AppealContact
from massline.appeals.tasks import mail_intake
from massline.appeals.transitions import Action, State
from massline.core import periodic

pytestmark = pytest.mark.django_db
SUBJECT = "和平路有个大坑"
BODY = "和平路与东风路口有一个很深的坑，已经有电动车摔倒。请尽快修补。"


def rfc2047(text: str) -> str:
    return f"=?utf-8?b?{base64.b64encode(text.encode()).decode()}?="


def b64_lines(data: bytes) -> str:
    encoded = base64.b64encode(data).decode()
    return "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def pothole_mail(message_id: str = "<pothole-1@mail.example.org>") -> bytes:
    """A multipart message as a mail client writes it: the subject in RFC 2047, the text in GB2312."""
    return f"""From: {rfc2047("王女士")} <wang@example.org>
To: 12345@city.example.gov.cn
Subject: {rfc2047(SUBJECT)}
Date: Mon, 02 Mar 2026 09:00:00 +0800
Message-ID: {message_id}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="==BOUNDARY=="

--==BOUNDARY==
Content-Type: text/plain; charset="gb2312"
Content-Transfer-Encoding: base64

{b64_lines(BODY.encode("gb2312"))}
--==BOUNDARY==
Content-Type: image/png; name="pothole.png"
Content-Disposition: attachment; filename="pothole.png"
Content-Transfer-Encoding: base64

{b64_lines(png_bytes())}
--==BOUNDARY==--
""".replace("\n", "\r\n").encode("ascii")


def html_mail() -> bytes:
    """No text part, only HTML in Big5; an attachment that is not a photo or a PDF."""
    html = "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body><p>路燈不亮</p><p>已經一週了&amp;沒人修</p></body></html>"
    return f"""From: Chen <chen@example.org>
To: 12345@city.example.gov.cn
Subject: =?big5?b?{base64.b64encode("路燈壞了".encode("big5")).decode()}?=
Message-ID: <lamp-7@mail.example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XYZ"

--XYZ
Content-Type: text/html; charset="big5"
Content-Transfer-Encoding: base64

{b64_lines(html.encode("big5"))}
--XYZ
Content-Type: application/octet-stream; name="setup.exe"
Content-Disposition: attachment; filename="setup.exe"
Content-Transfer-Encoding: base64

{b64_lines(b"MZ" + bytes(200))}
--XYZ--
""".replace("\n", "\r\n").encode("ascii")


def empty_mail() -> bytes:
    return b"From: nobody@example.org\r\nMessage-ID: <empty-1@example.org>\r\nSubject: \r\n\r\n\r\n"


def test_parsing_decodes_the_subject_the_charset_and_the_parts() -> None:
    parsed = mail_parse(pothole_mail())
    assert parsed.subject == SUBJECT and parsed.text == BODY
    assert (parsed.sender_name, parsed.sender_email) == ("王女士", "wang@example.org")
    assert [name for name, _content in parsed.files] == ["pothole.png"]
    lamp = mail_parse(html_mail())
    assert lamp.subject == "路燈壞了"
    assert lamp.text == "路燈不亮\n\n已經一週了&沒人修"
    assert "alert" not in lamp.text and "color" not in lamp.text and "<p>" not in lamp.text


def test_a_directory_of_messages_becomes_appeals(tmp_path: Path) -> None:
    (tmp_path / "01-pothole.eml").write_bytes(pothole_mail())
    (tmp_path / "02-lamp.eml").write_bytes(html_mail())
    (tmp_path / "03-empty.eml").write_bytes(empty_mail())
    (tmp_path / "notes.txt").write_text("not a message")

    out = io.StringIO()
    call_command("mailintake", "--dir", str(tmp_path), stdout=out, stderr=io.StringIO())
    assert "created 2, already known 0, failed 1" in out.getvalue()

    pothole = Appeal.objects.get(title=SUBJECT)
    assert pothole.channel == Channel.EMAIL and pothole.description == BODY and pothole.state == State.RECEIVED
    assert AppealContact.objects.get(appeal=pothole).email == "wang@example.org"
    photo = pothole.attachments.get()
    assert (photo.original_name, photo.content_type) == ("pothole.png", "image/png")

    lamp = Appeal.objects.get(title="路燈壞了")
    assert "路燈不亮" in lamp.description and "<" not in lamp.description
    assert not lamp.attachments.exists()
    note = lamp.events.get(action=Action.NOTE)  # the refusal is on the appeal, for the staff
    assert "setup.exe" in note.note and note.public_message == ""

    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["01-pothole.eml", "02-lamp.eml"]
    failed = sorted(p.name for p in (tmp_path / "failed").iterdir())
    assert failed == ["03-empty.eml", "03-empty.eml.reason.txt"]
    assert "ValidationFailed" in (tmp_path / "failed" / "03-empty.eml.reason.txt").read_text()
    assert (tmp_path / "notes.txt").exists() and Appeal.objects.count() == 2


def test_reading_the_same_message_twice_makes_one_appeal(tmp_path: Path) -> None:
    first = mail_submit(pothole_mail())
    again = mail_submit(pothole_mail())
    assert first.created and not again.created and again.appeal.pk == first.appeal.pk

    (tmp_path / "copy.eml").write_bytes(pothole_mail())  # the same Message-ID, delivered once more
    out = io.StringIO()
    call_command("mailintake", "--dir", str(tmp_path), stdout=out)
    assert "created 0, already known 1, failed 0" in out.getvalue()
    assert Appeal.objects.count() == 1 and first.appeal.attachments.count() == 1
    assert mail_submit(pothole_mail("<another-message@mail.example.org>")).created  # a new message is new


def test_a_message_without_message_id_is_known_by_its_bytes() -> None:
    raw = pothole_mail().replace(b"Message-ID: <pothole-1@mail.example.org>\r\n", b"")
    assert b"Message-ID" not in raw
    assert mail_submit(raw).created and not mail_submit(raw).created
    assert Appeal.objects.count() == 1


def test_the_periodic_job_runs_only_when_configured(tmp_path: Path) -> None:
    assert not mail_intake_configured()
    with pytest.raises(Exception, match="No mailbox configured"):
        call_command("mailintake")
    (tmp_path / "m.eml").write_bytes(pothole_mail())
    with override_settings(MASSLINE_MAIL_INTAKE_DIR=str(tmp_path)):
        assert mail_intake_configured()
        from massline.appeals.tasks import _register_mail_intake

        _register_mail_intake()
        try:
            assert periodic.registered_jobs()["appeals.mail_intake"].task is mail_intake
        finally:
            periodic._jobs.pop("appeals.mail_intake", None)
        result = mail_intake.enqueue()
    assert result.return_value == {"created": 1, "duplicates": 0, "failed": 0}
    assert Appeal.objects.get().channel == Channel.EMAIL
