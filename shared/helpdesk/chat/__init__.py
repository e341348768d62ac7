"""Chat sessions: anonymous or customer conversations, their transcript, tokens, rate limits and handoff."""
