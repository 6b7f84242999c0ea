"""Background work of the appeal loop."""

from django_tasks import task


@task()
def route_appeal(appeal_id: int) -> str:
    """Route a stored appeal (dispatch it, or queue it for a dispatcher). Idempotent."""
    from .models import Appeal
    from .services import appeal_route

    appeal = Appeal.objects.filter(pk=appeal_id).first()
    if appeal is None:
        return "missing"
    return appeal_route(appeal=appeal).state
