"""`@thread_job`: Textual's `@work(thread=True)` for the helpers a screen holds.

A helper (PaperActions, Imports, Watches) is not a widget, so `@work` cannot start its
workers; this runs the method in a thread worker of the helper's `screen` instead, where
the worker's state changes (an unexpected error) reach the screen's on_worker_state_changed
and quitting the reader cancels it, as for the screen's own workers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from textual.screen import Screen
from textual.worker import Worker

P = ParamSpec("P")


class Helper(Protocol):
    """What a helper gives its jobs: the screen they run on."""

    @property
    def screen(self) -> Screen[Any]: ...


H = TypeVar("H", bound=Helper)


def thread_job(
    group: str, *, exclusive: bool = False
) -> Callable[[Callable[Concatenate[H, P], None]], Callable[Concatenate[H, P], Worker[None]]]:
    """Calling the method starts it in a thread worker of `self.screen` (`group`, and with
    `exclusive` an earlier one of the group is cancelled), errors left to the screen."""

    def decorate(
        method: Callable[Concatenate[H, P], None],
    ) -> Callable[Concatenate[H, P], Worker[None]]:
        def start(helper: H, /, *args: P.args, **kwargs: P.kwargs) -> Worker[None]:
            return helper.screen.run_worker(
                functools.partial(method, helper, *args, **kwargs),
                name=method.__name__, group=group, thread=True, exclusive=exclusive,
                exit_on_error=False,
            )  # fmt: skip

        functools.update_wrapper(start, method)
        return start

    return decorate
