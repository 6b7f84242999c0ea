"""The citizen's pages: submit (with errors kept in the form), receipt shown once, tracking without personal
data, rating by passphrase."""

import pytest
from django.urls import reverse

from massline.appeals.choices import Outcome
from massline.appeals.models import Appeal
from massline.appeals.services import appeal_reply, assignment_accept
from massline.appeals.transitions import State

pytestmark = pytest.mark.django_db


def form_data(city, **changes):  # type: ignore[no-untyped-def]
    data = {
        "kind": "complaint",
        "title": "和平路有个大坑",
        "description": "和平路与东风路口有一个很深的坑。",
        "area": str(city.street_a.pk),
        "category": str(city.potholes.pk),
        "location_text": "和平路与东风路口",
        "name": "王女士",
        "phone": "13800000000",
        "email": "",
        "passphrase": "",
        "idempotency_key": "k-1",
    }
    data.update(changes)
    return data


def test_the_form_answers_in_both_languages(client, city) -> None:  # type: ignore[no-untyped-def]
    assert 'lang="zh-hans"' in client.get(reverse("appeals:new")).content.decode()
    english = client.get(reverse("appeals:new"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in english and "Raise a problem" in english


def test_a_missing_contact_is_explained_and_the_answers_are_kept(client, city) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("appeals:new"), form_data(city, phone=""), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give a phone number or an e-mail address" in page
    assert 'aria-invalid="true"' in page
    assert "和平路有个大坑" in page  # the title typed is still there
    assert not Appeal.objects.exists()


def test_submit_receipt_once_then_tracking(client, city, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("appeals:new"), form_data(city))
    assert response.status_code == 302 and response["Location"] == reverse("appeals:receipt")
    appeal = Appeal.objects.get()
    assert appeal.state == State.DISPATCHED  # routed by the matrix after the submission was stored
    receipt = client.get(reverse("appeals:receipt")).content.decode()
    assert appeal.tracking_code in receipt and 'data-testid="passphrase"' in receipt
    assert client.get(reverse("appeals:receipt")).status_code == 302  # shown once
    again = client.post(reverse("appeals:new"), form_data(city))  # a double click sends the same key
    assert again.status_code == 302 and Appeal.objects.count() == 1

    found = client.get(reverse("appeals:track"), {"code": appeal.tracking_code.lower()})
    assert found["Location"] == reverse("appeals:detail", args=[appeal.tracking_code])
    page = client.get(found["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Urban Management Bureau" in page and "dispatched" in page.lower()
    assert "王女士" not in page and "13800000000" not in page


def test_an_unknown_code_is_explained(client, city) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("appeals:track"), {"code": "2611-XXXX-XXXX"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No appeal has this tracking code" in page


def test_rating_needs_the_passphrase(client, city, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("appeals:new"), form_data(city, passphrase="river-stone"))
    appeal = Appeal.objects.get()
    assignment_accept(actor=city.handler, appeal=appeal)
    appeal_reply(actor=city.handler, appeal=appeal, outcome=Outcome.SOLVED, text="已安排养护队填补，感谢反映。")
    url = reverse("appeals:detail", args=[appeal.tracking_code])
    wrong = client.post(
        url, {"satisfaction": "satisfied", "solved": "yes", "passphrase": "guess"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "That passphrase is not the one" in wrong.content.decode()
    assert Appeal.objects.get().state == State.REPLIED
    right = client.post(url, {"satisfaction": "satisfied", "solved": "yes", "passphrase": "river-stone"})
    assert right.status_code == 302
    closed = Appeal.objects.get()
    assert closed.state == State.CLOSED and closed.solved is True
