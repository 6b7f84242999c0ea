"""The workspace's queues: due soon, overdue and the rest fill from the sweep's marks; keyset pages go on
where the last one ended; search finds Chinese substrings; bulk dispatch sends what it may and says what it
could not; the case page offers the extension, supervision and special-route steps to those who may take them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from massline.appeals.models import Appeal
from massline.appeals.services import appeal_route, assignment_accept, assignment_object
from massline.appeals.services.supervision import supervision_order_close, supervision_order_issue
from massline.appeals.sweep import deadline_sweep
from massline.appeals.transitions import State
from massline.core.clock import FixedClock, use_clock

from .test_loop import beijing, submit
from .test_workspace import new_appeal, step

pytestmark = pytest.mark.django_db


def codes(response) -> set[str]:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    return {a.tracking_code for a in Appeal.objects.all() if a.tracking_code in html}


def test_overdue_and_due_soon_queues_follow_the_sweep(client, city) -> None:  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-09-22"))):
        late = appeal_route(appeal=submit(city).appeal)
    with use_clock(FixedClock(beijing("2026-09-29"))):
        soon = appeal_route(appeal=submit(city, title="路灯不亮").appeal)
    with use_clock(FixedClock(beijing("2026-10-01", 9))):
        deadline_sweep()
    client.force_login(city.handler)
    with use_clock(FixedClock(beijing("2026-10-01", 9))):
        overdue = client.get(reverse("appeals:work") + "?queue=overdue")
        due_soon = client.get(reverse("appeals:work") + "?queue=due_soon")
    assert late.tracking_code in overdue.content.decode() and soon.tracking_code not in overdue.content.decode()
    assert soon.tracking_code not in due_soon.content.decode()  # not warned yet: 80% of its time is far off
    client.force_login(city.outsider)
    with use_clock(FixedClock(beijing("2026-10-01", 9))):
        assert late.tracking_code not in client.get(reverse("appeals:work") + "?queue=overdue").content.decode()


def test_keyset_pages_and_search(client, city) -> None:  # type: ignore[no-untyped-def]
    for n in range(55):
        new_appeal(city, title=f"第{n}号 井盖缺失" if n % 11 == 0 else f"第{n}号 噪声")
    client.force_login(city.dispatcher)
    first = client.get(reverse("appeals:work") + "?queue=dispatch")
    assert len(codes(first)) == 50
    cursor = first.content.decode().split("after=")[1].split('"')[0]
    second = client.get(reverse("appeals:work") + f"?queue=dispatch&after={cursor}")
    assert len(codes(second)) == 5 and not codes(first) & codes(second)
    found = client.get(reverse("appeals:work"), {"queue": "dispatch", "q": "井盖"})
    assert len(codes(found)) == 5
    garbage = client.get(reverse("appeals:work") + "?queue=dispatch&after=not-a-cursor")
    assert garbage.status_code == 200 and len(codes(garbage)) == 50


def test_the_list_page_has_a_query_budget(client, city) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        new_appeal(city, title=f"问题{n}")
    client.force_login(city.dispatcher)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("appeals:work") + "?queue=dispatch")
    for n in range(30):
        new_appeal(city, title=f"更多问题{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("appeals:work") + "?queue=dispatch")
    assert len(many) == len(few) <= 20  # no query per row


def test_counts_come_separately(client, city) -> None:  # type: ignore[no-untyped-def]
    new_appeal(city)
    client.force_login(city.dispatcher)
    html = client.get(reverse("appeals:queue_counts")).content.decode()
    assert 'data-count="dispatch">1<' in html


def test_bulk_dispatch_sends_what_it_may(client, city) -> None:  # type: ignore[no-untyped-def]
    first, second = new_appeal(city), new_appeal(city, title="又一个")
    returned = appeal_route(appeal=submit(city).appeal)
    assignment_object(actor=city.handler, appeal=returned, reason="不属于我局")
    client.force_login(city.dispatcher)
    response = client.post(
        reverse("appeals:bulk_dispatch"),
        {"unit": city.urban_bureau.pk, "codes": [first.tracking_code, second.tracking_code, returned.tracking_code]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    states = dict(Appeal.objects.values_list("tracking_code", "state"))
    assert states[first.tracking_code] == states[second.tracking_code] == State.DISPATCHED
    assert states[returned.tracking_code] == State.OBJECTED
    assert "2 appeals dispatched" in response.content.decode()
    assert "needs a reason" in response.content.decode()
    client.force_login(city.handler)
    assert client.post(reverse("appeals:bulk_dispatch"), {}).status_code == 404


def test_extension_through_the_case_page(client, city, make_person) -> None:  # type: ignore[no-untyped-def]
    leader = make_person("unit_leader", unit=city.urban_bureau)
    with use_clock(FixedClock(beijing("2026-09-22"))):
        appeal = assignment_accept(actor=city.handler, appeal=appeal_route(appeal=submit(city).appeal))
        client.force_login(city.handler)
        page = client.get(reverse("appeals:case", args=[appeal.tracking_code])).content.decode()
        assert 'id="step-extend"' in page
        response = step(client, appeal, "extend", {"days": 30, "reason": "需要协调"})
        assert response.status_code == 400 and "1 to 10" in response.content.decode()
        assert step(client, appeal, "extend", {"days": 2, "reason": "需要协调燃气公司"}).status_code == 302
        assert (
            'id="step-extdecide"'
            not in client.get(reverse("appeals:case", args=[appeal.tracking_code])).content.decode()
        )
        client.force_login(leader)
        waiting = reverse("appeals:work") + "?queue=extensions"
        assert codes(client.get(waiting)) == {appeal.tracking_code}  # the request waits for the leader
        assert step(client, appeal, "extdecide", {"decision": "approve", "reason": ""}).status_code == 302
        assert codes(client.get(waiting)) == set()  # decided: off the queue
    appeal.refresh_from_db()
    assert appeal.extended_days == 2


def test_the_supervision_queue_holds_the_appeals_with_an_open_order(client, city) -> None:  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(beijing("2026-09-22"))):
        supervised = assignment_accept(actor=city.handler, appeal=appeal_route(appeal=submit(city).appeal))
        assignment_accept(actor=city.handler, appeal=appeal_route(appeal=submit(city).appeal))  # not supervised
        order = supervision_order_issue(actor=city.supervisor, appeal=supervised, instruction="三日内答复群众")
        client.force_login(city.supervisor)
        queue = reverse("appeals:work") + "?queue=supervision"
        assert codes(client.get(queue)) == {supervised.tracking_code}
        supervision_order_close(actor=city.supervisor, order=order, reason="已答复")
        assert codes(client.get(queue)) == set()


def test_special_route_through_the_case_page(client, city) -> None:  # type: ignore[no-untyped-def]
    appeal = new_appeal(city)
    earlier = new_appeal(city, title="同一件事")
    client.force_login(city.dispatcher)
    response = step(client, appeal, "special", {"route": "same_matter", "linked_to": "NOPE"})
    assert response.status_code == 400
    response = step(client, appeal, "special", {"route": "same_matter", "linked_to": earlier.tracking_code})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == State.LINKED and appeal.linked_to == earlier


def test_attachments_are_served_to_the_case_workers_only(client, city) -> None:  # type: ignore[no-untyped-def]
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from massline.appeals.attachments import attachments_check

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    checked = attachments_check([SimpleUploadedFile("坑.png", buffer.getvalue(), content_type="image/png")])
    appeal = appeal_route(appeal=submit(city, attachments=checked).appeal)
    file = appeal.attachments.get()
    url = reverse("appeals:attachment", args=[appeal.tracking_code, file.pk])
    client.force_login(city.handler)
    assert f'href="{url}"' in client.get(reverse("appeals:case", args=[appeal.tracking_code])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.force_login(city.outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to sign in; there is no public address for files


def test_a_confidential_letter_scan_never_reaches_the_handling_unit(client, city) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from massline.appeals.attachments import attachment_store, attachments_check

    appeal = appeal_route(appeal=submit(city, contact_confidential=True, channel="letter").appeal)
    (checked,) = attachments_check([SimpleUploadedFile("letter.pdf", b"%PDF-1.4 signed: Wang Fang, 3-201")])
    scan = attachment_store(appeal=appeal, checked=checked, kind="scan")
    url = reverse("appeals:attachment", args=[appeal.tracking_code, scan.pk])
    client.force_login(city.handler)
    assert url not in client.get(reverse("appeals:case", args=[appeal.tracking_code])).content.decode()
    assert client.get(url).status_code == 404
    client.force_login(city.operator)
    assert client.get(url).status_code == 200


def test_a_unit_that_returned_the_appeal_and_is_consulted_sees_no_contact(client, city) -> None:  # type: ignore[no-untyped-def]
    from massline.appeals.services import units_consult

    appeal = appeal_route(appeal=submit(city).appeal)  # not confidential: the lead unit may see the citizen
    client.force_login(city.handler)
    assert "13800000000" in client.get(reverse("appeals:case", args=[appeal.tracking_code])).content.decode()
    appeal = assignment_object(actor=city.handler, appeal=appeal, reason="不属于我局")
    units_consult(actor=city.dispatcher, appeal=appeal, units=[city.urban_bureau], question="请说明理由")
    page = client.get(reverse("appeals:case", args=[appeal.tracking_code])).content.decode()
    assert 'id="step-consultanswer"' in page and "13800000000" not in page


def test_the_dispatcher_gets_suggestions(client, city) -> None:  # type: ignore[no-untyped-def]
    from massline.appeals.services import appeal_reply

    earlier = assignment_accept(actor=city.handler, appeal=appeal_route(appeal=submit(city).appeal))
    appeal_reply(actor=city.handler, appeal=earlier, outcome="solved", text="已修复，感谢您的反映。")
    returned = appeal_route(appeal=submit(city).appeal)
    assignment_object(actor=city.handler, appeal=returned, reason="不属于我局")
    client.force_login(city.dispatcher)
    page = client.get(reverse("appeals:case", args=[returned.tracking_code]), HTTP_ACCEPT_LANGUAGE="en").content
    html = page.decode()
    hint = html.split('data-testid="suggestions"')[1].split("</p>")[0]
    assert city.urban_bureau.name_en in hint and "responsibility matrix" in hint
    assert f'<option value="{city.urban_bureau.pk}" selected>' in html
