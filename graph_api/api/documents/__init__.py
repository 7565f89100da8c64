"""The account document: import and export."""
