"""What the compiled read path does not handle."""


class Unsupported(Exception):
    """The compiler does not handle this selection: the executor answers the request."""
