"""The public case wall shows answered appeals only with the citizen's consent, and never their identity."""

import pytest

from massline.appeals.redaction import mask_for_publication
from massline.appeals.services import ContactInput, appeal_reply, appeal_route, appeal_submit, assignment_accept

pytestmark = pytest.mark.django_db


def answered(city, *, consent: bool, title: str):  # type: ignore[no-untyped-def]
    appeal = appeal_submit(
        actor=None,
        kind="complaint",
        channel="web",
        title=title,
        description="我是张伟，住和平路12号3栋201室，电话13812345678，楼下王女士家漏水。",
        area=city.community_a,
        category=city.potholes,
        contact=ContactInput(name="张伟", phone="13812345678"),
        publish_consent=consent,
    ).appeal
    appeal = assignment_accept(actor=city.handler, appeal=appeal_route(appeal=appeal))
    return appeal_reply(actor=city.handler, appeal=appeal, outcome="solved", text="已联系张伟先生并于12号修复。")


def test_the_wall_shows_consented_answers_masked(client, city) -> None:  # type: ignore[no-untyped-def]
    shown = answered(city, consent=True, title="楼上漏水请处理")
    hidden = answered(city, consent=False, title="不愿公开的诉求")
    html = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "楼上漏水请处理" in html and "不愿公开的诉求" not in html
    for secret in ("张伟", "13812345678", "12号3栋201室", "王女士"):
        assert secret not in html
    assert "某女士" in html and city.street_a.name_en in html  # the place no finer than the street
    assert city.community_a.name_en not in html
    assert shown.tracking_code not in html and hidden.tracking_code not in html


def test_masking_for_publication() -> None:
    text = mask_for_publication("李建国说：朝阳路88号院5号楼3单元702室的刘先生电话010-88886666", names=["李建国"])
    assert text == "某某说：朝阳路*号院*号楼*单元*室的某先生电话[电话]"
