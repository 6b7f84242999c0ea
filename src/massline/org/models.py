"""The organisation: the administrative tree, units, the responsibility matrix, staff posts, the category
catalogue and the working-calendar overrides.

Trees (areas, units, categories) carry a materialised ``path`` built from their codes, so "everything under
this district" is one indexed prefix query, whatever the depth."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.models import BaseModel, BilingualNameMixin

PATH_SEPARATOR = "/"


class TreeNode(BilingualNameMixin, BaseModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    path = models.CharField(_("path"), max_length=400, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True

    @staticmethod
    def child_path(parent_path: str | None, code: str) -> str:
        return f"{parent_path or ''}{code}{PATH_SEPARATOR}"

    def is_within(self, other: "TreeNode") -> bool:
        return self.path.startswith(other.path)


class AreaLevel(models.IntegerChoices):
    PROVINCE = 1, _("province")
    CITY = 2, _("city")
    DISTRICT = 3, _("district / county")
    STREET = 4, _("street / township")
    COMMUNITY = 5, _("community / village")
    GRID = 6, _("grid")


class AreaKind(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    DISTRICT = "district", _("district")
    COUNTY = "county", _("county")
    STREET = "street", _("street")
    TOWNSHIP = "township", _("township")
    COMMUNITY = "community", _("community")
    VILLAGE = "village", _("village")
    GRID = "grid", _("grid")


AREA_KIND_LEVEL = {
    AreaKind.PROVINCE: AreaLevel.PROVINCE,
    AreaKind.CITY: AreaLevel.CITY,
    AreaKind.DISTRICT: AreaLevel.DISTRICT,
    AreaKind.COUNTY: AreaLevel.DISTRICT,
    AreaKind.STREET: AreaLevel.STREET,
    AreaKind.TOWNSHIP: AreaLevel.STREET,
    AreaKind.COMMUNITY: AreaLevel.COMMUNITY,
    AreaKind.VILLAGE: AreaLevel.COMMUNITY,
    AreaKind.GRID: AreaLevel.GRID,
}


class Area(TreeNode):
    """A node of the administrative tree: province → city → district → street/township →
    community/village → grid."""

    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=AreaLevel.choices, editable=False)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        indexes = [models.Index(fields=["level", "path"], name="org_area_level_path")]


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("people's government")
    DEPARTMENT = "department", _("government department")
    STREET_OFFICE = "street_office", _("street office / township government")
    RESIDENTS_COMMITTEE = "residents_committee", _("residents' committee")
    VILLAGE_COMMITTEE = "village_committee", _("village committee")
    HOTLINE_CENTRE = "hotline_centre", _("hotline centre")
    PETITION_BUREAU = "petition_bureau", _("letters and visits bureau")
    DISCIPLINE = "discipline", _("discipline inspection commission")
    MEDIATION_COMMITTEE = "mediation_committee", _("people's mediation committee")
    ENTERPRISE = "enterprise", _("public utility enterprise")
    GRID_TEAM = "grid_team", _("grid team")


class Unit(TreeNode):
    """An organisation that acts: a government, a department, a committee, the hotline centre."""

    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=UnitKind.choices)
    area = models.ForeignKey(Area, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="units")
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]


class Category(TreeNode):
    """A category of the three-level catalogue (for example: urban management → roads → potholes)."""

    MAX_LEVEL = 3

    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["path"]

    @property
    def level(self) -> int:
        return self.depth + 1


class ResponsibilityRule(BaseModel):
    """The responsibility matrix: for a category in an area, the lead unit and its co-units. The most specific
    rule wins: the deepest category, then the deepest area (see ``selectors.responsibility_for``)."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="rules")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="rules")
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="lead_rules"
    )
    co_units = models.ManyToManyField(Unit, verbose_name=_("co-units"), blank=True, related_name="co_rules")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("responsibility rule")
        verbose_name_plural = _("responsibility matrix")
        constraints = [models.UniqueConstraint(fields=["category", "area"], name="org_rule_one_per_category_area")]

    def __str__(self) -> str:
        return f"{self.category} × {self.area} → {self.lead_unit}"


class Post(BaseModel):
    """A staff post: a person's position in a unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="posts"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="posts")
    title_zh = models.CharField(_("title (Chinese)"), max_length=100)
    title_en = models.CharField(_("title (English)"), max_length=100, blank=True)
    is_head = models.BooleanField(_("head of unit"), default=False)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff post")
        verbose_name_plural = _("staff posts")
        ordering = ["unit__path", "-is_head", "id"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.title_zh} · {self.user}"


class CalendarOverride(BaseModel):
    """An administrator's correction to the statutory calendar: a day made working or rest, with the reason
    (for example a local holiday, or next year's schedule before the library knows it)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.reason}"
