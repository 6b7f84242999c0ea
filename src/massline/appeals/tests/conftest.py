"""Fixtures of the appeal tests: the small test city with a catalogue, a matrix and a person for each role."""

import pytest

from massline.org.services import category_create, rule_set


@pytest.fixture
def city(small_city, make_person):  # type: ignore[no-untyped-def]
    c = small_city
    roads = category_create(actor=None, code="C01", name_zh="城市管理", name_en="Urban management")
    potholes = category_create(actor=None, code="C0101", name_zh="道路坑洼", name_en="Potholes", parent=roads)
    noise = category_create(actor=None, code="C0102", name_zh="噪声", name_en="Noise", parent=roads)
    rule_set(actor=None, category=potholes, area=c.city, lead_unit=c.urban_bureau)
    rule_set(actor=None, category=noise, area=c.street_a, lead_unit=c.street_a_office)
    c.potholes, c.noise = potholes, noise
    c.dispatcher = make_person("dispatcher", unit=c.hotline)
    c.operator = make_person("operator", unit=c.hotline)
    c.handler = make_person("handler", unit=c.urban_bureau)
    c.street_handler = make_person("handler", unit=c.street_a_office)
    c.outsider = make_person("handler", unit=c.district_a_bureau)
    c.supervisor = make_person("supervisor", area=c.city)
    return c
