"""Errors a user can cause. Each carries one clear line; the CLI prints it and exits 2."""


class PaperdeckError(Exception):
    """Base for every error meant to be shown to the user as one line."""


class CitationSourceError(PaperdeckError):
    """A citation source could not answer; the message is one line for the user
    (paperdeck.index.citations.http raises it)."""


class DigestError(PaperdeckError):
    """A digest that cannot be read: empty, binary, only page chrome, unknown format."""


class LibraryError(PaperdeckError):
    """The library could not do what was asked: unknown paper id, unwritable data dir."""


class BookmarkFileError(PaperdeckError):
    """bookmarks.json cannot be used as it is (written by a newer paperdeck, say)."""


class WatchError(PaperdeckError):
    """A watch that cannot be made, found or changed: a duplicate name, an empty query."""


class NetworkUnreachable(PaperdeckError):
    """A server could not be reached at all (no network, no name lookup, refused): not bad
    input, so the CLI gives it an exit code of its own."""
