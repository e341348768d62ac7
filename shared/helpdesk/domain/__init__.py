"""Pure domain: entities, rules and ports. No AWS imports here."""
