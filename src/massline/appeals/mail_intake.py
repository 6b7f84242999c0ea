"""E-mail intake: an adapter at the edge (STYLE.md §7). It reads messages from an IMAP mailbox or from a
directory of ``.eml`` files, translates each into ``appeal_submit(channel=e-mail)`` and holds no rule of its
own: the subject becomes the title, the text part the description (the HTML part, stripped, when there is no
text part), the sender the contact e-mail, the attached files go through ``attachments_check``.

- The idempotency key is made from the Message-ID (or, without one, from the message's bytes), so reading the
  same message twice never creates a second appeal.
- A refused attachment never loses the message: the appeal is created and the refusal noted on it.
- The original message is never deleted: files move to ``done/`` or ``failed/`` (with a ``.reason.txt``);
  IMAP messages are marked seen, and failed ones flagged, in their folder."""

from __future__ import annotations

import contextlib
import email
import hashlib
import imaplib
import logging
import re
import shutil
import ssl
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from massline.core.errors import ValidationFailed

from .attachments import CheckedFile, attachments_check, max_files
from .choices import AppealKind, Channel
from .services import ContactInput, appeal_submit
from .services.intake import MAX_DESCRIPTION
from .services.mail import appeal_intake_note

logger = logging.getLogger(__name__)

# An e-mail does not say which kind of request it is; the dispatcher sees it like any other.
MAIL_KIND = AppealKind.HELP
MAX_TITLE = 200
# Declared GB2312 is very often GBK or GB18030 in practice; GB18030 decodes all three.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


@dataclass(frozen=True)
class MailSettings:
    host: str = ""
    port: int = 993
    user: str = ""
    password: str = ""
    folder: str = "INBOX"
    use_ssl: bool = True
    directory: str = ""


def mail_settings() -> MailSettings:
    return MailSettings(
        host=getattr(settings, "MASSLINE_MAIL_INTAKE_HOST", ""),
        port=int(getattr(settings, "MASSLINE_MAIL_INTAKE_PORT", 993)),
        user=getattr(settings, "MASSLINE_MAIL_INTAKE_USER", ""),
        password=getattr(settings, "MASSLINE_MAIL_INTAKE_PASSWORD", ""),
        folder=getattr(settings, "MASSLINE_MAIL_INTAKE_FOLDER", "INBOX") or "INBOX",
        use_ssl=bool(getattr(settings, "MASSLINE_MAIL_INTAKE_SSL", True)),
        directory=str(getattr(settings, "MASSLINE_MAIL_INTAKE_DIR", "") or ""),
    )


def mail_intake_configured() -> bool:
    config = mail_settings()
    return bool(config.host or config.directory)


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    subject: str
    sender_name: str
    sender_email: str
    text: str
    files: list[tuple[str, bytes]]


@dataclass(frozen=True)
class MailResult:
    appeal: Any
    created: bool
    refused: list[str]


@dataclass
class IntakeReport:
    created: int = 0
    duplicates: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "duplicates": self.duplicates, "failed": self.failed}

    def add(self, result: MailResult) -> None:
        if result.created:
            self.created += 1
        else:
            self.duplicates += 1


class _TextExtractor(HTMLParser):
    """The visible text of an HTML part: no scripts or styles, line breaks where blocks end."""

    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = "".join(extractor.parts)
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _decoded_text(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(payload or "")
    charset = (part.get_content_charset() or "utf-8").lower()
    charset = _CHARSET_ALIASES.get(charset, charset)
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("utf-8", errors="replace")


def mail_parse(raw: bytes) -> ParsedMail:
    """Read one RFC 5322 message (RFC 2047 headers, any charset, MIME parts)."""
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    subject = " ".join(str(message.get("Subject", "") or "").split())
    sender_name = sender_email = ""
    try:
        sender = message.get("From")
        addresses = getattr(sender, "addresses", ()) if sender is not None else ()
    except (IndexError, ValueError, TypeError):  # a malformed From header
        addresses = ()
    if addresses:
        sender_name, sender_email = addresses[0].display_name or "", addresses[0].addr_spec or ""
    text = ""
    body = message.get_body(preferencelist=("plain",))
    if body is not None:
        text = _decoded_text(body)  # type: ignore[arg-type]
    else:
        html = message.get_body(preferencelist=("html",))
        if html is not None:
            text = html_to_text(_decoded_text(html))  # type: ignore[arg-type]
    files = []
    for part in message.iter_attachments():
        content = part.get_payload(decode=True)
        if isinstance(content, bytes):
            files.append((part.get_filename() or _("attachment"), content))
    return ParsedMail(
        message_id=str(message.get("Message-ID", "") or "").strip(),
        subject=subject,
        sender_name=sender_name,
        sender_email=sender_email,
        text=text.replace("\r\n", "\n").strip(),
        files=files,
    )


def idempotency_key_for(parsed: ParsedMail, raw: bytes) -> str:
    """The same message read twice gives the same key. The Message-ID is chosen by the sender, so it is
    combined with the sender and the text: a reused or forged Message-ID never hides a different e-mail."""
    if parsed.message_id:
        basis = "\n".join((parsed.message_id, parsed.sender_email, parsed.subject, parsed.text))
        return "email:" + hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()
    return "email-bytes:" + hashlib.sha256(raw).hexdigest()


def _checked_files(files: list[tuple[str, bytes]]) -> tuple[list[CheckedFile], list[str]]:
    checked: list[CheckedFile] = []
    refused: list[str] = []
    for name, content in files:
        if len(checked) >= max_files():
            refused.append(_("“%(name)s”: at most %(max)d files can be attached.") % {"name": name, "max": max_files()})
            continue
        try:
            checked += attachments_check([ContentFile(content, name=name)])
        except ValidationFailed as error:
            refused.append(str(error.message))
    return checked, refused


def mail_submit(raw: bytes) -> MailResult:
    """Turn one message into an appeal (or find the one it already became)."""
    parsed = mail_parse(raw)
    title = parsed.subject or parsed.text.split("\n", 1)[0].strip()
    description = parsed.text or parsed.subject
    notes: list[str] = []
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1] + "…"
    if len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 1] + "…"
        notes.append(
            _("The e-mail was longer than %(max)d characters; the full text is kept with the original message.")
            % {"max": MAX_DESCRIPTION}
        )
    checked, refused = _checked_files(parsed.files)
    notes += [_("An attachment of the e-mail was not accepted: %(reason)s") % {"reason": reason} for reason in refused]
    with transaction.atomic():
        result = appeal_submit(
            actor=None,
            kind=MAIL_KIND,
            channel=Channel.EMAIL,
            title=title,
            description=description,
            contact=ContactInput(name=parsed.sender_name[:100], email=parsed.sender_email[:254]),
            attachments=checked,
            idempotency_key=idempotency_key_for(parsed, raw),
        )
        if result.created and notes:
            appeal_intake_note(appeal=result.appeal, text="\n".join(notes))
    return MailResult(result.appeal, result.created, refused)


def _move(path: Path, folder: str) -> Path:
    target_dir = path.parent / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    counter = 1
    while target.exists():
        target = target_dir / f"{path.stem}.{counter}{path.suffix}"
        counter += 1
    shutil.move(str(path), str(target))
    return target


def intake_directory(directory: str | Path) -> IntakeReport:
    """Read every ``*.eml`` file in ``directory``; move each to ``done/`` or, with the reason, to ``failed/``."""
    report = IntakeReport()
    folder = Path(directory)
    for path in sorted(folder.glob("*.eml")):
        try:
            raw = path.read_bytes()
        except FileNotFoundError:  # another worker took it
            continue
        try:
            result = mail_submit(raw)
        except DatabaseError:
            # The database is busy or down: leave the file where it is, to be read again on the next pass.
            logger.warning("mail intake: %s left for the next pass", path.name, exc_info=True)
            report.failed += 1
            continue
        except Exception as error:  # noqa: BLE001 - any other failure parks the file with its reason
            reason = f"{type(error).__name__}: {getattr(error, 'message', error)}"
            logger.warning("mail intake: %s failed: %s", path.name, reason, exc_info=True)
            try:
                moved = _move(path, "failed")
            except FileNotFoundError:
                continue
            moved.with_name(moved.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
            report.failed += 1
            report.failures.append(f"{path.name}: {reason}")
            continue
        report.add(result)
        try:
            _move(path, "done")
        except FileNotFoundError:
            continue
        logger.info("mail intake: %s -> %s", path.name, result.appeal.tracking_code)
    return report


def _imap_connect(config: MailSettings) -> imaplib.IMAP4:
    if config.use_ssl:
        return imaplib.IMAP4_SSL(config.host, config.port, ssl_context=ssl.create_default_context())
    connection = imaplib.IMAP4(config.host, config.port)
    if "STARTTLS" in connection.capabilities:
        connection.starttls(ssl_context=ssl.create_default_context())
    return connection


def intake_imap(config: MailSettings) -> IntakeReport:
    """Read the unseen messages of the configured folder; mark each seen, and flag the ones that failed."""
    report = IntakeReport()
    connection = _imap_connect(config)
    try:
        connection.login(config.user, config.password)
        status, _data = connection.select(config.folder)
        if status != "OK":
            raise RuntimeError(f"IMAP folder {config.folder!r} cannot be selected")
        status, found = connection.uid("SEARCH", None, "UNSEEN")  # type: ignore[arg-type]
        for uid in (found[0] or b"").split() if status == "OK" else []:
            status, fetched = connection.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
            raw = next((item[1] for item in fetched or [] if isinstance(item, tuple)), None)
            if status != "OK" or not isinstance(raw, bytes):
                continue
            try:
                result = mail_submit(raw)
            except DatabaseError:
                # The database is busy or down: the message stays unseen and is read again on the next pass.
                logger.warning("mail intake: IMAP message %s left for the next pass", uid.decode(), exc_info=True)
                report.failed += 1
                continue
            except Exception as error:  # noqa: BLE001 - any other failure flags the message with its reason
                reason = f"{type(error).__name__}: {getattr(error, 'message', error)}"
                logger.warning("mail intake: IMAP message %s failed: %s", uid.decode(), reason, exc_info=True)
                connection.uid("STORE", uid.decode(), "+FLAGS", "(\\Seen \\Flagged)")
                report.failed += 1
                report.failures.append(f"{uid.decode()}: {reason}")
                continue
            report.add(result)
            connection.uid("STORE", uid.decode(), "+FLAGS", "(\\Seen)")
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            connection.logout()
    return report


def mail_intake_run(directory: str | Path | None = None) -> IntakeReport:
    """Read the directory given (or configured), then the IMAP mailbox if one is configured."""
    config = mail_settings()
    report = IntakeReport()
    folder = directory or config.directory
    sources: list[IntakeReport] = []
    if folder:
        sources.append(intake_directory(folder))
    if config.host and directory is None:
        sources.append(intake_imap(config))
    for part in sources:
        report.created += part.created
        report.duplicates += part.duplicates
        report.failed += part.failed
        report.failures += part.failures
    return report
