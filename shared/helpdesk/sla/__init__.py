"""SLAs: business-hours calendars, policies, per-ticket clocks, the scheduled scan and attainment reports.

Kept import-light: `helpdesk.domain.ticket` imports `helpdesk.sla.model`, so nothing here may import
the ticket module at package import time.
"""
