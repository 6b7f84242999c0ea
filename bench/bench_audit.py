"""Audit ledger: appends per second (each in its own transaction, as services do) and verification speed.

python bench/bench_audit.py            # SQLite under var/bench/
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python bench/bench_audit.py
"""

import os
import time

from _setup import peak_rss_mib, setup_django

N = int(os.environ.get("BENCH_AUDIT_RECORDS", "20000"))


def main() -> None:
    database = setup_django("audit")
    from django.db import transaction

    from massline.audit.services import audit_record
    from massline.audit.verify import chain_verify

    started = time.perf_counter()
    for i in range(N):
        with transaction.atomic():
            audit_record(
                event="bench.case.replied",
                target_type="appeals.appeal",
                target_id=str(i),
                before={"state": "in_progress"},
                after={"state": "replied", "outcome": "solved", "note": "已解决 — solved"},
                reason="benchmark",
            )
    append_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = chain_verify()
    verify_seconds = time.perf_counter() - started
    assert report.ok, report
    print(f"database:            {database}")
    print(f"records:             {N}")
    print(f"append:              {N / append_seconds:,.0f} records/s ({append_seconds:.1f} s, one transaction each)")
    print(f"verify whole chain:  {report.checked / verify_seconds:,.0f} records/s ({verify_seconds:.2f} s)")
    print(f"peak memory:         {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
