"""Demo seeders of the organisation: the demo city of ``demo_city`` built through the services, so every node
has its materialised path and an audit record."""

from __future__ import annotations

import time
from decimal import Decimal

from massline.core.seeding import SeedContext, seeder

from . import demo_city as city
from .models import Area, Category, Unit
from .services.tree import area_create, category_create, rule_set, unit_create


def _create_area(spec: city.AreaSpec, parent: Area | None) -> Area:
    fields = spec.fields()
    fields["latitude"] = Decimal(fields["latitude"])
    fields["longitude"] = Decimal(fields["longitude"])
    return area_create(actor=None, parent=parent, **fields)


@seeder("org.city")
def seed_city(context: SeedContext) -> None:
    """江川省 / Jiangchuan Province and 明湖市 / Minghu City: areas, units, categories and the matrix."""
    if Area.objects.filter(code=city.PROVINCE["code"]).exists():
        context.write(f"org.city: {city.PROVINCE['name_en']} exists, skipped")
        return
    started = time.monotonic()

    # The administrative tree, top down.
    province_spec = city.area_tree()
    province = _create_area(province_spec, None)
    city_spec = province_spec.children[0]
    city_area = _create_area(city_spec, province)
    areas: dict[str, Area] = {province.code: province, city_area.code: city_area}
    for district_spec in city_spec.children:
        district = areas[district_spec.code] = _create_area(district_spec, city_area)
        for street_spec in district_spec.children:
            street = areas[street_spec.code] = _create_area(street_spec, district)
            for community_spec in street_spec.children:
                community = areas[community_spec.code] = _create_area(community_spec, street)
                for grid_spec in community_spec.children:
                    areas[grid_spec.code] = _create_area(grid_spec, community)

    # The category catalogue.
    category_specs = city.categories()
    categories: dict[str, Category] = {}
    for spec in category_specs:
        categories[spec.code] = category_create(
            actor=None,
            code=spec.code,
            name_zh=spec.name_zh,
            name_en=spec.name_en,
            parent=categories[spec.parent_code] if spec.parent_code else None,
        )

    # Units: the city government, its departments, then each district's government, bureaus, street offices,
    # mediation committees, residents' and village committees and grid teams.
    units: dict[str, Unit] = {}
    government_code = city.unit_code(city_area.code, city.CITY_GOVERNMENT["key"])
    government = units[government_code] = unit_create(
        actor=None,
        code=government_code,
        name_zh=city.CITY_GOVERNMENT["name_zh"],
        name_en=city.CITY_GOVERNMENT["name_en"],
        kind=city.CITY_GOVERNMENT["kind"],
        address=city.CITY_GOVERNMENT["address"],
        area=city_area,
        parent=None,
    )
    for key, kind, name_zh, name_en in city.DEPARTMENTS:
        code = city.unit_code(city_area.code, key)
        units[code] = unit_create(
            actor=None,
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            kind=kind,
            area=city_area,
            parent=government,
            phone=city.UNIT_PHONES.get(key, ""),
        )
    street_offices: dict[str, Unit] = {}
    mediation_committees: dict[str, Unit] = {}
    for district_spec in city_spec.children:
        district = areas[district_spec.code]
        gov_zh, gov_en = city.district_government_names(district_spec)
        district_government = units[city.unit_code(district.code, "GOV")] = unit_create(
            actor=None,
            code=city.unit_code(district.code, "GOV"),
            name_zh=gov_zh,
            name_en=gov_en,
            kind="government",
            area=district,
            parent=government,
        )
        names = {
            "zh": district_spec.name_zh,
            "en": district_spec.name_en,
            "short_zh": district_spec.short_zh,
            "short_en": district_spec.short_en,
        }
        for key, template_zh, template_en, counties_only in city.DISTRICT_BUREAUS:
            if counties_only and district_spec.kind != "county":
                continue
            code = city.unit_code(district.code, key)
            units[code] = unit_create(
                actor=None,
                code=code,
                name_zh=template_zh.format(**names),
                name_en=template_en.format(**names),
                kind="department",
                area=district,
                parent=district_government,
            )
        for index, street_spec in enumerate(district_spec.children, start=1):
            street = areas[street_spec.code]
            office_zh, office_en = city.street_office_names(district_spec, street_spec)
            office = street_offices[street.code] = units[city.unit_code(street.code, "OFFICE")] = unit_create(
                actor=None,
                code=city.unit_code(street.code, "OFFICE"),
                name_zh=office_zh,
                name_en=office_en,
                kind="street_office",
                area=street,
                parent=district_government,
            )
            if index in city.MEDIATION_STREET_INDEXES:
                code = city.unit_code(street.code, "MEDIATION")
                mediation_committees[street.code] = units[code] = unit_create(
                    actor=None,
                    code=code,
                    name_zh=f"{street_spec.name_zh}人民调解委员会",
                    name_en=f"{street_spec.name_en} People's Mediation Committee",
                    kind="mediation_committee",
                    area=street,
                    parent=office,
                )
            for community_spec in street_spec.children:
                community = areas[community_spec.code]
                committee_zh, committee_en, committee_kind = city.committee_names(community_spec)
                code = city.unit_code(community.code, "COMMITTEE")
                committee = units[code] = unit_create(
                    actor=None,
                    code=code,
                    name_zh=committee_zh,
                    name_en=committee_en,
                    kind=committee_kind,
                    area=community,
                    parent=office,
                )
                for grid_spec in community_spec.children:
                    code = city.unit_code(grid_spec.code, "TEAM")
                    units[code] = unit_create(
                        actor=None,
                        code=code,
                        name_zh=f"{grid_spec.name_zh}工作组",
                        name_en=f"{grid_spec.name_en} Team",
                        kind="grid_team",
                        area=areas[grid_spec.code],
                        parent=committee,
                    )

    # The responsibility matrix: city-wide rules per second-level category, district rules where the
    # district has the bureau, street rules for neighbourhood matters.
    rule_count = 0
    district_specs = city_spec.children
    for spec in category_specs:
        category = categories[spec.code]
        if spec.lead:
            rule_set(
                actor=None,
                category=category,
                area=city_area,
                lead_unit=units[city.unit_code(city_area.code, spec.lead)],
                co_units=[units[city.unit_code(city_area.code, key)] for key in spec.co_units],
                note="城市默认 / city-wide default",
            )
            rule_count += 1
            if spec.district_bureau:
                for district_spec in district_specs:
                    bureau = units.get(city.unit_code(district_spec.code, spec.district_bureau))
                    if bureau is None:
                        continue
                    rule_set(
                        actor=None,
                        category=category,
                        area=areas[district_spec.code],
                        lead_unit=bureau,
                        note="区县属地 / district bureau",
                    )
                    rule_count += 1
        if spec.local:
            for district_spec in district_specs:
                for street_spec in district_spec.children:
                    if spec.local == city.VILLAGE and street_spec.kind != "township":
                        continue
                    mediation = mediation_committees.get(street_spec.code)
                    co_units = [mediation] if mediation is not None and spec.local == city.LOCAL else []
                    rule_set(
                        actor=None,
                        category=category,
                        area=areas[street_spec.code],
                        lead_unit=street_offices[street_spec.code],
                        co_units=co_units,
                        note="街镇属地 / street office",
                    )
                    rule_count += 1

    levels = [sum(1 for spec in category_specs if len(spec.code) == n) for n in (3, 5, 7)]
    by_level = dict.fromkeys(range(1, 7), 0)
    for area in areas.values():
        by_level[area.level] += 1
    context.write(
        f"org.city: {province.name_en} / {city_area.name_en}: {by_level[3]} districts and counties, "
        f"{by_level[4]} streets and townships, {by_level[5]} communities and villages, {by_level[6]} grids; "
        f"{len(units)} units ({len(city.DEPARTMENTS)} city departments); categories {levels[0]}/{levels[1]}/"
        f"{levels[2]}; {rule_count} responsibility rules ({time.monotonic() - started:.1f} s)"
    )
