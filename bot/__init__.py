"""mlcareer: career advice on machine learning engineering, for Slack, Discord and the terminal."""

from __future__ import annotations

__version__ = "0.1.0"
