"""Terminal streams that never fail on bytes they cannot decode or characters they cannot encode.

By default Python's standard streams are strict whenever the locale or ``PYTHONIOENCODING``
names a codec without ``surrogateescape``: one invalid UTF-8 byte typed into ``mlcareer chat``,
or a curly quote printed to an ASCII terminal, would end the program with a traceback.
"""

from __future__ import annotations

import io
import sys


def tolerate_bad_text() -> None:
    """Switch stdin and stdout to replacing undecodable or unencodable characters."""
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
