"""The organisation in Django's admin.

Tree nodes saved from the admin form get their derived fields (path, depth, an area's level) from
``tree_place``; a new parent goes through ``node_move`` so the whole subtree's paths are rewritten. Each
changelist links to an "Import CSV" page and an "Export CSV" download, both through the same use cases as
``massline org import/export``."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms.models import construct_instance
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from massline.accounts.permissions import Scope, is_platform_admin, scope_for
from massline.core.admin import AuditedAdminMixin
from massline.core.errors import ValidationFailed

from . import selectors
from .csv_format import FORMATS
from .models import (
    AREA_KIND_LEVEL,
    Area,
    AreaKind,
    CalendarOverride,
    Category,
    Post,
    ResponsibilityRule,
    TreeNode,
    Unit,
)
from .selectors.csv_export import org_csv_export
from .services.csv_import import org_csv_import
from .services.tree import node_move, tree_place

MAX_CSV_BYTES = 20 * 1024 * 1024


# --- CSV import and export ----------------------------------------------------------------------------------


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with or without a byte-order mark; the first row names the columns."),
    )
    partial = forms.BooleanField(
        label=_("Import valid rows only"),
        required=False,
        help_text=_(
            "Import the rows without errors even when other rows have errors. "
            "Otherwise a file with any error imports nothing."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Check only"),
        required=False,
        help_text=_("Validate the file and show what would change, without writing anything."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 20 MB)."))
        return upload


class CsvAdminMixin(admin.ModelAdmin):
    """Adds the import page and the export download to a changelist."""

    csv_kind = ""
    change_list_template = "admin/org/change_list_csv.html"

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import-csv/",
                self.admin_site.admin_view(self.csv_import_view),
                name="{}_{}_import_csv".format(*info),
            ),
            path(
                "export-csv/",
                self.admin_site.admin_view(self.csv_export_view),
                name="{}_{}_export_csv".format(*info),
            ),
            *super().get_urls(),
        ]

    def can_import_csv(self, request: HttpRequest) -> bool:
        """Importing writes anywhere in the organisation, so it is for platform administrators only."""
        return (
            self.has_add_permission(request) and self.has_change_permission(request) and is_platform_admin(request.user)
        )

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "csv_can_import": self.can_import_csv(request),
            "csv_can_export": self.has_view_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def csv_import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.can_import_csv(request):
            raise PermissionDenied
        result = None
        if request.method == "POST":
            form = CsvImportForm(request.POST, request.FILES)
            if form.is_valid():
                result = org_csv_import(
                    actor=request.user,
                    kind=self.csv_kind,
                    source=form.cleaned_data["file"].read(),
                    partial=form.cleaned_data["partial"],
                    dry_run=form.cleaned_data["dry_run"],
                )
                if result.written:
                    messages.success(
                        request,
                        gettext("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
                    )
        else:
            form = CsvImportForm()
        fmt = FORMATS[self.csv_kind]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import %(name)s from CSV") % {"name": self.opts.verbose_name_plural},
            "form": form,
            "result": result,
            "columns": [(column, column in fmt.required) for column in fmt.columns],
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/org/csv_import.html", context)

    def csv_export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.csv_kind}.csv"'
        response.write("\ufeff")  # so that Excel reads the Chinese names as UTF-8
        org_csv_export(kind=self.csv_kind, out=response, user=request.user)  # type: ignore[arg-type]
        return response


# --- trees ----------------------------------------------------------------------------------------------------


class TreeNodeForm(forms.ModelForm):
    """Checks the node's place in its tree (the rules ``tree_place`` and ``node_move`` keep) before saving,
    so a refused placement is a form error rather than a server error. Checks a copy: the form's own
    instance is only filled in after ``clean``."""

    def clean(self) -> dict[str, Any] | None:
        cleaned_data = super().clean()
        if any(name in self.errors for name in ("code", "parent", "kind")):
            return cleaned_data
        node = construct_instance(self, copy.copy(self.instance), self._meta.fields, self._meta.exclude)
        try:
            tree_place(node)
            _check_subtree(node)
        except ValidationFailed as exc:
            field = exc.field if exc.field in self.fields else None
            self.add_error(field, str(exc.message))
        return cleaned_data


def _check_subtree(node: Any) -> None:
    """What ``tree_place`` does not see: the node's existing descendants."""
    if node.pk is None:
        return
    model = type(node)
    if isinstance(node, Category):
        old_path, old_depth = model.objects.filter(pk=node.pk).values_list("path", "depth").get()
        deepest = max(
            model.objects.filter(path__startswith=old_path).values_list("depth", flat=True), default=old_depth
        )
        if deepest + node.depth - old_depth >= Category.MAX_LEVEL:
            raise ValidationFailed(gettext("The category catalogue has at most three levels."), field="parent")
    if isinstance(node, Area):
        for child_code, child_kind in Area.objects.filter(parent_id=node.pk).values_list("code", "kind"):
            if AREA_KIND_LEVEL[AreaKind(child_kind)] <= node.level:
                raise ValidationFailed(
                    gettext("The area %(child)s (a %(child_kind)s) would no longer be below this %(kind)s.")
                    % {"child": child_code, "child_kind": AreaKind(child_kind).label, "kind": node.get_kind_display()},
                    field="kind",
                )


def _within(path: str, paths: tuple[str, ...]) -> bool:
    return any(path.startswith(prefix) for prefix in paths)


class ScopedEditMixin(admin.ModelAdmin):
    """An administrator scoped to a district or unit changes only what lies within that scope; data that
    serves the whole deployment (the category catalogue, the working calendar) only platform administrators
    change. Others may still view. A crafted form that places an object outside the scope is refused (403)."""

    platform_only = False

    def object_in_scope(self, scope: Scope, obj: Any) -> bool:
        return scope.everything

    def _may_edit(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_platform_admin(request.user):
            return True
        if self.platform_only:
            return False
        return obj is None or self.object_in_scope(scope_for(request.user), obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self._may_edit(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not self._may_edit(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


def _placed_path(node: Any) -> str:
    """The path ``node`` will have under its (possibly new) parent."""
    return TreeNode.child_path(node.parent.path if node.parent else None, node.code)


class TreeAdminMixin(ScopedEditMixin, CsvAdminMixin, AuditedAdminMixin):
    form = TreeNodeForm

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and "code" not in readonly:
            readonly.append("code")  # a code is the node's identity in paths and imports
        return readonly

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not self._may_edit(request, obj):  # checked here too: a move below bypasses the parent's check
            raise PermissionDenied
        if not change:
            tree_place(obj)
            super().save_model(request, obj, form, change)
            return
        previous = type(obj)._default_manager.get(pk=obj.pk)
        if previous.parent_id == obj.parent_id:
            tree_place(obj)  # an area's level follows its kind
            super().save_model(request, obj, form, change)
            return
        # A new parent: save the node's own fields where it is, then move it with its whole subtree.
        new_parent = obj.parent
        obj.parent, obj.path, obj.depth = previous.parent, previous.path, previous.depth
        if isinstance(obj, Area):
            obj.level = AREA_KIND_LEVEL[AreaKind(obj.kind)]
        super().save_model(request, obj, form, change)
        moved = node_move(actor=request.user, node=obj, new_parent=new_parent, reason="admin")
        obj.parent, obj.path, obj.depth = moved.parent, moved.path, moved.depth


@admin.register(Area)
class AreaAdmin(TreeAdminMixin):
    csv_kind = "areas"

    def object_in_scope(self, scope: Scope, obj: Any) -> bool:
        current = not obj.path or _within(obj.path, scope.area_paths)
        return scope.everything or (current and _within(_placed_path(obj), scope.area_paths))

    list_display = ["code", "name_zh", "name_en", "kind", "level", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "level", "depth"]


@admin.register(Unit)
class UnitAdmin(TreeAdminMixin):
    csv_kind = "units"

    def object_in_scope(self, scope: Scope, obj: Any) -> bool:
        if scope.everything:
            return True
        placed = _placed_path(obj)
        by_unit = _within(placed, scope.unit_paths) and (not obj.path or _within(obj.path, scope.unit_paths))
        area = Area.objects.filter(pk=obj.area_id).first()
        by_area = area is not None and _within(area.path, scope.area_paths)
        return by_unit or by_area

    list_display = ["code", "name_zh", "name_en", "kind", "area", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["parent", "area"]
    readonly_fields = ["path", "depth"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        return selectors.unit_list(user=request.user)


@admin.register(Category)
class CategoryAdmin(TreeAdminMixin):
    csv_kind = "categories"
    platform_only = True
    list_display = ["code", "name_zh", "name_en", "parent", "is_active"]
    list_filter = ["depth", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "depth"]


@admin.register(ResponsibilityRule)
class ResponsibilityRuleAdmin(ScopedEditMixin, CsvAdminMixin, AuditedAdminMixin):
    csv_kind = "rules"

    def object_in_scope(self, scope: Scope, obj: Any) -> bool:
        area = Area.objects.filter(pk=obj.area_id).first()
        return scope.everything or (area is not None and _within(area.path, scope.area_paths))

    list_display = ["category", "area", "lead_unit"]
    search_fields = ["category__name_zh", "category__name_en", "area__name_zh", "lead_unit__name_zh"]
    autocomplete_fields = ["category", "area", "lead_unit", "co_units"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ResponsibilityRule]:
        return selectors.rule_list(user=request.user)


@admin.register(Post)
class PostAdmin(ScopedEditMixin, CsvAdminMixin, AuditedAdminMixin):
    csv_kind = "posts"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A post's person and unit never change (see services.post_update): end it and create another.
        return [*super().get_readonly_fields(request, obj), *(["user", "unit"] if obj is not None else [])]

    def object_in_scope(self, scope: Scope, obj: Any) -> bool:
        unit = Unit.objects.select_related("area").filter(pk=obj.unit_id).first()
        return scope.everything or (
            unit is not None and (_within(unit.path, scope.unit_paths) or _within(unit.area.path, scope.area_paths))
        )

    list_display = ["unit", "title_zh", "user", "is_head"]
    search_fields = ["title_zh", "title_en", "user__username", "unit__name_zh"]
    autocomplete_fields = ["user", "unit"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        return selectors.post_list(user=request.user)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ScopedEditMixin, AuditedAdminMixin):
    platform_only = True
    list_display = ["date", "is_working_day", "reason"]
    list_filter = ["is_working_day"]
    search_fields = ["reason"]
    date_hierarchy = "date"
