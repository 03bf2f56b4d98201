"""Retrieval, answering and the command line, on top of ``embeddings``."""
