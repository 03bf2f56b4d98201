"""The project's error hierarchy: every message says what the user can do about it."""


class QAError(Exception):
    """Base of every error this project raises on purpose."""


class DocumentError(QAError):
    """A corpus file could not be read as text (ingestion warns and skips it)."""


class IndexMissingError(QAError):
    """No index exists where one was expected."""


class IndexStaleError(QAError):
    """The index on disk was built by another format, embedder or corpus."""


class ModelUnavailableError(QAError):
    """A model package is not installed or its files fail verification."""


class IndexDamagedError(IndexStaleError):
    """A file of the index on disk is missing, truncated or altered (rebuilding fixes it)."""


class IndexWriteError(QAError):
    """The index could not be written (disk full, no permission); the previous one is intact."""


class ModelBusyError(QAError):
    """A model is serving other questions; this one goes on without it (slower answers would queue)."""
