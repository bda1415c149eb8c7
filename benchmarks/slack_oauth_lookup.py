"""Print what distribution to many workspaces adds to each Slack request: finding the team's
installation in the database and decrypting its bot token (bolt's authorize runs this once
per event, command and click; its auth.test answer is cached per token).

Usage: python benchmarks/slack_oauth_lookup.py [--teams 1000] [--lookups 5000] [--url URL]

With ``--teams`` installations stored in a fresh SQLite file (or the database at ``--url``,
which should be an empty scratch database), ``--lookups`` lookups of random teams go through
the same slack_sdk installation store bolt uses; p50/p99 are per lookup, and the Fernet
decryption alone is timed beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.adapters.slack.installations import InstalledBot, SqlInstallations, TeamKey, open_database
from bot.adapters.slack.oauth_stores import InstallationStore
from bot.adapters.slack.token_box import TokenBox, new_key
from bot.settings import Secret
from bot.tips.clock import SystemClock


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


async def measure(url: str, teams: int, lookups: int) -> None:
    box = TokenBox(Secret(new_key()))
    store = SqlInstallations(await open_database(url))
    sdk = InstallationStore(store, box, SystemClock())
    try:
        now = datetime.now(UTC)
        for n in range(teams):
            await store.save_bot(
                InstalledBot(
                    team=TeamKey("", f"T{n:06d}"),
                    bot_user_id=f"U{n:06d}",
                    bot_id=f"B{n:06d}",
                    sealed_token=box.seal(f"xoxb-{n:06d}-benchmark-token-value"),
                    scopes="commands,chat:write",
                    installed_at=now,
                )
            )
        rng = random.Random(1)
        took: list[float] = []
        for _ in range(lookups):
            team = f"T{rng.randrange(teams):06d}"
            start = time.perf_counter()
            found = await sdk.async_find_bot(enterprise_id=None, team_id=team)
            took.append((time.perf_counter() - start) * 1000)
            assert found is not None
        sealed = box.seal("xoxb-" + "fake-benchmark-token-value")
        start = time.perf_counter()
        for _ in range(lookups):
            box.open(sealed)
        decrypt = (time.perf_counter() - start) * 1000 / lookups
    finally:
        await store.close()
    print(f"installations: {teams}, lookups: {lookups}, database: {url.split(':', 1)[0]}")
    print(
        f"find_bot + decrypt: p50 {statistics.median(took):.3f} ms, "
        f"p99 {_percentile(took, 0.99):.3f} ms, mean {statistics.fmean(took):.3f} ms"
    )
    print(f"Fernet decrypt alone: {decrypt * 1000:.1f} us")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--lookups", type=int, default=5000)
    parser.add_argument("--url", help="a scratch DATABASE_URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
        asyncio.run(measure(url, args.teams, args.lookups))


if __name__ == "__main__":
    main()
