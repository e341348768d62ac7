"""Service layer: use cases over the domain, called by the thin Lambda handlers."""
