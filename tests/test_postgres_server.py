"""The test PostgreSQL server's fixture: skipped only without binaries, a failure in CI."""

from __future__ import annotations

import pytest

from tests.postgres import REQUIRE_ENV, no_server


def test_without_a_server_the_tests_skip_saying_how_to_install_one() -> None:
    with pytest.raises(pytest.skip.Exception, match="apt-get install postgresql"):
        no_server(required=False)


def test_without_a_server_ci_fails_instead_of_skipping() -> None:
    with pytest.raises(pytest.fail.Exception, match=REQUIRE_ENV):
        no_server(required=True)
