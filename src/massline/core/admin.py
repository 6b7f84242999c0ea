"""Admin pages write through Django's admin forms; this mixin puts every save, inline change, many-to-many
change and delete on the audit ledger, in the same transaction (the admin wraps every change view in
``transaction.atomic``). The record is written after the related objects are saved, so a rule's co-units or
a person's roles appear in the "after" state."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from massline.audit.services import audit_record, snapshot


def _event(obj: Model, verb: str) -> str:
    return f"{obj._meta.label_lower}.{verb}"


class AuditedAdminMixin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk is not None:
            previous = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(previous, with_many_to_many=True) if previous is not None else None
        request._audit_before = before  # type: ignore[attr-defined]  # read back in save_related
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        audit_record(
            event=_event(obj, "changed" if change else "created"),
            actor=request.user,
            target=obj,
            before=getattr(request, "_audit_before", None),
            after=snapshot(obj, with_many_to_many=True),
            reason="admin",
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (for example a person's roles) are official changes of their own."""
        befores: dict[int, tuple[Any, dict[str, Any]]] = {}  # keyed by the instance, whose pk a delete clears
        for inline_form in formset.initial_forms:
            child = inline_form.instance
            previous = type(child)._default_manager.filter(pk=child.pk).first() if child.pk is not None else None
            if previous is not None:
                befores[id(child)] = (child.pk, snapshot(previous))
        super().save_formset(request, form, formset, change)
        for child in formset.new_objects:
            audit_record(
                event=_event(child, "created"), actor=request.user, target=child, after=snapshot(child), reason="admin"
            )
        for child, _fields in formset.changed_objects:
            audit_record(
                event=_event(child, "changed"),
                actor=request.user,
                target=child,
                before=befores.get(id(child), (None, None))[1],
                after=snapshot(child),
                reason="admin",
            )
        for child in formset.deleted_objects:
            audit_record(
                event=_event(child, "deleted"),
                actor=request.user,
                target_type=child._meta.label_lower,
                target_id=str(befores.get(id(child), ("", None))[0]),
                before=befores.get(id(child), (None, None))[1],
                reason="admin",
            )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        before = snapshot(obj, with_many_to_many=True)
        target_type, target_id = obj._meta.label_lower, obj.pk
        super().delete_model(request, obj)
        audit_record(
            event=f"{target_type}.deleted",
            actor=request.user,
            target_type=target_type,
            target_id=str(target_id),
            before=before,
            reason="admin",
        )

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


# RQ's dashboard (django-rq) lists every queued job of the platform and can empty, requeue and delete them. It
# lets in anyone with ``is_staff``, which district administrators hold for the organisation pages; here it is
# for platform administrators only, and to every other signed-in person it looks like nothing is there.
# Visitors who are not signed in still reach RQ's own checks (the sign-in page, or the monitoring token).
def _platform_admins_only(view: Any) -> Any:
    from functools import wraps

    from django.http import Http404

    from massline.accounts.permissions import is_platform_admin

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not is_platform_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


def _not_a_row_page(name: str | None) -> bool:
    return name is not None and not name.endswith(("_add", "_change", "_delete", "_history"))


def _guard_rq_dashboard() -> None:
    from django.urls import URLPattern
    from django_rq import admin as rq_admin
    from django_rq.models import Dashboard

    from massline.accounts.permissions import is_platform_admin

    class PlatformQueueAdmin(rq_admin.QueueAdmin):
        def has_module_permission(self, request: HttpRequest) -> bool:
            return is_platform_admin(request.user)

        def get_urls(self) -> list[Any]:
            # The dashboard is a model with no table: its add, change, delete and history pages could only fail.
            return [
                URLPattern(url.pattern, _platform_admins_only(url.callback), url.default_args, url.name)
                for url in super().get_urls()
                if isinstance(url, URLPattern) and _not_a_row_page(url.name)
            ]

    if admin.site.is_registered(Dashboard):
        admin.site.unregister(Dashboard)
    admin.site.register(Dashboard, PlatformQueueAdmin)


_guard_rq_dashboard()
