"""A tenant's mail administration: held-back mail, mail settings, and which addresses route to it.

The rule that matters: an inbound address belongs to one tenant; nobody takes over another's.
"""

from helpdesk.kernel.errors import Conflict, Forbidden
from helpdesk.kernel.principal import Principal, Role
from helpdesk.mail.ports import MailRecords, MailSettings, QuarantineRecord


class MailAdmin:
    def __init__(self, records: MailRecords) -> None:
        self._records = records

    @staticmethod
    def _require_admin(caller: Principal) -> None:
        if caller.role != Role.ADMIN:
            raise Forbidden("mail administration is for admins")

    def quarantined(self, caller: Principal, limit: int = 50) -> list[QuarantineRecord]:
        self._require_admin(caller)
        return self._records.quarantined(caller.tenant_id, limit)

    def settings(self, caller: Principal) -> MailSettings:
        self._require_admin(caller)
        return self._records.settings(caller.tenant_id)

    def put_settings(self, caller: Principal, settings: MailSettings) -> MailSettings:
        self._require_admin(caller)
        self._records.put_settings(caller.tenant_id, settings)
        return settings

    def route_address(self, caller: Principal, address: str) -> str:
        """Route mail sent to `address` to the caller's tenant; returns the normalised address."""
        self._require_admin(caller)
        address = address.strip().lower()
        owner = self._records.tenant_for_address(address)
        if owner is not None and owner != caller.tenant_id:  # an address belongs to one tenant; never take it over
            raise Conflict("this address routes to another tenant")
        self._records.set_inbound_address(address, caller.tenant_id)
        return address
