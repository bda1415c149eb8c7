"""Feedback on answers: 👍/👎 votes and an optional note, one vote per person per answer."""
