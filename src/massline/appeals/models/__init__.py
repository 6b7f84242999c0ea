from .appeal import Appeal, AppealContact
from .assignment import Assignment
from .event import AppealEvent
from .policy import AppealPolicy, default_rules

__all__ = ["Appeal", "AppealContact", "AppealEvent", "AppealPolicy", "Assignment", "default_rules"]
