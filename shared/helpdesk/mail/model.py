"""What the parser reads out of a raw message."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Address(BaseModel):
    model_config = ConfigDict(frozen=True)

    email: str  # lowercased domain, as given local part
    name: str | None = None


class Attachment(BaseModel):
    filename: str
    content_type: str
    size: int
    md5: str
    content_id: str | None = None  # inline parts (`cid:` images), without `<>`
    inline: bool = False
    # The bytes, for storing; None when the part was over the size limit (see `dropped`).
    content: bytes | None = Field(default=None, exclude=True, repr=False)
    dropped: str | None = None  # why the content was not kept


class ParsedMessage(BaseModel):
    from_: Address | None = Field(default=None, alias="from")
    to: list[Address] = Field(default_factory=list)
    cc: list[Address] = Field(default_factory=list)
    reply_to: list[Address] = Field(default_factory=list)
    date: datetime | None = None
    subject: str = ""
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = Field(default_factory=list)
    text: str = ""  # the plain text; converted from the HTML when the mail has no text part
    html: str | None = None  # sanitised: safe to render
    reply_text: str = ""  # the visible reply: no quoted history, no signature
    attachments: list[Attachment] = Field(default_factory=list)
    # Headers that decide how the mail is handled (auto-replies, lists), lowercased names.
    headers: dict[str, str] = Field(default_factory=dict)
    defects: list[str] = Field(default_factory=list)  # what was broken and repaired or skipped
    # Encrypted to the reader's key (S/MIME or PGP): nothing of it is readable here; the encrypted part is attached.
    encrypted: Literal["S/MIME", "PGP"] | None = None

    model_config = ConfigDict(populate_by_name=True)

    def summary(self) -> dict[str, object]:
        """The JSON shape of `helpdesk mail parse` (one object per file)."""
        return {
            "from_email": self.from_.email if self.from_ else None,
            "from_name": self.from_.name if self.from_ else None,
            "to": [a.email for a in self.to],
            "cc": [a.email for a in self.cc],
            "reply_to": [a.email for a in self.reply_to],
            "date": self.date.isoformat() if self.date else None,
            "subject": self.subject,
            "message_id": self.message_id,
            "in_reply_to": self.in_reply_to,
            "references": self.references,
            "text": self.text,
            "encrypted": self.encrypted,
            "html": self.html,
            "reply_text": self.reply_text,
            "attachments": [
                {"filename": a.filename, "content_type": a.content_type, "size": a.size, "md5": a.md5,
                 "content_id": a.content_id}
                for a in self.attachments
            ],
        }
