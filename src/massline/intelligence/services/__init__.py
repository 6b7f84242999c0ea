"""The write use cases of text intelligence: router versions (``router``) and hot issues (``hot``)."""

from .hot import hot_issue_dismiss, hot_issue_take_up, hot_issues_refresh
from .router import model_root, router_activate, router_register

__all__ = [
    "hot_issue_dismiss",
    "hot_issue_take_up",
    "hot_issues_refresh",
    "model_root",
    "router_activate",
    "router_register",
]
