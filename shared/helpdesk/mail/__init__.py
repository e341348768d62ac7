"""Email-to-ticket.

Inbound:  SES receipt rule -> raw MIME in S3 (`inbound/<ses id>`) -> functions/email_ingest ->
          `events.handle_ses_event` -> `service.MailIngest.receive`: one delivery per tenant addressed
          (INBOUND records), each: claim the delivery (exactly once), parse (`parser.parse_message`, visible
          reply from `reply`/`html`), quarantine or ignore (virus, spam, auto-replies: `safety`), thread
          (`threading`: ticket tag or a stored Message-ID, sender must be requester/participant), then create
          the ticket or add the message, attachments under `tickets/<tenant>/<ticket>/` in the same bucket.
Outbound: ticket_events stream -> functions/email_send -> `events.handle_ticket_events` ->
          `outbound.MailOutbound.send_reply`: agent public replies on email tickets, SES SendRawEmail with the
          ticket tag and In-Reply-To/References; acknowledgements of new tickets from the ingest.
Local:    `helpdesk serve` runs `local.start_smtp` (SMTP on 127.0.0.1:2525 -> same ingest; outbound stream
          poller -> moto SES); `helpdesk mail parse|ingest|outbox|quarantine|route`.
"""
