"""paperdeck's data side: digests, the Whoosh library, bookmarks and exports.

Never imports textual or rich (a test enforces it), so the CLI, the reader and the
benchmarks share one core.
"""

__version__ = "0.1.0"
