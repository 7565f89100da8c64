"""Administration: API keys and tenant settings."""
