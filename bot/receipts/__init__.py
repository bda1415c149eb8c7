"""Event receipts: which platform deliveries have been answered, shared by every replica.

A chat platform may deliver one event more than once (Slack retries; Socket Mode spreads
events over connections; a DM that mentions the bot arrives twice). Each replica claims an
event's key in the shared database before answering it and marks it done after, so N
replicas on one database answer every event once.
"""
