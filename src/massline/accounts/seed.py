"""Demo seeders of accounts: one staff account for every role in the demo city, and one citizen."""

from __future__ import annotations

from dataclasses import dataclass

from massline.core.seeding import SeedContext, seeder
from massline.org import demo_city as city
from massline.org.models import Area, Unit
from massline.org.services.tree import post_create

from .models import User
from .roles import Role
from .services import role_grant, user_create

CITY = city.CITY["code"]
DISTRICT = f"{CITY}{city.DISTRICTS[0]['suffix']}"  # 湖心区 / Huxin District
STREET = f"{DISTRICT}001"  # its first street, which has a people's mediation committee
VILLAGE = "JC0107002002"  # 茶山村 / Chashan Village, in a township of the county


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    description: str
    unit: str | None = None  # code of the unit the role is scoped to
    area: str | None = None  # code of the area the role is scoped to
    post_unit: str | None = None  # code of the unit of the person's post (default: ``unit``)
    title_zh: str = ""
    title_en: str = ""
    is_head: bool = False


ACCOUNTS: list[DemoAccount] = [
    DemoAccount(
        "operator",
        "王晓燕",
        Role.OPERATOR,
        "hotline operator, 12345 centre",
        unit=city.unit_code(CITY, "HOTLINE"),
        title_zh="话务员",
        title_en="Hotline operator",
    ),
    DemoAccount(
        "dispatcher",
        "李建华",
        Role.DISPATCHER,
        "dispatcher, 12345 centre",
        unit=city.unit_code(CITY, "HOTLINE"),
        title_zh="派单员",
        title_en="Dispatcher",
    ),
    DemoAccount(
        "handler",
        "张伟",
        Role.HANDLER,
        "case handler, city urban management bureau",
        unit=city.unit_code(CITY, "URBAN"),
        title_zh="科员",
        title_en="Clerk",
    ),
    DemoAccount(
        "leader",
        "刘志强",
        Role.UNIT_LEADER,
        "unit leader, city urban management bureau",
        unit=city.unit_code(CITY, "URBAN"),
        title_zh="局长",
        title_en="Director",
        is_head=True,
    ),
    DemoAccount(
        "handler.d1",
        "陈静",
        Role.HANDLER,
        "case handler, Huxin District urban management bureau",
        unit=city.unit_code(DISTRICT, "URBAN"),
        title_zh="科员",
        title_en="Clerk",
    ),
    DemoAccount(
        "leader.d1",
        "赵国栋",
        Role.UNIT_LEADER,
        "unit leader, Huxin District urban management bureau",
        unit=city.unit_code(DISTRICT, "URBAN"),
        title_zh="局长",
        title_en="Director",
        is_head=True,
    ),
    DemoAccount(
        "supervisor",
        "杨帆",
        Role.SUPERVISOR,
        "supervisor, whole city",
        area=CITY,
        post_unit=city.unit_code(CITY, "HOTLINE"),
        title_zh="督办科科长",
        title_en="Chief, Supervision Section",
    ),
    DemoAccount(
        "mediator",
        "黄丽",
        Role.MEDIATOR,
        "people's mediator, Heping Subdistrict",
        unit=city.unit_code(STREET, "MEDIATION"),
        title_zh="人民调解员",
        title_en="People's mediator",
    ),
    DemoAccount(
        "inspector",
        "周正",
        Role.INSPECTOR,
        "discipline inspector, city commission",
        unit=city.unit_code(CITY, "CDI"),
        title_zh="纪检监察员",
        title_en="Discipline inspector",
    ),
    DemoAccount(
        "analyst",
        "吴敏",
        Role.ANALYST,
        "analyst, whole city",
        area=CITY,
        post_unit=city.unit_code(CITY, "HOTLINE"),
        title_zh="数据分析员",
        title_en="Data analyst",
    ),
    DemoAccount(
        "admin",
        "徐涛",
        Role.ADMINISTRATOR,
        "platform administrator (everything)",
        post_unit=city.unit_code(CITY, "GOVSERV"),
        title_zh="系统管理员",
        title_en="System administrator",
    ),
    DemoAccount(
        "admin.d1",
        "孙悦",
        Role.ADMINISTRATOR,
        "administrator, Huxin District",
        area=DISTRICT,
        post_unit=city.unit_code(DISTRICT, "GOV"),
        title_zh="信息管理员",
        title_en="Information administrator",
    ),
    DemoAccount(
        "office.d1",
        "郑华",
        Role.HANDLER,
        "clerk, Huxin District Government office (runs its consultations)",
        unit=city.unit_code(DISTRICT, "GOV"),
        title_zh="办公室科员",
        title_en="Office clerk",
    ),
    DemoAccount(
        "village",
        "茶春梅",
        Role.HANDLER,
        "clerk, Chashan Village Committee",
        unit=city.unit_code(VILLAGE, "COMMITTEE"),
        title_zh="村委会文书",
        title_en="Committee clerk",
    ),
    DemoAccount(
        "village.head",
        "茶建国",
        Role.UNIT_LEADER,
        "director, Chashan Village Committee",
        unit=city.unit_code(VILLAGE, "COMMITTEE"),
        title_zh="村委会主任",
        title_en="Committee director",
        is_head=True,
    ),
    DemoAccount("citizen", "林小雨", Role.CITIZEN, "citizen of Minghu"),
]


@seeder("accounts.staff", after=("org.city",))
def seed_staff(context: SeedContext) -> None:
    """The demo accounts, all with the demo password. Existing usernames are left alone."""
    codes = {code for account in ACCOUNTS for code in (account.unit, account.post_unit) if code}
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
    areas = {area.code: area for area in Area.objects.filter(code__in={a.area for a in ACCOUNTS if a.area})}
    existing = set(User.objects.filter(username__in=[a.username for a in ACCOUNTS]).values_list("username", flat=True))
    missing = (codes - units.keys()) | ({a.area for a in ACCOUNTS if a.area} - areas.keys())
    if missing and any(account.username not in existing for account in ACCOUNTS):
        context.write(f"accounts.staff: the demo city lacks {', '.join(sorted(missing))}; run org.city first, skipped")
        return
    created = 0
    for account in ACCOUNTS:
        context.logins.append((account.role, account.username, account.description))
        if account.username in existing:
            continue
        user = user_create(
            actor=None,
            username=account.username,
            password=context.demo_password,
            display_name=account.display_name,
            email=f"{account.username}@minghu.example",
        )
        unit = units.get(account.unit) if account.unit else None
        role_grant(
            actor=None,
            user=user,
            role=account.role,
            unit=unit,
            area=areas.get(account.area) if account.area else None,
        )
        post_unit = units.get(account.post_unit or account.unit or "")
        if post_unit is not None:
            post_create(
                actor=None,
                user=user,
                unit=post_unit,
                title_zh=account.title_zh,
                title_en=account.title_en,
                is_head=account.is_head,
            )
        created += 1
    context.write(f"accounts.staff: {created} accounts created, {len(existing)} already there")
