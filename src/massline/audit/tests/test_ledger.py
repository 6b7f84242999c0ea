"""The ledger: records chain, cannot be changed through the code or (on PostgreSQL) through SQL, and
`massline audit verify` finds the first tampered record."""

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from massline.audit.models import AuditRecord, ChainHead, LedgerIsAppendOnly
from massline.audit.services import AuditOutsideTransaction, audit_record
from massline.audit.verify import chain_verify

pytestmark = pytest.mark.django_db


def _write(n: int, **extra):  # type: ignore[no-untyped-def]
    records = []
    for i in range(n):
        with transaction.atomic():
            records.append(
                audit_record(
                    event="test.event", target_type="test.thing", target_id=str(i), after={"i": i, "名": "值"}, **extra
                )
            )
    return records


def _verify_command() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override("en"):
            call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _tamper(sql: str, params: list) -> None:  # type: ignore[type-arg]
    """Change the ledger behind the application's back, as someone with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_ledger_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditrecord ENABLE TRIGGER audit_ledger_append_only")


def test_records_are_chained_in_order() -> None:
    first, second, third = _write(3)
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (3, third.hash)


@pytest.mark.django_db(transaction=True)
def test_a_record_outside_a_transaction_is_refused() -> None:
    with pytest.raises(AuditOutsideTransaction):
        audit_record(event="test.event")
    assert AuditRecord.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_record() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(event="test.event")
        raise RuntimeError("the change failed")
    assert AuditRecord.objects.count() == 0
    assert chain_verify().ok


def test_the_code_cannot_update_or_delete_records() -> None:
    (record,) = _write(1)
    record.reason = "rewritten"
    with pytest.raises(LedgerIsAppendOnly):
        record.save()
    with pytest.raises(LedgerIsAppendOnly):
        record.delete()
    with pytest.raises(LedgerIsAppendOnly):
        AuditRecord.objects.filter(pk=record.pk).update(reason="x")
    with pytest.raises(LedgerIsAppendOnly):
        AuditRecord.objects.all().delete()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigger is PostgreSQL's")
def test_postgresql_rejects_update_and_delete_in_sql() -> None:
    (record,) = _write(1)
    for statement in (
        "UPDATE audit_auditrecord SET reason = 'x' WHERE id = %s",
        "DELETE FROM audit_auditrecord WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [record.pk])
    assert AuditRecord.objects.get(pk=record.pk).reason == ""


def test_verify_passes_on_an_intact_ledger() -> None:
    _write(5)
    code, out, _ = _verify_command()
    assert code == 0
    assert "5 records verified" in out


def test_verify_names_the_first_altered_record() -> None:
    records = _write(6)
    _tamper("UPDATE audit_auditrecord SET after = %s WHERE id = %s", ['{"i": 999}', records[3].pk])
    code, _, err = _verify_command()
    assert code == 1
    assert f"seq={records[3].seq}" in err
    assert "3 records before it are intact" in err


def test_verify_detects_a_removed_record() -> None:
    records = _write(4)
    _tamper("DELETE FROM audit_auditrecord WHERE id = %s", [records[1].pk])
    with translation.override("en"):
        report = chain_verify()
    assert not report.ok
    assert report.broken_seq == 3
    assert "missing" in report.problem


def test_verify_detects_records_cut_from_the_end() -> None:
    records = _write(3)
    _tamper("DELETE FROM audit_auditrecord WHERE id = %s", [records[2].pk])
    with translation.override("en"):
        report = chain_verify()
    assert not report.ok
    assert "head" in report.problem


def test_verify_detects_a_rehashed_forgery() -> None:
    """Someone who recomputes the altered record's own hash still breaks the next record's link."""
    from massline.audit.chain import record_hash

    records = _write(3)
    forged = records[1]
    new_hash = record_hash(
        seq=forged.seq,
        occurred_at=forged.occurred_at,
        event=forged.event,
        actor_id=None,
        actor_label=forged.actor_label,
        target_type=forged.target_type,
        target_id=forged.target_id,
        before=None,
        after={"i": -1},
        reason="",
        prev_hash=forged.prev_hash,
    )
    _tamper("UPDATE audit_auditrecord SET after = %s, hash = %s WHERE id = %s", ['{"i": -1}', new_hash, forged.pk])
    with translation.override("en"):
        report = chain_verify(batch_size=2)
    assert report.broken_seq == 3
    assert "previous-hash" in report.problem


def test_actor_and_target_are_recorded(small_city, make_person) -> None:  # type: ignore[no-untyped-def]
    person = make_person("supervisor", area=small_city.city)
    with transaction.atomic():
        record = audit_record(event="org.area.checked", actor=person, target=small_city.district_a, reason="review")
    assert record.actor_id == person.pk
    assert record.actor_label == person.username
    assert (record.target_type, record.target_id) == ("org.area", str(small_city.district_a.pk))


def test_numbers_text_and_keys_survive_the_database_round_trip() -> None:
    """Values whose JSON form a database could change (jsonb reads 1e16 back as an integer) are stored in a
    form that reads back identically, so the chain still verifies."""
    with transaction.atomic():
        audit_record(
            event="test.values",
            after={
                "float": 1e16,
                "tiny": 1.5e-300,
                "minus_zero": -0.0,
                "big": 2**70,
                "名称": "值\x00尾",
                "list": [0.1, 2],
            },
            reason="nul\x00here",
        )
    report = chain_verify()
    assert report.ok, report
    stored = AuditRecord.objects.get(event="test.values")
    assert stored.after["float"] == "1e+16"
    assert stored.after["big"] == 2**70
    assert stored.after["名称"] == "值\ufffd尾"
    assert stored.reason == "nul\ufffdhere"


def test_verify_detects_a_record_added_beyond_the_head() -> None:
    records = _write(2)
    last = records[-1]
    _tamper(
        "INSERT INTO audit_auditrecord (seq, occurred_at, event, actor_label, target_type, target_id, reason, prev_hash, hash)"
        " VALUES (%s, %s, 'forged', 'x', '', '', '', %s, %s)",
        [last.seq + 1, last.occurred_at, last.hash, "f" * 64],
    )
    with translation.override("en"):
        report = chain_verify()
    assert not report.ok
    assert report.broken_seq == last.seq + 1
    assert "beyond the chain head" in report.problem


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the triggers are PostgreSQL's")
def test_postgresql_refuses_truncate_and_rewinding_the_head() -> None:
    _write(3)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL massline.ledger_maintenance = 'off'")
    for statement in (
        "TRUNCATE audit_auditrecord",
        "TRUNCATE audit_chainhead",
        "UPDATE audit_chainhead SET seq = 0, hash = repeat('0', 64)",
        "DELETE FROM audit_chainhead",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditRecord.objects.count() == 3
    assert chain_verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_form_one_unbroken_chain() -> None:
    """Four writers at once (threads, each with its own database connection) never share a sequence number
    or break a link: the head row serialises them."""
    import threading

    from django.db import connections

    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with transaction.atomic():
                    audit_record(event="test.concurrent", target_id=f"{n}-{i}")
        except BaseException as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert list(AuditRecord.objects.values_list("seq", flat=True)) == list(range(1, 61))
    assert chain_verify().ok


def test_the_canonical_form_is_the_sorted_json_of_the_whole_record() -> None:
    """PostgreSQL completes the canonical form from three pieces (``canonical_parts``); joined, they must be
    exactly the JSON every existing chain was hashed over, or no ledger would verify again."""
    import datetime as dt
    import json

    from massline.audit.chain import canonical_form, canonical_parts

    record = {
        "seq": 90071,
        "occurred_at": dt.datetime(2026, 12, 1, 5, 6, 7, 89, tzinfo=dt.UTC),
        "event": "appeals.appeal.reply",
        "actor_id": None,
        "actor_label": 'say "seq":1 \\ and prev_hash',
        "target_type": "appeals.appeal",
        "target_id": "17",
        "before": {"z": [1, "\u0000"], "a": {"y": None, "b": "値"}},
        "after": "\n\t",
        "reason": "理由",
        "prev_hash": "ab" * 32,
    }
    document = {**record, "occurred_at": "2026-12-01T05:06:07.000089Z"}
    expected = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert canonical_form(**record) == expected
    opening, middle, closing = canonical_parts(
        **{name: value for name, value in record.items() if name not in ("seq", "prev_hash")}
    )
    assert opening + b"ab" * 32 + middle + b"90071" + closing == expected


def test_records_chained_by_the_database_verify_with_awkward_text() -> None:
    """After the first record, PostgreSQL appends in one statement and computes the hash itself: records with
    quotes, NUL, non-Latin keys and floats still carry the hash that ``chain_verify`` recomputes."""
    _write(1)
    with transaction.atomic():
        appended = audit_record(
            event="test.awkward",
            actor="operator 7",
            target_type="test.thing",
            target_id="名-1",
            before={"quote": 'a "b" \\ c', "nul": "x\x00y"},
            after={"float": 1e16, "名称": ["值", 0.1]},
            reason="why\nnot",
        )
    stored = AuditRecord.objects.get(event="test.awkward")
    assert (appended.pk, appended.seq, appended.prev_hash, appended.hash) == (
        stored.pk,
        2,
        AuditRecord.objects.get(seq=1).hash,
        stored.hash,
    )
    assert ChainHead.objects.get().hash == stored.hash
    report = chain_verify()
    assert report.ok, report
