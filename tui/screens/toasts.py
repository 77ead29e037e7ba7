"""Toasts that replace the last of their kind: copy after copy, or "No paper selected." key
after key, stacked five deep over the dialogs and the list at 80x24 (issue 21.12). Errors
and summaries are not of a kind: they stack as Textual's notify makes them."""

from __future__ import annotations

from typing import Any, Literal

from textual.app import App
from textual.notifications import Notification, Notify, SeverityLevel

ToastKind = Literal["copy", "no paper", "view"]  # each replaces the last of its kind


class Toasts:
    """The last toast of each kind, replaced by the next one of that kind."""

    def __init__(self) -> None:
        self._last: dict[ToastKind, Notification] = {}

    def say(
        self,
        app: App[Any],
        kind: ToastKind,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float = 4.0,
    ) -> None:
        self._drop(app, kind)
        notification = Notification(message, title, severity, timeout, markup=False)
        self._last[kind] = notification
        app.post_message(Notify(notification))

    def drop_all(self, app: App[Any]) -> None:
        """Before a dialog opens: the toasts of a kind go, not to cover its buttons."""
        for kind in list(self._last):
            self._drop(app, kind)

    def _drop(self, app: App[Any], kind: ToastKind) -> None:
        last = self._last.pop(kind, None)
        # Textual has no public way to take one toast back (clear_notifications takes all).
        if last is not None and last in app._notifications:
            app._unnotify(last)
