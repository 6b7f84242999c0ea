"""Letters and visits (信访工作条例): the reception desk registers letters and group visits (at most 5
representatives, Art. 20), issues the written acknowledgement as a PDF (Art. 23), keeps the representatives from
the unit complained about when confidentiality was asked for, and takes the petitioner through review and
re-review (Arts. 35–36) to a final decision."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from massline.appeals.choices import AttachmentKind, Channel, Outcome, ReviewDecision, ReviewLevel, Satisfaction, Track
from massline.appeals.models import Appeal, ReviewRequest, VisitRepresentative
from massline.appeals.selectors import contact_for, petition_reviews_pending, representatives_for
from massline.appeals.services import (
    ContactInput,
    Representative,
    appeal_note,
    appeal_rate,
    appeal_reply,
    appeal_route,
    appeal_submit,
    assignment_accept,
    petition_register,
    re_review_decide,
    re_review_request,
    review_decide,
    review_request,
)
from massline.appeals.transitions import Group, State, TransitionNotAllowed
from massline.audit.models import AuditRecord
from massline.audit.verify import chain_verify
from massline.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
NAMES = ["赵一", "钱二", "孙三", "李四", "周五", "吴六"]


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PDF_PAGE = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def register_visit(city, *, people=5, confidential=False, **changes):  # type: ignore[no-untyped-def]
    fields = {
        "actor": city.operator,
        "channel": Channel.VISIT,
        "kind": "complaint",
        "title": "要求修复和平路塌陷路面",
        "description": "和平路塌陷三个月无人处理，三十位居民一同来访，推选代表反映。",
        "contact": ContactInput(name="张大爷", phone="13700000000", address="和平路1号"),
        "area": city.community_a,
        "category": city.potholes,
        "contact_confidential": confidential,
        "visitor_count": 30,
        "representatives": [Representative(name, f"1390000000{i}") for i, name in enumerate(NAMES[:people])],
    }
    fields.update(changes)
    return petition_register(**fields)


def closed_petition(city, fixed_clock, **changes):  # type: ignore[no-untyped-def]
    """A visit registered, dispatched by the matrix, answered and rated: closed at the fixed clock's time."""
    result = register_visit(city, **changes)
    appeal = appeal_route(appeal=result.appeal)
    assignment_accept(actor=city.handler, appeal=appeal)
    appeal_reply(actor=city.handler, appeal=appeal, outcome=Outcome.EXPLAINED, text="路面属地铁施工影响，已协调修复。")
    appeal = appeal_rate(
        actor=None, appeal=appeal, satisfaction=Satisfaction.BASICALLY, solved=False, passphrase=result.passphrase
    )
    assert appeal.state == State.CLOSED and appeal.closed_at == fixed_clock.now()
    return appeal, result.passphrase


def desk_form(city, **changes):  # type: ignore[no-untyped-def]
    data = {
        "channel": "visit",
        "kind": "complaint",
        "name": "张大爷",
        "address": "和平路1号",
        "phone": "13700000000",
        "title": "要求修复和平路塌陷路面",
        "description": "和平路塌陷三个月无人处理。",
        "area": str(city.street_a.pk),
        "category": str(city.potholes.pk),
        "location_text": "",
        "visitor_count": "30",
        "representatives": "\n".join(f"{name}，1390000000{i}" for i, name in enumerate(NAMES[:5])),
        "idempotency_key": "desk-1",
    }
    data.update(changes)
    return data


# --- the reception desk -------------------------------------------------------------------------------------


def test_the_desk_registers_a_group_visit_with_five_representatives_and_refuses_six(  # type: ignore[no-untyped-def]
    client, city, django_capture_on_commit_callbacks
) -> None:
    client.force_login(city.operator)
    six = "\n".join(f"{name}, 1390000000{i}" for i, name in enumerate(NAMES))
    refused = client.post(reverse("appeals:desk"), desk_form(city, representatives=six), HTTP_ACCEPT_LANGUAGE="en")
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "at most 5 representatives (Art. 20); 6 were given" in page
    assert 'aria-invalid="true"' in page and "吴六" in page and "要求修复和平路塌陷路面" in page  # answers kept
    assert not Appeal.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("appeals:desk"), desk_form(city), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == reverse("appeals:desk_registered")
    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.track, appeal.visitor_count) == (Channel.VISIT, Track.PETITION, 30)
    assert list(appeal.representatives.values_list("name", "phone")) == [
        (name, f"1390000000{i}") for i, name in enumerate(NAMES[:5])
    ]
    assert appeal.state == State.DISPATCHED and appeal.lead_unit == city.urban_bureau  # routed like any appeal
    assert appeal.due_at is not None and (appeal.due_at - appeal.received_at).days >= 59  # 60 days (Art. 34)
    receipt = client.get(reverse("appeals:desk_registered")).content.decode()
    assert appeal.tracking_code in receipt and 'data-testid="passphrase"' in receipt
    again = client.post(reverse("appeals:desk"), desk_form(city))  # a double click sends the same key
    assert again.status_code == 302 and Appeal.objects.count() == 1 and VisitRepresentative.objects.count() == 5


def test_the_service_refuses_a_sixth_representative_and_stores_nothing(city) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as error:
        register_visit(city, people=6)
    assert error.value.field == "representatives"
    assert not Appeal.objects.exists() and not VisitRepresentative.objects.exists()


def test_only_reception_staff_register(city) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        register_visit(city, actor=city.handler)
    assert not Appeal.objects.exists()


def test_a_letter_is_registered_with_its_scanned_pages(client, city) -> None:  # type: ignore[no-untyped-def]
    client.force_login(city.operator)
    letter = desk_form(city, channel="letter", visitor_count="", representatives="", idempotency_key="letter-1")
    no_scan = client.post(reverse("appeals:desk"), letter, HTTP_ACCEPT_LANGUAGE="en")
    assert no_scan.status_code == 400 and "Attach the scanned pages of the letter." in no_scan.content.decode()

    text_file = SimpleUploadedFile("letter.txt", b"just text", content_type="application/pdf")
    bad = client.post(reverse("appeals:desk"), {**letter, "scans": [text_file]}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "only JPEG, PNG and PDF files are accepted" in bad.content.decode()
    assert not Appeal.objects.exists()

    pages = [
        SimpleUploadedFile("page1.pdf", PDF_PAGE, content_type="application/pdf"),
        SimpleUploadedFile("page2.png", png_bytes(), content_type="image/png"),
    ]
    assert client.post(reverse("appeals:desk"), {**letter, "scans": pages}).status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.LETTER and appeal.visitor_count is None
    scans = list(appeal.attachments.order_by("original_name").values_list("original_name", "kind", "content_type"))
    assert scans == [
        ("page1.pdf", AttachmentKind.SCAN, "application/pdf"),
        ("page2.png", AttachmentKind.SCAN, "image/png"),
    ]
    assert contact_for(user=city.operator, appeal=appeal).address == "和平路1号"  # type: ignore[union-attr]


def test_representatives_stay_hidden_from_the_unit_when_confidentiality_was_asked(client, city) -> None:  # type: ignore[no-untyped-def]
    secret = appeal_route(appeal=register_visit(city, confidential=True).appeal)
    open_ = appeal_route(appeal=register_visit(city, confidential=False, title="另一件事").appeal)
    assert secret.lead_unit == city.urban_bureau == open_.lead_unit

    assert representatives_for(user=city.handler, appeal=secret) == []
    assert [p.name for p in representatives_for(user=city.handler, appeal=open_)] == NAMES[:5]
    assert [p.name for p in representatives_for(user=city.operator, appeal=secret)] == NAMES[:5]
    assert representatives_for(user=city.outsider, appeal=open_) == []

    client.force_login(city.handler)
    hidden = client.get(reverse("appeals:desk_case", args=[secret.tracking_code])).content.decode()
    shown = client.get(reverse("appeals:desk_case", args=[open_.tracking_code])).content.decode()
    assert "赵一" not in hidden and "13900000000" not in hidden
    assert "赵一" in shown and 'data-testid="representatives"' in shown
    client.force_login(city.outsider)
    assert client.get(reverse("appeals:desk_case", args=[open_.tracking_code])).status_code == 404


# --- the written acknowledgement ------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def test_the_acknowledgement_pdf_names_the_code_and_is_audited(client, city) -> None:  # type: ignore[no-untyped-def]
    result = register_visit(city)
    appeal = appeal_route(appeal=result.appeal)
    appeal_note(actor=city.operator, appeal=appeal, text="INTERNAL-ONLY remark")
    client.force_login(city.operator)
    response = client.get(reverse("appeals:desk_ack", args=[appeal.tracking_code]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert appeal.tracking_code in text
    assert "Urban Management Bureau" in text and "60 days" in text and "Art. 35" in text
    assert f"/appeals/track/{appeal.tracking_code}/" in text
    assert "INTERNAL-ONLY" not in text and "13700000000" not in text and "赵一" not in text
    issued = AuditRecord.objects.filter(event="appeals.petition.acknowledge", target_id=str(appeal.pk))
    assert issued.count() == 1 and issued.get().after["via"] == "desk"

    client.force_login(city.handler)  # the handling unit is not the reception desk
    assert client.get(reverse("appeals:desk_ack", args=[appeal.tracking_code])).status_code == 404


def test_the_petitioner_downloads_the_acknowledgement_with_the_passphrase(client, city) -> None:  # type: ignore[no-untyped-def]
    result = register_visit(city)
    code = result.appeal.tracking_code
    url = reverse("appeals:track_ack", args=[code])
    detail = client.get(reverse("appeals:detail", args=[code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert url in detail  # the block on the tracking page
    wrong = client.post(url, {"ack-passphrase": "not-the-one"}, HTTP_ACCEPT_LANGUAGE="en")
    assert wrong.status_code == 302 and wrong["Location"] == reverse("appeals:detail", args=[code])
    assert client.get(url).status_code == 302  # never by a plain link
    response = client.post(url, {"ack-passphrase": result.passphrase}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and code in pdf_text(response.content)
    vias = list(AuditRecord.objects.filter(event="appeals.petition.acknowledge").values_list("after", flat=True))
    assert [after["via"] for after in vias] == ["tracking"]


# --- review and re-review -------------------------------------------------------------------------------------


def test_a_review_requested_on_day_30_is_accepted(city, fixed_clock) -> None:  # type: ignore[no-untyped-def]
    appeal, passphrase = closed_petition(city, fixed_clock)
    fixed_clock.advance(dt.timedelta(days=30))
    with pytest.raises(PermissionDenied):
        review_request(actor=None, appeal=appeal, reason="答复没有解决问题", passphrase="wrong-phrase")
    appeal = review_request(actor=None, appeal=appeal, reason="答复没有解决问题", passphrase=passphrase)
    request = ReviewRequest.objects.get(appeal=appeal)
    assert appeal.state == State.REVIEW and appeal.state_group == Group.OPEN
    assert request.level == ReviewLevel.REVIEW and request.reviewing_unit == city.city_gov
    # Answered within 30 days, a deadline the sweep watches (open, with a due date and a warning time).
    assert appeal.due_at == request.due_at and appeal.warn_at is not None and appeal.warned_at is None
    # Requested on 1 April: 30 days end on 1 May, a public holiday until the 5th, so the answer is due on the 6th.
    assert appeal.due_at == dt.datetime.combine(dt.date(2026, 5, 6), dt.time.max, tzinfo=BEIJING)
    assert appeal.events.filter(action="request_review").count() == 1
    assert appeal in petition_reviews_pending(user=city.supervisor)
    assert not petition_reviews_pending(user=city.handler).exists()


def test_a_review_requested_on_day_31_is_refused_with_the_date_it_ended(city, fixed_clock) -> None:  # type: ignore[no-untyped-def]
    appeal, passphrase = closed_petition(city, fixed_clock)
    fixed_clock.advance(dt.timedelta(days=31))
    with translation.override("en"), pytest.raises(ValidationFailed) as error:
        review_request(actor=city.operator, appeal=appeal, reason="答复没有解决问题")
    assert error.value.code == "too_late"
    assert "ended on April 1, 2026" in str(error.value.message)
    assert Appeal.objects.get(pk=appeal.pk).state == State.CLOSED and not ReviewRequest.objects.exists()


def test_review_then_re_review_makes_the_appeal_final(city, fixed_clock) -> None:  # type: ignore[no-untyped-def]
    appeal, passphrase = closed_petition(city, fixed_clock)
    fixed_clock.advance(dt.timedelta(days=3))
    appeal = review_request(actor=city.operator, appeal=appeal, reason="来访人当面提出复查请求")  # recorded by the desk
    assert ReviewRequest.objects.get().recorded_by == city.operator

    with pytest.raises(PermissionDenied):
        review_decide(actor=city.handler, appeal=appeal, decision=ReviewDecision.UPHELD, text="维持原处理意见。")
    with pytest.raises(ValidationFailed) as no_text:
        review_decide(actor=city.supervisor, appeal=appeal, decision=ReviewDecision.UPHELD, text=" ")
    assert no_text.value.field == "text"
    fixed_clock.advance(dt.timedelta(days=10))
    appeal = review_decide(
        actor=city.supervisor, appeal=appeal, decision=ReviewDecision.UPHELD, text="经复查，原处理意见正确，予以维持。"
    )
    assert appeal.state == State.CLOSED

    with pytest.raises(ValidationFailed) as twice:
        review_request(actor=None, appeal=appeal, reason="还是不服", passphrase=passphrase)
    assert twice.value.code == "wrong_level"
    fixed_clock.advance(dt.timedelta(days=30))  # day 30 after the review decision
    appeal = re_review_request(actor=None, appeal=appeal, reason="对复查意见不服", passphrase=passphrase)
    assert appeal.state == State.RE_REVIEW
    with pytest.raises(TransitionNotAllowed):
        review_decide(actor=city.supervisor, appeal=appeal, decision=ReviewDecision.UPHELD, text="不应在此决定。")
    appeal = re_review_decide(
        actor=city.supervisor, appeal=appeal, decision=ReviewDecision.CHANGED, text="经复核，变更原处理意见，予以支持。"
    )
    assert appeal.state == State.FINAL and appeal.state_group == Group.CLOSED
    assert list(ReviewRequest.objects.order_by("requested_at").values_list("level", "decision")) == [
        (ReviewLevel.REVIEW, ReviewDecision.UPHELD),
        (ReviewLevel.RE_REVIEW, ReviewDecision.CHANGED),
    ]

    for service in (review_request, re_review_request):
        with translation.override("en"), pytest.raises(ValidationFailed) as final:
            service(actor=None, appeal=appeal, reason="再次申请", passphrase=passphrase)
        assert final.value.code == "final" and "not accepted again (Art. 36)" in str(final.value.message)
    actions = list(appeal.events.order_by("at", "id").values_list("action", flat=True))
    assert actions[-4:] == ["request_review", "decide_review", "request_re_review", "decide_re_review"]
    assert AuditRecord.objects.filter(event="appeals.appeal.decide_re_review", target_id=str(appeal.pk)).exists()
    assert chain_verify().ok


def test_a_re_review_after_30_days_of_the_decision_is_refused(city, fixed_clock) -> None:  # type: ignore[no-untyped-def]
    appeal, passphrase = closed_petition(city, fixed_clock)
    appeal = review_request(actor=None, appeal=appeal, reason="不服", passphrase=passphrase)
    appeal = review_decide(
        actor=city.supervisor, appeal=appeal, decision=ReviewDecision.UPHELD, text="维持原处理意见。"
    )
    fixed_clock.advance(dt.timedelta(days=31))
    with pytest.raises(ValidationFailed) as late:
        re_review_request(actor=None, appeal=appeal, reason="对复查意见不服", passphrase=passphrase)
    assert late.value.code == "too_late"


def test_a_hotline_appeal_cannot_be_reviewed(city, fixed_clock) -> None:  # type: ignore[no-untyped-def]
    result = appeal_submit(
        actor=None,
        kind="complaint",
        channel="web",
        title="和平路有个大坑",
        description="和平路与东风路口有一个很深的坑。",
        area=city.community_a,
        category=city.potholes,
        contact=ContactInput(phone="13800000000"),
        passphrase="my-secret-1",
    )
    appeal = appeal_route(appeal=result.appeal)
    assignment_accept(actor=city.handler, appeal=appeal)
    appeal_reply(actor=city.handler, appeal=appeal, outcome=Outcome.SOLVED, text="已安排养护队填补。")
    appeal = appeal_rate(
        actor=None, appeal=appeal, satisfaction=Satisfaction.SATISFIED, solved=True, passphrase="my-secret-1"
    )
    assert appeal.state == State.CLOSED
    with pytest.raises(ValidationFailed) as error:
        review_request(actor=None, appeal=appeal, reason="想复查", passphrase="my-secret-1")
    assert error.value.code == "not_petition"
    assert Appeal.objects.get(pk=appeal.pk).state == State.CLOSED


def test_review_pages_from_the_tracking_page_to_the_supervisor(client, city, fixed_clock) -> None:  # type: ignore[no-untyped-def]
    appeal, passphrase = closed_petition(city, fixed_clock)
    detail = reverse("appeals:detail", args=[appeal.tracking_code])
    review_url = reverse("appeals:track_review", args=[appeal.tracking_code])
    assert review_url in client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    wrong = client.post(
        review_url, {"review-reason": "答复没有解决问题", "review-passphrase": "nope-nope"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert wrong.status_code == 400 and "答复没有解决问题" in wrong.content.decode()
    assert "That passphrase is not the one" in wrong.content.decode()
    ok = client.post(
        review_url, {"review-reason": "答复没有解决问题", "review-passphrase": passphrase}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert ok.status_code == 302 and Appeal.objects.get(pk=appeal.pk).state == State.REVIEW
    told = client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The answer is due by April 1, 2026." in told  # requested on 2 March: 30 days
    assert review_url not in client.get(detail).content.decode()  # no second request while one is pending

    client.force_login(city.handler)
    assert client.get(reverse("appeals:desk_reviews")).status_code == 404
    client.force_login(city.supervisor)
    listing = client.get(reverse("appeals:desk_reviews"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert appeal.tracking_code in listing
    decide = reverse("appeals:desk_review", args=[appeal.tracking_code])
    empty = client.post(decide, {"decision": "upheld", "text": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    done = client.post(decide, {"decision": "upheld", "text": "经复查，原处理意见正确，予以维持。"})
    assert done.status_code == 302 and Appeal.objects.get(pk=appeal.pk).state == State.CLOSED
    assert appeal.tracking_code not in client.get(reverse("appeals:desk_reviews")).content.decode()


def test_the_desk_records_a_review_brought_in_person(client, city, fixed_clock) -> None:  # type: ignore[no-untyped-def]
    appeal, _passphrase = closed_petition(city, fixed_clock)
    page = reverse("appeals:desk_case", args=[appeal.tracking_code])
    client.force_login(city.operator)
    assert "Record a request for review" in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    empty = client.post(page, {"reason": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert empty.status_code == 400 and Appeal.objects.get(pk=appeal.pk).state == State.CLOSED
    assert client.post(page, {"reason": "来访人当面提出：答复未解决问题"}).status_code == 302
    assert ReviewRequest.objects.get(appeal=appeal).recorded_by == city.operator
    client.force_login(city.handler)  # the handling unit sees the page but cannot record
    assert "Record a request" not in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("endpoint", ["acknowledgement.pdf", "review/"])
def test_passphrase_guesses_on_petition_pages_are_limited(client, city, settings, endpoint) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import caches

    caches["ratelimit"].clear()
    settings.MASSLINE_PASSPHRASE_RATE = "3/h"
    appeal = appeal_submit(
        actor=None,
        kind="complaint",
        channel="letter",
        track="petition",
        title="信访事项",
        description="反映拆迁补偿问题。",
        passphrase="the-right-one",
    ).appeal
    url = f"/appeals/track/{appeal.tracking_code}/{endpoint}"
    prefix = "ack" if endpoint.endswith(".pdf") else "review"
    statuses = [
        client.post(url, {f"{prefix}-passphrase": f"guess-{n}", f"{prefix}-reason": "不服"}).status_code
        for n in range(4)
    ]
    assert statuses[-1] == 429
    right = client.post(url, {f"{prefix}-passphrase": "the-right-one", f"{prefix}-reason": "不服"})
    assert right.status_code == 429  # the right passphrase waits too: guessing gains nothing
