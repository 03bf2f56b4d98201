"""Documents, passages, embeddings and the on-disk index: everything below retrieval."""
