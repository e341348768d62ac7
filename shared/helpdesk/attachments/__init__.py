"""Ticket attachments: uploads by presigned POST, downloads by short-lived URLs, visibility, scan verdicts."""
