"""Reminders: an agent asks to be reminded of a ticket at a time ("look at this again on Monday, 9:00"); the scheduled
scan mails them then, with the ticket's link. Each agent's reminders are their own."""
