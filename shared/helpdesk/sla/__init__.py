"""SLAs: business-hours calendars, policies, per-ticket clocks, the scheduled scan and attainment reports.

Kept import-light: `helpdesk.tickets.model` imports `helpdesk.tickets.sla_state`, so nothing here may import
the ticket module at package import time.
"""
