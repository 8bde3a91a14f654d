"""Glue between the API and the domain: load rows, call the rules, persist. No request globals here."""
