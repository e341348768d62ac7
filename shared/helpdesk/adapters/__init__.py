"""Adapters: one module per backend behind each port."""
