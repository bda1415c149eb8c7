"""``mlcareer run [slack|discord]``: serve the bot on chat platforms, all on one event loop."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import Any

from bot.commands.state import prepare_state
from bot.core.metrics import Metrics
from bot.core.ports import PlatformRunner, Readiness
from bot.core.router import Router
from bot.core.services import build_services
from bot.errors import SettingsError
from bot.feedback.service import Feedback
from bot.feedback.stores import open_vote_store
from bot.ops.supervisor import Sleep, Supervisor
from bot.questions.setup import hash_key, open_questions
from bot.receipts.cleanup import purge_forever
from bot.receipts.ports import EventReceipts
from bot.settings import Settings
from bot.tips.clock import Clock, SystemClock
from bot.tips.daily import open_daily_tips

log = logging.getLogger(__name__)

PLATFORMS = ("slack", "discord")
# Builds the platform runners for ``serve``: (settings, router, platform names, metrics, the
# shared event receipts).
RunnerFactory = Callable[
    [Settings, Router, list[str], Metrics, EventReceipts | None], list[PlatformRunner]
]


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of ``run``; its name and help line are in ``bot.cli.COMMANDS``."""
    parser.description = (
        "Serve the bot on every platform whose settings are present, or only on "
        "the one named. Slack uses Socket Mode when SLACK_APP_TOKEN is set, or HTTP with "
        "--http. Stop with Ctrl-C."
    )
    parser.add_argument("platform", nargs="?", choices=PLATFORMS, help="serve only this one")
    parser.add_argument(
        "--http",
        action="store_true",
        default=None,
        help="Slack: serve the Events API over HTTP at /slack/events instead of Socket Mode",
    )
    parser.add_argument(
        "--port", type=port_number, help="Slack: HTTP port (default: SLACK_PORT or 3000)"
    )
    parser.set_defaults(func=run)


def port_number(text: str) -> int:
    """``--port``: a TCP port, refused by argparse with a usage line when out of range."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1 to 65535)")
    return port


def configured_platforms(settings: Settings) -> list[str]:
    """The platforms whose main token is set (for Slack, or its OAuth app credentials)."""
    found = []
    if settings.slack_bot_token or (settings.slack_client_id and settings.slack_client_secret):
        found.append("slack")
    if settings.discord_token:
        found.append("discord")
    return found


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the named platform, or every configured one, until Ctrl-C; exit status 0."""
    if args.http is not None:
        settings = settings.with_overrides(slack_http=True)
    if args.port is not None:
        settings = settings.with_overrides(slack_port=args.port)
    platforms = [args.platform] if args.platform else configured_platforms(settings)
    if not platforms:
        raise SettingsError(
            "no chat platform is configured: set SLACK_BOT_TOKEN (Slack) or DISCORD_TOKEN "
            "(Discord) in the environment or .env (see .env.example); "
            "for the terminal, use 'mlcareer chat'"
        )
    prepare_state(settings, args.env_file)
    try:
        asyncio.run(serve_until_stopped(settings, platforms))
    except KeyboardInterrupt:
        log.info("stopped")
    return 0


async def serve_until_stopped(settings: Settings, platforms: list[str]) -> None:
    """``serve`` until Ctrl-C or SIGTERM (how systemd, Docker and Kubernetes stop a service);
    either way the shutdown is the same clean one."""
    loop = asyncio.get_running_loop()
    serving = asyncio.create_task(serve(settings, platforms), name="serve")
    # No signal handlers on some platforms (Windows) or off the main thread: Ctrl-C still works.
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, serving.cancel)
    try:
        await serving
    except asyncio.CancelledError:
        if not serving.cancelled():
            raise
        log.info("stopped")
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGTERM)


def build_runners(
    settings: Settings,
    router: Router,
    platforms: list[str],
    metrics: Metrics,
    receipts: EventReceipts | None = None,
) -> list[PlatformRunner]:
    """One runner per platform, reporting to ``metrics``; adapters are imported only when
    asked for. Slack claims the events it answers in ``receipts``.

    Each platform's settings are checked first, so a missing or malformed one stops the start
    with its one-line message before anything is opened.
    """
    runners: list[PlatformRunner] = []
    for name in platforms:
        if name == "slack":
            from bot.adapters.slack.checks import check_settings
            from bot.adapters.slack.runner import SlackRunner

            check_settings(settings)
            runners.append(SlackRunner(settings, router, metrics=metrics, receipts=receipts))
        elif name == "discord":
            from bot.adapters.discord.config import discord_config
            from bot.adapters.discord.runner import DiscordRunner

            discord_config(settings)
            runners.append(DiscordRunner(settings, router, metrics=metrics))
    return runners


async def serve(
    settings: Settings,
    platforms: list[str],
    *,
    build: RunnerFactory = build_runners,
    clock: Clock | None = None,
    sleep: Sleep = asyncio.sleep,
) -> None:
    """Build the core once and run every platform, and the daily-tip scheduler, on this loop,
    with the health and metrics endpoint beside them (unless MLCAREER_OPS_PORT is 0).

    The tips service is handed to the router so ``tips on|off|status|now`` work in every
    channel, and the scheduler posts through each runner's sender. Each runner is supervised:
    when one fails it is restarted with backoff while the rest keep serving; only a
    ``SettingsError`` at start-up ends ``serve``. When serving ends (Ctrl-C, SIGTERM) the
    scheduler is stopped first, letting a post in flight finish and be recorded, and only
    then is the tips database closed. With Slack, the event receipts are opened in the same
    database (so replicas on it answer each event once) and old ones are forgotten from
    time to time on the real clock. ``build``, ``clock`` and ``sleep`` (the supervisors'
    backoff) are seams for tests.
    """
    # Imported here: prometheus-client costs about 100 ms, which `ask` and `chat` never pay.
    from bot.ops.metrics import PrometheusMetrics
    from bot.ops.server import OpsServer
    from bot.receipts.stores import open_receipts

    metrics = PrometheusMetrics()  # its own registry, created here and passed down
    services = build_services(settings)
    router = Router(services, metrics=metrics)
    receipts = await open_receipts(settings.database_url) if "slack" in platforms else None
    runners = build(settings, router, platforms, metrics, receipts)
    senders = {runner.name: runner.sender for runner in runners}
    try:
        tips = await open_daily_tips(settings, services.knowledge, senders, clock, metrics=metrics)
    except BaseException:
        if receipts is not None:
            await receipts.close()
        raise
    services.tips = tips.commands
    try:
        questions, purge, question_log = await open_questions(
            settings, services.knowledge, services.matcher, clock or SystemClock()
        )
    except BaseException:
        await tips.close()
        raise
    services.questions = questions
    try:
        # 👍/👎 on logged answers: the votes share the database and the question log's key.
        votes = await open_vote_store(settings.database_url)
        services.feedback = Feedback(votes, await hash_key(settings, question_log))
    except BaseException:
        await question_log.close()
        await tips.close()
        raise
    supervisors = [Supervisor(runner, metrics, sleep=sleep) for runner in runners]
    checks: dict[str, Readiness] = {supervisor.name: supervisor for supervisor in supervisors}
    checks["database"] = tips.store
    ops = OpsServer(settings.ops_host, settings.ops_port, metrics, checks)
    purging = (
        asyncio.create_task(purge_forever(receipts, SystemClock()), name="event receipts")
        if receipts is not None
        else None
    )
    try:
        if settings.ops_port:
            await ops.start()
        # Everything built so far (the SDKs, the knowledge base, the matcher) lives as long as
        # the process: move it out of the garbage collector's view, so a full collection no
        # longer scans it and stalls every request in flight (about 20 ms under load before).
        gc.freeze()
        await _serve_all(supervisors, _both(tips.scheduler.run_forever(), purge.run_forever()))
    finally:
        if purging is not None:
            purging.cancel()
            await asyncio.gather(purging, return_exceptions=True)
        await ops.stop()
        await votes.close()
        await question_log.close()
        await tips.close()
        if receipts is not None:
            await receipts.close()


async def _both(scheduling: Coroutine[Any, Any, None], purging: Coroutine[Any, Any, None]) -> None:
    """The daily-tip scheduler and the question log's retention purge, as one scheduler task
    (stopped together, first, when serving ends)."""
    await asyncio.gather(scheduling, purging)


async def _serve_all(supervisors: list[Supervisor], scheduling: Coroutine[Any, Any, None]) -> None:
    """Run the supervised platforms and the scheduler until cancelled, or until a platform's
    start-up ``SettingsError``; then stop the scheduler first (a post in flight finishes and
    is recorded while the platforms still serve), then the platforms.

    ``asyncio.wait`` rather than ``gather``: being cancelled, it leaves the tasks running, so
    they are stopped here in that order instead of all at once.
    """
    scheduler = asyncio.create_task(scheduling, name="daily tips")
    platforms = [
        asyncio.create_task(supervisor.run(), name=f"{supervisor.name} (supervised)")
        for supervisor in supervisors
    ]
    try:
        done, _ = await asyncio.wait([*platforms, scheduler], return_when="FIRST_EXCEPTION")
        for task in done:
            task.result()  # raises the start-up SettingsError that ended it
    finally:
        scheduler.cancel()
        await asyncio.gather(scheduler, return_exceptions=True)
        for task in platforms:
            task.cancel()
        await asyncio.gather(*platforms, return_exceptions=True)
