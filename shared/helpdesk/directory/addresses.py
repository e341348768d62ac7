"""A customer's other addresses (`directory.customer_addresses`): apart from the directory's model, so the ticket API,
which serves them, does not build the directory's many models at its cold start."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from helpdesk.kernel.text import EMAIL_ADDRESS_PATTERN

MAX_CUSTOMER_ADDRESSES = 10  # other addresses one customer is known by (a work, a private, an old one)


class CustomerAddresses(BaseModel):
    """The other addresses one customer writes from, linked by the team (Zendesk's and FreeScout's several addresses
    of one customer): the tickets of each are this customer's, and the person signing in with any of them sees them
    all. Kept under the customer's key; `version` 0 while none were linked."""

    tenant_id: str
    id: str  # the customer's key (`email:<address>`)
    addresses: list[str] = Field(default_factory=list)  # lowercased, in the order they were linked
    updated_at: datetime | None = None
    updated_by: str | None = None
    version: int = 0


class AddressToLink(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254, pattern=EMAIL_ADDRESS_PATTERN,
                       description="another address the customer writes from")

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()


class AddressesLinked(BaseModel):
    """What linking or unlinking an address did: the customer's addresses now, and their tickets that moved."""

    customer: CustomerAddresses
    moved: int  # tickets of the address now under the customer (linking) or back on their own (unlinking)
    more: bool = False  # more than one request moves: send the same request again to move the rest
