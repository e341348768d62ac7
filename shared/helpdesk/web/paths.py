"""Path parameters more than one API takes, apart from the request models' validators (`validation`), which
import the tickets' model: an API that takes only these does not load it at its cold start."""

from typing import Annotated

from fastapi import Path

# A ticket's `requester_key` (`email:<address>`, else the requester's id), URL-encoded in the path.
CustomerKeyPath = Annotated[str, Path(min_length=3, max_length=320, pattern=r"^\S+$",
                                      description="a ticket's `requester_key`, e.g. `email:dana@example.com`")]
