from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from massline.core.admin import AuditedAdminMixin

from . import selectors
from .models import Area, CalendarOverride, Category, Post, ResponsibilityRule, Unit


@admin.register(Area)
class AreaAdmin(AuditedAdminMixin):
    list_display = ["code", "name_zh", "name_en", "kind", "level", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "level", "depth"]


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin):
    list_display = ["code", "name_zh", "name_en", "kind", "area", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["parent", "area"]
    readonly_fields = ["path", "depth"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        return selectors.unit_list(user=request.user)


@admin.register(Category)
class CategoryAdmin(AuditedAdminMixin):
    list_display = ["code", "name_zh", "name_en", "parent", "is_active"]
    list_filter = ["depth", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "depth"]


@admin.register(ResponsibilityRule)
class ResponsibilityRuleAdmin(AuditedAdminMixin):
    list_display = ["category", "area", "lead_unit"]
    search_fields = ["category__name_zh", "category__name_en", "area__name_zh", "lead_unit__name_zh"]
    autocomplete_fields = ["category", "area", "lead_unit", "co_units"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ResponsibilityRule]:
        return selectors.rule_list(user=request.user)


@admin.register(Post)
class PostAdmin(AuditedAdminMixin):
    list_display = ["unit", "title_zh", "user", "is_head"]
    search_fields = ["title_zh", "title_en", "user__username", "unit__name_zh"]
    autocomplete_fields = ["user", "unit"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        return selectors.post_list(user=request.user)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdminMixin):
    list_display = ["date", "is_working_day", "reason"]
    list_filter = ["is_working_day"]
    search_fields = ["reason"]
    date_hierarchy = "date"
