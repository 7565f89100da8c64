"""The map: its node and relationship types, lookups and mutations."""
