"""Uploads (appeals/attachments.py): the type is read from the content, never from the name; the size is
bounded; photos are re-encoded, so what a phone writes into them (GPS position, maker, comments, XMP) is gone
before anything is stored; a file comes back to staff with the type that was checked."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from PIL import Image, PngImagePlugin

from massline.appeals.attachments import attachment_check, attachments_check
from massline.core.errors import ValidationFailed

from .conftest import Upload, World, client_for, jpeg_with_gps, png_with_gps

GPS_IFD = 0x8825
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="39,54.45N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def _refused(name: str, content: bytes) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        attachment_check(Upload(name, content))
    return caught.value


def test_a_jpg_that_is_really_a_web_page_or_a_program_is_refused() -> None:
    page = _refused("photo.jpg", b"<!doctype html><html><script>alert(document.cookie)</script></html>")
    assert page.code == "bad_type" and "photo.jpg" in str(page.message)
    program = _refused("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64)
    assert program.code == "bad_type"
    svg = _refused("map.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    assert svg.code == "bad_type"


def test_a_file_that_only_starts_like_a_photo_is_refused() -> None:
    # JPEG's first bytes, then a web page: passes a look at the magic bytes, not the decoding.
    polyglot = b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script></html>" * 20
    assert _refused("photo.jpg", polyglot).code == "bad_file"


def test_size_and_number_of_files_are_bounded() -> None:
    with override_settings(MASSLINE_UPLOAD_MAX_BYTES=64 * 1024):
        big = jpeg_with_gps() + b"\x00" * (64 * 1024)
        assert _refused("big.jpg", big).code == "too_large"
    assert _refused("empty.png", b"").code == "empty"
    with pytest.raises(ValidationFailed) as caught:
        attachments_check([Upload(f"p{n}.png", png_with_gps()) for n in range(6)])
    assert caught.value.code == "too_many"


def test_a_jpeg_loses_its_gps_position_maker_and_xmp() -> None:
    original = io.BytesIO()
    with Image.open(io.BytesIO(jpeg_with_gps())) as image:
        image.save(original, format="JPEG", exif=image.getexif(), xmp=XMP)
    content = original.getvalue()
    with Image.open(io.BytesIO(content)) as before:  # the test photo does carry all three
        assert before.getexif().get_ifd(GPS_IFD) and before.getexif().get(0x010F) == "PhoneMaker"
        assert b"GPSLatitude" in content
    checked = attachment_check(Upload("street.jpg", content))
    assert checked.content_type == "image/jpeg" and checked.extension == ".jpg"
    with Image.open(io.BytesIO(checked.content)) as after:
        assert after.size == (64, 48)
        assert not after.getexif().get_ifd(GPS_IFD) and 0x010F not in after.getexif()
        assert "exif" not in after.info and "xmp" not in after.info
    assert b"GPSLatitude" not in checked.content and b"PhoneMaker" not in checked.content


def test_a_png_loses_its_text_chunks() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "王秀英 13911112222")
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 200, 10)).save(out, format="PNG", pnginfo=info)
    assert b"13911112222" in out.getvalue()
    checked = attachment_check(Upload("shot.png", out.getvalue()))
    assert b"13911112222" not in checked.content


@pytest.mark.django_db
def test_staff_download_the_checked_photo_without_its_position(world: World) -> None:
    response = client_for(world, "handler").get(f"/appeals/work/{world.own.tracking_code}/files/{world.own_photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    content = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(content)) as image:
        assert not image.getexif().get_ifd(GPS_IFD)
