"""The keyed user hash: stable for one key, different across keys, people and workspaces."""

from __future__ import annotations

from bot.core.privacy import user_hash


def test_same_person_same_key_gives_the_same_pseudonym() -> None:
    assert user_hash(b"k", "slack", "T1", "U1") == user_hash(b"k", "slack", "T1", "U1")


def test_the_pseudonym_depends_on_key_platform_workspace_and_user() -> None:
    base = user_hash(b"k", "slack", "T1", "U1")
    others = {
        user_hash(b"other", "slack", "T1", "U1"),
        user_hash(b"k", "discord", "T1", "U1"),
        user_hash(b"k", "slack", "T2", "U1"),
        user_hash(b"k", "slack", "T1", "U2"),
        # The separator keeps ("T1U", "1") apart from ("T1", "U1").
        user_hash(b"k", "slack", "T1U", "1"),
    }
    assert base not in others
    assert len(others) == 5


def test_the_user_id_never_appears_in_the_pseudonym() -> None:
    digest = user_hash(b"k", "slack", "T1", "U0123ABCD")
    assert "U0123ABCD" not in digest
    assert len(digest) == 64
