"""The one facade the reader, the CLI and the benchmarks use.

    lib = Library(data_dir)
    report = lib.import_digests([path])
    result = lib.query("wavelet disc", limit=50)      # ranked whole papers
    rows = lib.browse("wavelet disc", limit=1000)     # light rows for a list
    lib.get(paper_id); lib.similar(paper_id); lib.listing()

The public calls, by purpose:

- open and import: open, first_rows, import_digest(s), import_bytes, fetch, rebuild,
  remove_digest, digests, close, take_notices;
- read: count, get, get_or_bookmarked, query (ranked papers), browse (list rows), listing
  (every paper, or every bookmark), similar, highlight, ids_starting, warm;
- bookmarks: bookmark_ids, bookmark_list, bookmark, add_bookmarks, remove_bookmarks,
  toggle_bookmark, tag_bookmark, untag_bookmark, note_bookmark, annotate, fresh_bookmarks;
- watches (saved searches, paperdeck.index.watching): watches, watch_status, add_watch,
remove_watch,
  watch_seen, watch_rows, watch_papers, watch_feed, watch_snapshot, watch_gains;
- not interested and for you: dismissed_ids, dismiss, undismiss, toggle_dismissed, why
  (query, browse and listing take an `order`, one of SORT_ORDERS);
- the reader's session: mark_opened, is_new, is_first_opening, change_token (what another
  process changed: paperdeck.index.changes), keep_last_copy, crash_log;
- export: export, export_path.
- citations and the reading queue (issue 22; one block of library_extras.py): citation_ref,
  citation_counts, cached_citation_count, cited_by, references, citation_papers,
  refresh_citation_counts, follow, unfollow, follows, follow_status, refresh_follows,
  follow_papers, follow_feed, follow_seen; queue, queue_add, queue_remove, queue_move,
  read_ids, mark_read, toggle_read, export_queue (query and browse also take is:read,
  is:unread, citations:>=N and the order "citations": paperdeck.index.search_terms).

Every method is safe to call from a worker thread; index access is serialised by the engine's
lock, and changes made by another paperdeck process are picked up before each read. The
attributes are private (`engine` is there for the engine's white-box tests): the reader and the
CLI use these calls only (a test holds them to it).
"""

from __future__ import annotations

# -- re-exported for the reader and the CLI (tui/ imports only this module, paperdeck.index.models and paperdeck.index.errors)  # noqa: E501
from paperdeck.index import __version__ as __version__
from paperdeck.index.arxiv_facts import arxiv_lines as arxiv_lines
from paperdeck.index.arxiv_facts import authors_text as authors_text
from paperdeck.index.bookmarks import normalise_tags as normalise_tags
from paperdeck.index.catalog import DigestRecord as DigestRecord
from paperdeck.index.catalog import ImportReport as ImportReport
from paperdeck.index.changes import ChangeToken as ChangeToken
from paperdeck.index.citations.http import CitationSourceError as CitationSourceError
from paperdeck.index.citations.service import WATCH_PREFIX as _FOLLOW_WATCH_PREFIX
from paperdeck.index.digest import FORMATS as _DIGEST_FORMATS
from paperdeck.index.digest.selection import Selection as Selection
from paperdeck.index.export import FORMATS as _EXPORT_FORMATS
from paperdeck.index.export import Exported as Exported
from paperdeck.index.export import NothingToExport as NothingToExport
from paperdeck.index.export import bibtex_entry as bibtex_entry
from paperdeck.index.export import markdown_link as markdown_link
from paperdeck.index.export import paper_record as paper_record
from paperdeck.index.export import signals_line as signals_line
from paperdeck.index.fetch import FetchReport as FetchReport
from paperdeck.index.fetch import days_of as days_of
from paperdeck.index.library_extras import Extras
from paperdeck.index.watches import WatchStatus as WatchStatus
from paperdeck.index.watching import Snapshot as _WatchSnapshot
from paperdeck.index.watching import WatchRows as WatchRows

# Re-exported under other names: mypy exports `import x as x` and assigned names only.
DIGEST_FORMATS = _DIGEST_FORMATS
EXPORT_FORMATS = _EXPORT_FORMATS
WatchSnapshot = _WatchSnapshot
FOLLOW_WATCH_PREFIX = _FOLLOW_WATCH_PREFIX  # a follow among the watches: `follow:2405.17428`


class Library(Extras):
    """The facade (see the module docstring): its calls live in paperdeck.index.library_core (open,
    import, read, search), paperdeck.index.library_marks (bookmarks, not interested, for you) and
    paperdeck.index.library_extras (watches, exports, fetching, what is new)."""
