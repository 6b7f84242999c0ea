"""The public form: photos checked and stripped of location data, the place picker, the map point, consent,
answers kept on error, and the rate limits on submissions and passphrase attempts."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image

from massline.appeals.choices import Outcome
from massline.appeals.models import Appeal, Attachment
from massline.appeals.services import appeal_reply, appeal_submit, assignment_accept
from massline.appeals.services.intake import ContactInput
from massline.appeals.transitions import State
from massline.core.client_ip import client_ip

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def photo_with_gps(name: str = "pothole.png") -> SimpleUploadedFile:
    image = Image.new("RGB", (8, 8), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 29.0)}
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif)
    content = out.getvalue()
    assert Image.open(io.BytesIO(content)).getexif().get_ifd(GPS_IFD)  # the test photo does carry a position
    return SimpleUploadedFile(name, content, content_type="image/png")


def form_data(city, **changes):  # type: ignore[no-untyped-def]
    data = {
        "kind": "complaint",
        "title": "和平路有个大坑",
        "description": "和平路与东风路口有一个很深的坑。",
        "province": str(city.province.pk),
        "city": str(city.city.pk),
        "district": str(city.district_a.pk),
        "street": str(city.street_a.pk),
        "community": str(city.community_a.pk),
        "category": str(city.potholes.pk),
        "location_text": "和平路与东风路口",
        "latitude": "39.9074123",
        "longitude": "116.3972",
        "publish_consent": "on",
        "name": "王女士",
        "phone": "13800000000",
        "email": "",
        "passphrase": "",
        "idempotency_key": "k-1",
    }
    data.update(changes)
    return data


def test_a_photo_is_stored_without_its_gps_position(client, city) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("appeals:new"), form_data(city, attachments=[photo_with_gps()]))
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.area == city.community_a  # the most precise place chosen
    assert str(appeal.latitude) == "39.907412" and str(appeal.longitude) == "116.397200"
    assert appeal.publish_consent is True
    stored = Attachment.objects.get(appeal=appeal)
    assert stored.original_name == "pothole.png" and stored.content_type == "image/png"
    with stored.file.open("rb") as handle, Image.open(handle) as image:
        assert image.size == (8, 8)
        assert not image.getexif().get_ifd(GPS_IFD)
        assert "exif" not in image.info
    assert "1" in client.get(reverse("appeals:receipt")).content.decode()


def test_a_renamed_program_is_refused_with_the_reason_and_the_form_kept(client, city) -> None:  # type: ignore[no-untyped-def]
    program = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "image/jpeg")
    response = client.post(
        reverse("appeals:new"), form_data(city, attachments=[program], title="门口的坑"), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "“photo.jpg” is not a photo or PDF" in page
    assert "Choose your files again" in page
    assert 'value="门口的坑"' in page and "和平路与东风路口有一个很深的坑。" in page
    assert f'<option value="{city.community_a.pk}" selected>' in page  # the place picked stays picked
    assert not Appeal.objects.exists()


def test_the_error_is_in_the_visitors_language(client, city) -> None:  # type: ignore[no-untyped-def]
    program = SimpleUploadedFile("photo.jpg", b"MZ" + b"\x00" * 100, "image/jpeg")
    page = client.post(
        reverse("appeals:new"), form_data(city, attachments=[program]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    with translation.override("zh-hans"):
        reason = gettext("“%(name)s” is not a photo or PDF: only JPEG, PNG and PDF files are accepted.")
        summary = gettext("Some answers need correcting. Each problem is explained next to its field.")
    assert escape(reason % {"name": "photo.jpg"}) in page
    assert summary in page and summary != "Some answers need correcting. Each problem is explained next to its field."


@override_settings(MASSLINE_UPLOAD_MAX_BYTES=1024 * 1024)
def test_an_oversize_file_is_refused(client, city) -> None:  # type: ignore[no-untyped-def]
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10), "application/pdf")
    page = client.post(
        reverse("appeals:new"), form_data(city, attachments=[big]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "“scan.pdf” is larger than 1 MB." in page
    assert not Appeal.objects.exists()


def test_other_errors_keep_typed_values_and_ask_for_files_again(client, city) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("appeals:new"),
        form_data(city, phone="", attachments=[photo_with_gps()], latitude="39.9", longitude=""),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert "Give a phone number or an e-mail address" in page
    assert "A map point needs both latitude and longitude." in page
    assert "Choose your files again" in page
    assert 'value="和平路有个大坑"' in page and 'value="39.9"' in page
    assert re.search(r'<input type="checkbox" name="publish_consent"[^>]* checked>', page)
    assert not Appeal.objects.exists() and not Attachment.objects.exists()


def test_the_place_picker_lists_the_places_inside_the_one_chosen(client, city) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("appeals:new"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # One province and one city: chosen at once; the districts of the city are offered.
    assert f'<option value="{city.city.pk}" selected>' in page
    assert city.district_a.name_en in page and city.street_a.name_en not in page
    partial = client.get(
        reverse("appeals:places"),
        {"province": city.province.pk, "city": city.city.pk, "district": city.district_b.pk},
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert partial.startswith('<fieldset class="field field--group place-picker"')
    assert city.street_b.name_en in partial and city.street_a.name_en not in partial
    # Without JavaScript the same step is a submit that keeps what was typed.
    step = client.post(
        reverse("appeals:new"),
        {**form_data(city, street="", community="", district=str(city.district_a.pk)), "refresh_places": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert city.street_a.name_en in step and 'value="和平路有个大坑"' in step
    assert "field--invalid" not in step and not Appeal.objects.exists()
    # A stale choice below a changed level is dropped instead of contradicting it.
    changed = client.get(
        reverse("appeals:places"),
        {
            "province": city.province.pk,
            "city": city.city.pk,
            "district": city.district_b.pk,
            "street": city.street_a.pk,
        },
    ).content.decode()
    assert f'<option value="{city.street_a.pk}"' not in changed


def test_the_page_keeps_to_the_content_security_policy(client, city) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("appeals:new")).content.decode()
    assert "style=" not in page
    assert "<script>" not in page and "<script src" in page
    assert 'enctype="multipart/form-data"' in page and "data-geolocate" in page


@override_settings(MASSLINE_INTAKE_RATE="3/h")
def test_submissions_from_one_address_are_limited(client, city) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        response = client.post(
            reverse("appeals:new"), form_data(city, idempotency_key=f"k-{n}"), REMOTE_ADDR="203.0.113.7"
        )
        assert response.status_code == 302
    over = client.post(
        reverse("appeals:new"),
        form_data(city, idempotency_key="k-9", title="第四次提交", attachments=[photo_with_gps()]),
        REMOTE_ADDR="203.0.113.7",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = over.content.decode()
    assert over.status_code == 429 and int(over["Retry-After"]) > 0
    assert "Too many requests" in page and "You can send it again after" in page
    assert 'value="第四次提交"' in page and "choose them again" in page
    assert Appeal.objects.count() == 3 and Attachment.objects.count() == 0
    # Another address is not affected.
    other = client.post(reverse("appeals:new"), form_data(city, idempotency_key="k-10"), REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 302 and Appeal.objects.count() == 4


@override_settings(MASSLINE_INTAKE_RATE="1/h")
def test_invalid_forms_do_not_use_up_the_limit(client, city) -> None:  # type: ignore[no-untyped-def]
    for _n in range(3):
        assert client.post(reverse("appeals:new"), form_data(city, phone="")).status_code == 200
    assert client.post(reverse("appeals:new"), form_data(city)).status_code == 302


@override_settings(AXES_IPWARE_PROXY_COUNT=1)
def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(rf) -> None:  # type: ignore[no-untyped-def]
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"  # the left part was written by the client and is ignored
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


def test_without_a_proxy_a_forwarded_header_is_ignored(rf) -> None:  # type: ignore[no-untyped-def]
    assert client_ip(rf.get("/", REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "192.0.2.5"


def replied(city):  # type: ignore[no-untyped-def]
    appeal = appeal_submit(
        actor=None,
        kind="complaint",
        channel="web",
        title="路灯不亮",
        description="和平路路灯一周不亮。",
        area=city.street_a,
        category=city.potholes,
        contact=ContactInput(phone="13800000001"),
        passphrase="river-stone-42",
        route_after_commit=False,
    ).appeal
    from massline.appeals.services import appeal_route

    appeal = assignment_accept(actor=city.handler, appeal=appeal_route(appeal=appeal))
    return appeal_reply(actor=city.handler, appeal=appeal, outcome=Outcome.SOLVED, text="已安排维修，感谢反映。")


@override_settings(MASSLINE_PASSPHRASE_RATE="3/h", MASSLINE_PASSPHRASE_RATE_PER_APPEAL="5/h")
def test_passphrase_guesses_are_limited_per_client_and_per_appeal(client, city) -> None:  # type: ignore[no-untyped-def]
    appeal = replied(city)
    url = reverse("appeals:detail", args=[appeal.tracking_code])
    guess = {"satisfaction": "satisfied", "solved": "yes", "passphrase": "wrong-guess"}
    for _n in range(3):
        assert client.post(url, guess, REMOTE_ADDR="203.0.113.7").status_code == 200
    right = {**guess, "passphrase": "river-stone-42"}
    blocked = client.post(url, right, REMOTE_ADDR="203.0.113.7", HTTP_ACCEPT_LANGUAGE="en")
    assert blocked.status_code == 429 and "Too many attempts" in blocked.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).state == State.REPLIED  # even the right passphrase waits
    # A second address may try, until the appeal's own limit is reached.
    assert client.post(url, guess, REMOTE_ADDR="198.51.100.2").status_code == 200
    assert client.post(url, right, REMOTE_ADDR="198.51.100.3").status_code == 429
    assert Appeal.objects.get(pk=appeal.pk).state == State.REPLIED
