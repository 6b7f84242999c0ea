"""Creating and changing the trees (areas, units, categories), the responsibility matrix and staff posts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import F, Model, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from massline.audit.services import audit_record, snapshot
from massline.core.errors import ValidationFailed

from ..models import AREA_KIND_LEVEL, Area, AreaKind, Category, Post, ResponsibilityRule, TreeNode, Unit

N = TypeVar("N", bound=TreeNode)
M = TypeVar("M", bound=Model)


def tree_place(node: N) -> N:
    """Fill the derived fields of ``node`` (path, depth, and an area's level) from its parent and code.
    Checks the rules every tree keeps: no cycles, areas one level below their parent, categories at most
    three levels deep."""
    parent = node.parent  # type: ignore[attr-defined]
    if parent is not None and node.pk is not None and parent.path.startswith(node.path or "\0"):
        raise ValidationFailed(_("A node cannot be placed under itself or its own descendant."), field="parent")
    node.path = TreeNode.child_path(parent.path if parent else None, node.code)
    node.depth = parent.depth + 1 if parent else 0
    if isinstance(node, Area):
        if node.kind not in AreaKind.values:
            raise ValidationFailed(_("Unknown kind of area: %(kind)s.") % {"kind": node.kind}, field="kind")
        node.level = AREA_KIND_LEVEL[AreaKind(node.kind)]
        if parent is not None and node.level <= parent.level:
            raise ValidationFailed(
                _("A %(kind)s cannot be placed under a %(parent)s.")
                % {"kind": node.get_kind_display(), "parent": parent.get_kind_display()},
                field="parent",
            )
    if isinstance(node, Category) and node.depth >= Category.MAX_LEVEL:
        raise ValidationFailed(_("The category catalogue has at most three levels."), field="parent")
    if "/" in node.code or not node.code.strip():
        raise ValidationFailed(_("A code must not be empty or contain “/”."), field="code")
    return node


def _create(model: type[N], *, actor: Any, fields: dict[str, Any]) -> N:
    if model._default_manager.filter(code=fields["code"]).exists():
        raise ValidationFailed(_("The code %(code)s is already used.") % {"code": fields["code"]}, field="code")
    node = tree_place(model(**fields))
    node.full_clean(exclude=["path", "depth", "level"])
    node.save()
    audit_record(event=f"{model._meta.label_lower}.created", actor=actor, target=node, after=snapshot(node))
    return node


@transaction.atomic
def area_create(
    *, actor: Any, code: str, name_zh: str, name_en: str = "", kind: str, parent: Area | None = None, **extra: Any
) -> Area:
    """Add an area to the administrative tree."""
    return _create(
        Area,
        actor=actor,
        fields={"code": code, "name_zh": name_zh, "name_en": name_en, "kind": kind, "parent": parent, **extra},
    )


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    code: str,
    name_zh: str,
    name_en: str = "",
    kind: str,
    area: Area,
    parent: Unit | None = None,
    **extra: Any,
) -> Unit:
    """Add a unit (a government, department, committee, the hotline centre…) under its parent unit."""
    return _create(
        Unit,
        actor=actor,
        fields={
            "code": code,
            "name_zh": name_zh,
            "name_en": name_en,
            "kind": kind,
            "area": area,
            "parent": parent,
            **extra,
        },
    )


@transaction.atomic
def category_create(
    *, actor: Any, code: str, name_zh: str, name_en: str = "", parent: Category | None = None, description: str = ""
) -> Category:
    """Add a category to the three-level catalogue."""
    return _create(
        Category,
        actor=actor,
        fields={"code": code, "name_zh": name_zh, "name_en": name_en, "parent": parent, "description": description},
    )


def _audited_update(
    *,
    actor: Any,
    instance: M,
    changes: dict[str, Any],
    reason: str,
    check: Callable[[M], None] | None = None,
    exclude: tuple[str, ...] = (),
) -> M:
    """Lock the row, apply ``changes``, run ``check`` and the model's validation, save, and record the change
    with its before and after states. Call inside a transaction."""
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    before = snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    if check is not None:
        check(locked)
    locked.full_clean(exclude=list(exclude))
    locked.save()
    audit_record(
        event=f"{type(instance)._meta.label_lower}.changed",
        actor=actor,
        target=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
    )
    return locked


def _check_area_kind(area: Any) -> None:
    """An area's level follows its kind; it must stay below its parent and above its own sub-areas."""
    tree_place(area)
    if area.children.exclude(level__gt=area.level).exists():
        raise ValidationFailed(
            _("This kind would put the area at or below the level of its own sub-areas."), field="kind"
        )


@transaction.atomic
def node_update(*, actor: Any, node: N, reason: str = "", **changes: Any) -> N:
    """Change a node's own fields (names, kind, contact details, active flag). A new parent goes through
    ``node_move``; a code never changes (it is the node's identity in paths and imports)."""
    if "parent" in changes or "code" in changes:
        raise ValidationFailed(_("Use a move to change the parent; codes never change."))
    check = _check_area_kind if isinstance(node, Area) and "kind" in changes else None
    return _audited_update(
        actor=actor, instance=node, changes=changes, reason=reason, check=check, exclude=("path", "depth", "level")
    )


@transaction.atomic
def node_move(*, actor: Any, node: N, new_parent: N | None, reason: str) -> N:
    """Move a node (and its whole subtree) under ``new_parent``, rewriting the descendants' paths in one
    UPDATE. Used when districts merge or a community changes street."""
    model = type(node)
    locked = model._default_manager.select_for_update().get(pk=node.pk)
    before = snapshot(locked)
    old_path, old_depth = locked.path, locked.depth
    locked.parent = new_parent  # type: ignore[attr-defined]
    tree_place(locked)
    locked.save()
    depth_change = locked.depth - old_depth
    descendants = model._default_manager.filter(path__startswith=old_path).exclude(pk=locked.pk)
    if isinstance(locked, Category) and depth_change > 0:
        deepest = max(descendants.values_list("depth", flat=True), default=locked.depth - depth_change)
        if deepest + depth_change >= Category.MAX_LEVEL:
            raise ValidationFailed(_("The category catalogue has at most three levels."), field="parent")
    descendants.update(
        path=Concat(Value(locked.path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    audit_record(
        event=f"{model._meta.label_lower}.moved",
        actor=actor,
        target=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
    )
    return locked


@transaction.atomic
def rule_set(
    *, actor: Any, category: Category, area: Area, lead_unit: Unit, co_units: list[Unit] | None = None, note: str = ""
) -> ResponsibilityRule:
    """Set who leads on ``category`` in ``area`` (creating or replacing the matrix cell)."""
    co_units = [unit for unit in (co_units or []) if unit.pk != lead_unit.pk]
    rule = ResponsibilityRule.objects.select_for_update().filter(category=category, area=area).first()
    before = None
    if rule is None:
        rule = ResponsibilityRule(category=category, area=area)
    else:
        before = {**snapshot(rule), "co_units": sorted(rule.co_units.values_list("code", flat=True))}
    rule.lead_unit = lead_unit
    rule.note = note
    rule.save()
    rule.co_units.set(co_units)
    audit_record(
        event="org.responsibilityrule.set",
        actor=actor,
        target=rule,
        before=before,
        after={**snapshot(rule), "co_units": sorted(unit.code for unit in co_units)},
    )
    return rule


@transaction.atomic
def post_create(*, actor: Any, user: Any, unit: Unit, title_zh: str, title_en: str = "", is_head: bool = False) -> Post:
    """Place a person in a post of a unit."""
    post = Post.objects.create(user=user, unit=unit, title_zh=title_zh, title_en=title_en, is_head=is_head)
    audit_record(event="org.post.created", actor=actor, target=post, after=snapshot(post))
    return post


@transaction.atomic
def post_update(*, actor: Any, post: Post, reason: str = "", **changes: Any) -> Post:
    """Change a post's titles, head flag or dates. The person and the unit of a post never change: end the post
    and create a new one instead, so the history of who held what stays true."""
    if "user" in changes or "unit" in changes:
        raise ValidationFailed(_("End the post and create a new one to change the person or the unit."))
    return _audited_update(actor=actor, instance=post, changes=changes, reason=reason)
