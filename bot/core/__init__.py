"""The platform-neutral core: requests in, replies out. Nothing here imports Slack or Discord."""
