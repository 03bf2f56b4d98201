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
