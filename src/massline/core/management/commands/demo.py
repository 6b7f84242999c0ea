"""``massline demo``: migrate, seed the demo city, then run the web server and the task workers together,
printing the addresses and the demo logins. Running it again is safe and fast: every step is idempotent."""

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Min

from massline.accounts.models import RoleAssignment
from massline.accounts.roles import Role
from massline.core import clock
from massline.org.calendar import missing_holiday_years


class Command(BaseCommand):
    help = "Set up and serve the demo city: migrate, seed, start the web server and a task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--password", default=os.environ.get("MASSLINE_DEMO_PASSWORD", "massline-demo-2026"))
        parser.add_argument("--no-serve", action="store_true", help="Prepare everything, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self.stdout.write("migrating…")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("seeding the demo city…")
        call_command("seed", password=options["password"], verbosity=0)
        self.stdout.write(f"ready in {time.monotonic() - started:.1f} s")
        self._print_welcome(options)
        if options["no_serve"]:
            return
        self._serve(options)

    def _print_welcome(self, options: dict[str, Any]) -> None:
        base = f"http://{options['host']}:{options['port']}"
        lines = [
            "",
            "massline demo city",
            f"  public site       {base}/",
            f"  raise a problem   {base}/appeals/new/",
            f"  public case wall  {base}/cases/",
            f"  scorecards        {base}/scorecards/",
            f"  working calendar  {base}/calendar/",
            f"  unit directory    {base}/org/units/",
            f"  staff sign-in     {base}/accounts/login/",
            f"  staff workspace   {base}/appeals/work/   (operators: {base}/appeals/console/ and /appeals/desk/)",
            f"  administration    {base}/admin/",
            f"  database          {settings.DATABASES['default']['NAME']}",
            "",
            f"demo logins (password for all: {options['password']})",
        ]
        first_ids = RoleAssignment.objects.values("role").annotate(first=Min("id")).values_list("first", flat=True)
        assignments = RoleAssignment.objects.filter(id__in=list(first_ids)).select_related("user", "unit", "area")
        by_role = {a.role: a for a in assignments}
        for role in Role:
            assignment = by_role.get(role.value)
            if assignment is None:
                continue
            where = assignment.unit or assignment.area or "—"
            lines.append(f"  {role.value:<14} {assignment.user.username:<14} {where}")
        lines.append("  (inspectors and administrators set up two-factor sign-in at first login)")
        for year in missing_holiday_years(clock.today()):
            lines.append(
                f"warning: no statutory holiday schedule for {year} yet; deadlines that year count weekends only "
                "(enter it as calendar overrides in the administration)"
            )
        lines.append("")
        self.stdout.write("\n".join(lines))

    def _serve(self, options: dict[str, Any]) -> None:
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "massline.settings.local")
        python = sys.executable
        # Two task workers: routing and notices never wait behind a long periodic job (retraining the router,
        # the open-data export); the periodic lane also schedules the periodic jobs.
        workers = [
            subprocess.Popen(
                [python, "-m", "massline.cli", "worker", "--queues", "intake,default", "--no-periodic"], env=env
            ),
            subprocess.Popen([python, "-m", "massline.cli", "worker", "--queues", "periodic", "--nice", "10"], env=env),
        ]
        web = subprocess.Popen(
            [
                python,
                "-m",
                "massline.cli",
                "serve",
                "--port",
                str(options["port"]),
                "--host",
                options["host"],
                "--workers",
                str(options["workers"]),
            ],
            env=env,
        )
        processes = [web, *workers]

        def stop(signum: int, frame: Any) -> None:
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        finally:
            stop(signal.SIGTERM, None)
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        failed = [p.args for p in processes if p.returncode not in (0, -signal.SIGTERM, -signal.SIGINT)]
        if failed:
            self.stderr.write(f"stopped because a process exited: {failed}")
            sys.exit(1)
