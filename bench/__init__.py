"""paperdeck's benchmark: a synthetic corpus, a reference SQLite FTS5 index, and a runner."""
