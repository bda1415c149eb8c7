"""Daily tips: channel subscriptions, their schedule, storage, the scheduler and ``tips`` commands.

Platform-neutral: posts go out through ``bot.core.ports.ChannelSender``, so this package never
imports Slack or Discord code.
"""
