"""The audit of administration: who changed which setting, when, from what to what."""
