"""Shipped message catalogs (TOML data, read through importlib.resources)."""
