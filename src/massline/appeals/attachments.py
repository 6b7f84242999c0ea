"""Checking files before they are stored. The type is read from the content, never from the name or the
browser's word; the size is bounded; images are re-encoded, which drops EXIF data such as the GPS position a
phone writes into a photo. Only what passes is stored, under a name made from its content hash."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from massline.core import clock
from massline.core.errors import ValidationFailed

# (magic bytes, content type, extension); checked in order.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)
_IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; larger images are refused rather than decoded


def max_bytes() -> int:
    return int(getattr(settings, "MASSLINE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def max_files() -> int:
    return int(getattr(settings, "MASSLINE_UPLOAD_MAX_FILES", 5))


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    content: bytes
    content_type: str
    extension: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in _SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def _reencode(content: bytes, content_type: str, name: str) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationFailed(
                    _("“%(name)s” is too large an image.") % {"name": name}, field="attachments", code="too_large"
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
            if content_type == "image/jpeg" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            out = io.BytesIO()
            upright.save(
                out, format=_IMAGE_FORMATS[content_type], **({"quality": 88} if content_type == "image/jpeg" else {})
            )
            return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationFailed(
            _("“%(name)s” is damaged or not a real image.") % {"name": name}, field="attachments", code="bad_file"
        ) from None


def attachment_check(upload: Any) -> CheckedFile:
    """Check one uploaded file (a Django ``UploadedFile`` or anything with ``name`` and ``read``): JPEG, PNG or
    PDF by content, at most ``MASSLINE_UPLOAD_MAX_BYTES``. Raises ``ValidationFailed`` naming the file."""
    name = (getattr(upload, "name", "") or "file")[-200:]
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_big(name, limit)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _too_big(name, limit)
    if not content:
        raise ValidationFailed(_("“%(name)s” is empty.") % {"name": name}, field="attachments", code="empty")
    sniffed = _sniff(content[:16])
    if sniffed is None:
        raise ValidationFailed(
            _("“%(name)s” is not a photo or PDF: only JPEG, PNG and PDF files are accepted.") % {"name": name},
            field="attachments",
            code="bad_type",
        )
    content_type, extension = sniffed
    if content_type in _IMAGE_FORMATS:
        content = _reencode(content, content_type, name)
    return CheckedFile(original_name=name, content=content, content_type=content_type, extension=extension)


def attachments_check(uploads: Iterable[Any]) -> list[CheckedFile]:
    uploads = list(uploads)
    if len(uploads) > max_files():
        raise ValidationFailed(
            _("At most %(max)d files can be attached.") % {"max": max_files()}, field="attachments", code="too_many"
        )
    return [attachment_check(upload) for upload in uploads]


def _too_big(name: str, limit: int) -> ValidationFailed:
    return ValidationFailed(
        _("“%(name)s” is larger than %(mb)d MB.") % {"name": name, "mb": limit // (1024 * 1024)},
        field="attachments",
        code="too_large",
    )


def attachment_store(*, appeal: Any, checked: CheckedFile, kind: str, actor: Any = None, public: bool = False) -> Any:
    """Store a checked file on ``appeal``, in the caller's transaction (the caller audits the step)."""
    from .models import Attachment

    attachment = Attachment(
        appeal=appeal,
        kind=kind,
        original_name=checked.original_name,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        uploaded_at=clock.now(),
        public=public,
    )
    attachment.file.save(f"{checked.sha256}{checked.extension}", ContentFile(checked.content), save=False)
    attachment.save()
    return attachment
