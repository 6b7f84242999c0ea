from typing import Any

from django import template

from ..selectors import may_see_hot_issues

register = template.Library()


@register.simple_tag
def sees_hot_issues(user: Any) -> bool:
    """Whether the main menu shows the hot-issue board to ``user``."""
    return may_see_hot_issues(user)
