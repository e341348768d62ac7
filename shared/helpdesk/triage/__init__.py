"""Triage of every new ticket, agent assist, and the knowledge loop (issue 7)."""
