"""Keeping the residents' register."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from massline.audit.services import audit_record
from massline.core.errors import PermissionDenied, ValidationFailed

from ..models import Resident, identity_digest
from ..permissions import may_run_for_unit


@transaction.atomic
def resident_register(
    *,
    actor: Any,
    committee: Any,
    name: str,
    id_number: str,
    household: str,
    is_adult: bool = True,
    is_representative: bool = False,
    phone: str = "",
) -> Resident:
    """Put a resident on the register of the committee's village or community. The identity number is kept
    only as a keyed digest; the ledger records that someone was registered, not who."""
    if not may_run_for_unit(actor, committee):
        raise PermissionDenied()
    if not name.strip() or not id_number.strip() or not household.strip():
        raise ValidationFailed(_("Name, identity number and household are required."), field="id_number")
    try:
        with transaction.atomic():
            resident = Resident.objects.create(
                area=committee.area,
                name=name.strip(),
                id_digest=identity_digest(id_number),
                household=household.strip(),
                is_adult=is_adult,
                is_representative=is_representative,
                phone=phone.strip(),
            )
    except IntegrityError:
        raise ValidationFailed(_("This identity number is on the register already."), field="id_number") from None
    audit_record(
        event="consultations.resident.register", actor=actor, target=resident, after={"area": committee.area_id}
    )
    return resident
