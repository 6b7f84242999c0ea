"""The active router in the appeal loop: a confident guess gives an uncategorised appeal its topic and the matrix
dispatches it at once; an unsure or unreadable one goes to a dispatcher, who sees the router's suggestions.
Versions are kept with their figures, and rolling back is activating an earlier one; both are audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from massline.appeals.selectors import dispatch_suggestions
from massline.appeals.services import appeal_submit
from massline.appeals.transitions import State
from massline.audit.models import AuditRecord
from massline.intelligence.models import RouterVersion
from massline.intelligence.routing.model import Router, cross_validate
from massline.intelligence.services import router_activate, router_register

from .conftest import labelled_rows

pytestmark = pytest.mark.django_db(transaction=True)  # routing runs when the submission commits


@pytest.fixture
def router(settings, tmp_path: Path) -> RouterVersion:  # type: ignore[no-untyped-def]
    settings.MASSLINE_MODEL_DIR = str(tmp_path / "models")
    texts, labels = zip(*labelled_rows(), strict=True)
    trained = Router.train(texts, labels)
    trained.meta["cross_validation"] = cross_validate(texts, labels)
    return router_register(actor=None, router=trained, trained_on="test messages")


def submit(city, title: str, description: str):  # type: ignore[no-untyped-def]
    return appeal_submit(
        actor=None, kind="complaint", channel="web", title=title, description=description, area=city.street_a
    ).appeal


def test_a_confident_guess_dispatches_an_uncategorised_appeal_at_once(city, router) -> None:  # type: ignore[no-untyped-def]
    appeal = submit(city, "中山路路面大坑", "中山路的路面有个大坑，车辆经过很危险，请尽快修补。")
    assert appeal.state == State.DISPATCHED
    assert appeal.category == city.potholes and appeal.lead_unit == city.urban_bureau
    dispatch = appeal.events.get(action="dispatch")
    assert dispatch.data["router"]["version"] == router.version and dispatch.data["router"]["confident"]
    assert dispatch.data["router"]["confidence"] >= router.threshold


def test_an_unreadable_appeal_goes_to_a_dispatcher_with_no_topic_guessed(city, router) -> None:  # type: ignore[no-untyped-def]
    appeal = submit(city, "？？？", "🙂🙂🙂 123")
    assert appeal.state == State.PENDING_DISPATCH and appeal.category is None
    queued = appeal.events.get(action="queue")
    assert queued.data["router"]["confident"] is False and queued.data["router"]["confidence"] == 0.0


def test_a_guess_whose_topic_the_catalogue_lacks_leaves_the_appeal_to_a_dispatcher(city, router) -> None:  # type: ignore[no-untyped-def]
    # The router knows pensions (C0201); this deployment's catalogue has no such topic.
    appeal = submit(city, "养老金", "我想问养老金每月什么时候发放，社保怎么查询。")
    assert appeal.state == State.PENDING_DISPATCH and appeal.category is None


def test_the_dispatcher_sees_the_router_s_suggestion(city, router) -> None:  # type: ignore[no-untyped-def]
    appeal = submit(city, "？", "🙂")  # queued
    appeal.title, appeal.description = "施工噪音", "晚上有工地施工噪音，吵得居民睡不着觉。"
    appeal.save(update_fields=["title", "description"])
    suggestions = dispatch_suggestions(user=city.dispatcher, appeal=appeal)
    assert suggestions and suggestions[0][0] == city.street_a_office
    assert "%" in suggestions[0][1]


def test_versions_are_kept_and_rolling_back_activates_an_earlier_one(city, router) -> None:  # type: ignore[no-untyped-def]
    texts, labels = zip(*labelled_rows(), strict=True)
    second = router_register(actor=None, router=Router.train(texts, labels), trained_on="again")
    assert list(RouterVersion.objects.filter(is_active=True)) == [second]
    assert router.metrics["macro_f1"] > 0.9 and second.metrics == {}  # the second was trained without CV
    router_activate(actor=city.supervisor, version=RouterVersion.objects.get(version=router.version), reason="回退")
    assert RouterVersion.objects.get(is_active=True).version == router.version
    events = list(AuditRecord.objects.filter(event__startswith="intelligence.router").values_list("event", flat=True))
    assert events.count("intelligence.router.register") == 2 and events.count("intelligence.router.activate") == 3
    appeal = submit(city, "道路坑洼", "新华路口道路坑洼不平，下雨天积水。")
    assert appeal.events.get(action="dispatch").data["router"]["version"] == router.version


def test_retraining_learns_from_the_topics_people_gave_appeals(city, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from massline.intelligence.training import train_from_history

    settings.MASSLINE_MODEL_DIR = str(tmp_path / "models")
    for text, label in labelled_rows():
        if label == "C0201":
            continue  # this catalogue has no pension topic
        category = city.potholes if label == "C0101" else city.noise
        appeal_submit(
            actor=None, kind="complaint", channel="web", title=text[:12], description=text, area=city.street_a,
            category=category,
        )  # fmt: skip
    version = train_from_history(actor=None)
    assert version is not None and version.is_active and version.trained_on == "appeals history"
    assert sorted(version.labels) == ["C0101", "C0102"] and version.metrics["macro_f1"] > 0.9
    # With the retrained router, an uncategorised appeal about noise is dispatched to the street at once.
    appeal = submit(city, "噪音扰民", "滨江花园附近酒吧深夜噪音很大，老人孩子无法休息。")
    assert appeal.category == city.noise and appeal.lead_unit == city.street_a_office
