"""Running a command's coroutine so SIGTERM stops it the way Ctrl-C does: by cancelling it.

systemd, Docker and Kubernetes stop a process with SIGTERM, whose default action ends it on
the spot, like SIGKILL: a daily tip in flight would be neither finished nor recorded, and
posted again after the restart. Cancelling instead runs the code's own clean-up (the
scheduler lets a post in flight finish, or abandons and records it; stores close).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class Stopped(Exception):
    """The coroutine was cancelled by SIGTERM before it finished."""


async def until_sigterm(work: Coroutine[Any, Any, T]) -> T:
    """Await ``work``; SIGTERM cancels it, and then ``Stopped`` is raised here."""
    loop = asyncio.get_running_loop()
    task = asyncio.create_task(work)
    # No signal handlers on some platforms (Windows) or off the main thread: Ctrl-C still works.
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    try:
        return await task
    except asyncio.CancelledError:
        if not task.cancelled():
            raise  # we were cancelled ourselves (Ctrl-C): let it go on
        raise Stopped from None
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGTERM)
