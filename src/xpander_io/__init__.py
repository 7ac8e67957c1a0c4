"""The I/O shell of xpander-backend: environment, HTTP, callbacks, the local platform."""

__all__: list[str] = []
