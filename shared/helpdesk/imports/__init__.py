"""Bringing a team's history over from the helpdesk it leaves (`helpdesk import zendesk|zammad`): organisations,
tickets and their conversations, written as history nothing reacts to (no mail, no webhook, no assignment)."""
