"""The reader's widgets: the paper list (rows drawn on demand) and the paper detail."""
