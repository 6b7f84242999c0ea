"""``massline tick``: enqueue the periodic jobs that are due (for cron or systemd timers)."""

from typing import Any

from django.core.management.base import BaseCommand

from massline.core.periodic import enqueue_due_jobs


class Command(BaseCommand):
    help = "Enqueue every periodic job that is due. Safe to run from several machines at once."

    def handle(self, *args: Any, **options: Any) -> None:
        names = enqueue_due_jobs()
        self.stdout.write(f"enqueued {len(names)} job(s): {', '.join(names) or '-'}")
