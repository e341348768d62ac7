"""Knowledge-base persistence adapters."""
