"""The demo city: time to seed a fresh database, and to run the (idempotent) seed again."""

import io
import time

from _setup import peak_rss_mib, setup_django


def main() -> None:
    database = setup_django("seed")
    from django.core.management import call_command

    from massline.audit.models import AuditRecord
    from massline.org.models import Area, Unit

    started = time.perf_counter()
    call_command("seed", stdout=io.StringIO())
    fresh = time.perf_counter() - started
    counts = (Area.objects.count(), Unit.objects.count(), AuditRecord.objects.count())
    started = time.perf_counter()
    call_command("seed", stdout=io.StringIO())
    again = time.perf_counter() - started
    assert counts == (Area.objects.count(), Unit.objects.count(), AuditRecord.objects.count()), "seed is not idempotent"
    print(f"database:        {database}")
    print(f"fresh seed:      {fresh:.1f} s ({counts[0]} areas, {counts[1]} units, {counts[2]} audit records)")
    print(f"seed again:      {again:.2f} s (no change)")
    print(f"peak memory:     {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
