"""Labelled messages for the router tests: three topics written the way citizens write, varied by place and
wording, so that a model has to learn words rather than memorise sentences."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest

from massline.appeals.tests.conftest import city  # noqa: F401  (the appeal tests' city, with a catalogue)

PLACES = ["和平路", "东风街道", "幸福小区", "人民公园旁", "第三中学门口", "滨江花园", "新华路口", "老城区菜市场"]
TOPICS = {
    "C0101": [
        "{p}的路面有个大坑，车辆经过很危险，请尽快修补。",
        "{p}道路坑洼不平，下雨天积水，行人摔倒过好几次。",
        "{p}路面塌陷破损很久了，希望市政部门来修路。",
    ],
    "C0102": [
        "{p}晚上有工地施工噪音，吵得居民睡不着觉。",
        "{p}广场舞音响声音太大，噪声扰民，请管一管。",
        "{p}附近酒吧深夜噪音很大，老人孩子无法休息。",
    ],
    "C0201": [
        "我在{p}附近住，想问养老金每月什么时候发放，社保怎么查询。",
        "{p}的退休人员养老保险待遇调整了吗，社保局能否答复。",
        "单位没有给我交社保，我在{p}上班，请劳动监察处理欠缴养老保险。",
    ],
}


def labelled_rows() -> list[tuple[str, str]]:
    rows = [
        (template.format(p=place), label)
        for label, templates in TOPICS.items()
        for template, place in itertools.product(templates, PLACES)
    ]
    return rows


@pytest.fixture
def training_csv(tmp_path: Path) -> Path:
    path = tmp_path / "train.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "message", "topic"])
        for number, (text, label) in enumerate(labelled_rows(), start=1):
            writer.writerow([number, text, label])
    return path
