"""The keyed user hash: stable for one key, different across keys, platforms and people, and
the same in every workspace (so forget me finds a person's rows wherever they asked)."""

from __future__ import annotations

from bot.core.privacy import user_hash


def test_same_person_same_key_gives_the_same_pseudonym() -> None:
    assert user_hash(b"k", "slack", "U1") == user_hash(b"k", "slack", "U1")


def test_the_pseudonym_depends_on_key_platform_and_user() -> None:
    base = user_hash(b"k", "slack", "U1")
    others = {
        user_hash(b"other", "slack", "U1"),
        user_hash(b"k", "discord", "U1"),
        user_hash(b"k", "slack", "U2"),
        # The separator keeps ("slackU", "1") apart from ("slack", "U1").
        user_hash(b"k", "slackU", "1"),
    }
    assert base not in others
    assert len(others) == 4


def test_the_user_id_never_appears_in_the_pseudonym() -> None:
    digest = user_hash(b"k", "slack", "U0123ABCD")
    assert "U0123ABCD" not in digest
    assert len(digest) == 64


def test_a_request_is_known_by_its_platform_and_user_in_any_workspace() -> None:
    from bot.core.privacy import person_of
    from bot.core.request import Request

    in_server = Request("hi", user="U1", platform="discord", workspace="G1")
    in_dm = Request("hi", user="U1", platform="discord", workspace="")
    assert person_of(b"k", in_server) == person_of(b"k", in_dm) == user_hash(b"k", "discord", "U1")
    assert person_of(b"k", Request("hi", user="U2", platform="discord")) != person_of(b"k", in_dm)
