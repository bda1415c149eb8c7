"""The tips database schema, as numbered migrations applied in order at start-up.

Each migration is written once per backend, SQLite and PostgreSQL, under one version number,
so both databases always hold the same tables, columns and indexes (and the stores share their
queries). SQLite keeps the schema version in ``PRAGMA user_version``; PostgreSQL in a
``schema_migrations`` table (see ``bot.tips.postgres_store``). Never edit a released
migration: add a new one at the end. Times are UTC seconds since the epoch; local dates are
``YYYY-MM-DD`` text.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from bot.errors import StorageError


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema: its version number, what it does, and its SQL statements for
    SQLite (``statements``) and for PostgreSQL (``postgres``)."""

    version: int
    name: str
    statements: tuple[str, ...]
    postgres: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "subscriptions and the posts ledger",
        (
            """
            CREATE TABLE subscriptions (
                platform     TEXT NOT NULL,
                channel      TEXT NOT NULL,
                at           TEXT NOT NULL CHECK (at GLOB '[0-2][0-9]:[0-5][0-9]'),
                zone         TEXT NOT NULL,
                days         TEXT NOT NULL CHECK (days IN ('daily', 'weekdays')),
                next_fire    INTEGER NOT NULL,
                paused       INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
                pause_reason TEXT,
                updated_by   TEXT,
                updated_at   INTEGER NOT NULL,
                PRIMARY KEY (platform, channel)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE posts (
                platform    TEXT NOT NULL,
                channel     TEXT NOT NULL,
                day         TEXT NOT NULL,
                tip_id      TEXT NOT NULL,
                scheduled   INTEGER NOT NULL,
                status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
                attempts    INTEGER NOT NULL DEFAULT 0,
                token       TEXT,
                lease_until INTEGER,
                claimed_at  INTEGER,
                sent_at     INTEGER,
                last_error  TEXT,
                PRIMARY KEY (platform, channel, day)
            ) WITHOUT ROWID
            """,
        ),
        (
            # Text keys compare byte by byte (COLLATE "C"), as in SQLite, so both backends
            # order channels alike; flags are 0/1 integers, as in SQLite, so queries are shared.
            """
            CREATE TABLE subscriptions (
                platform     TEXT COLLATE "C" NOT NULL,
                channel      TEXT COLLATE "C" NOT NULL,
                at           TEXT NOT NULL CHECK (at ~ '^[0-2][0-9]:[0-5][0-9]$'),
                zone         TEXT NOT NULL,
                days         TEXT NOT NULL CHECK (days IN ('daily', 'weekdays')),
                next_fire    BIGINT NOT NULL,
                paused       INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
                pause_reason TEXT,
                updated_by   TEXT,
                updated_at   BIGINT NOT NULL,
                PRIMARY KEY (platform, channel)
            )
            """,
            """
            CREATE TABLE posts (
                platform    TEXT COLLATE "C" NOT NULL,
                channel     TEXT COLLATE "C" NOT NULL,
                day         TEXT COLLATE "C" NOT NULL,
                tip_id      TEXT NOT NULL,
                scheduled   BIGINT NOT NULL,
                status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
                attempts    INTEGER NOT NULL DEFAULT 0,
                token       TEXT,
                lease_until BIGINT,
                claimed_at  BIGINT,
                sent_at     BIGINT,
                last_error  TEXT,
                PRIMARY KEY (platform, channel, day)
            )
            """,
        ),
    ),
    Migration(
        2,
        "per-channel decks, kept when tips are turned off, and the due-time index",
        (
            """
            CREATE TABLE decks (
                platform  TEXT NOT NULL,
                channel   TEXT NOT NULL,
                tip_order TEXT NOT NULL,
                position  INTEGER NOT NULL CHECK (position >= 0),
                cycle     INTEGER NOT NULL CHECK (cycle >= 0),
                version   INTEGER NOT NULL,
                PRIMARY KEY (platform, channel)
            ) WITHOUT ROWID
            """,
            # The scheduler's hot query is "active, on this platform, due by now": a partial
            # index on (platform, next fire time) answers it with one range scan per platform
            # however many channels subscribe.
            "CREATE INDEX subscriptions_due ON subscriptions (platform, next_fire) "
            "WHERE paused = 0",
        ),
        (
            """
            CREATE TABLE decks (
                platform  TEXT COLLATE "C" NOT NULL,
                channel   TEXT COLLATE "C" NOT NULL,
                tip_order TEXT NOT NULL,
                position  INTEGER NOT NULL CHECK (position >= 0),
                cycle     INTEGER NOT NULL CHECK (cycle >= 0),
                version   INTEGER NOT NULL,
                PRIMARY KEY (platform, channel)
            )
            """,
            "CREATE INDEX subscriptions_due ON subscriptions (platform, next_fire) "
            "WHERE paused = 0",
        ),
    ),
    Migration(
        3,
        "the due walk's index, in the order the scheduler reads the due subscriptions",
        # Due subscriptions are read in batches ordered by (next_fire, platform, channel),
        # each starting after the last one read. With the index in that order a batch is one
        # range scan that stops after the batch, on every platform at once; the index on
        # (platform, next_fire) had PostgreSQL read and sort every due row for each batch
        # (30-60 ms a batch with 100,000 due after an outage). SQLite gets it too, to keep
        # one schema; its planner may still prefer the other index, which is fast there.
        (
            "CREATE INDEX subscriptions_due_walk ON subscriptions (next_fire, platform, channel) "
            "WHERE paused = 0",
        ),
        (
            "CREATE INDEX subscriptions_due_walk ON subscriptions (next_fire, platform, channel) "
            "WHERE paused = 0",
        ),
    ),
    Migration(
        4,
        "event receipts: which chat deliveries were claimed and answered, for every replica",
        # One row per delivered event (an event_id, or a message's channel:ts), claimed with
        # a lease before answering and marked done after (bot.receipts.sql). Times are
        # milliseconds since the epoch. Old rows are deleted by seen_at, hence its index.
        (
            """
            CREATE TABLE event_receipts (
                key         TEXT PRIMARY KEY,
                state       TEXT NOT NULL CHECK (state IN ('claimed', 'done')),
                seen_at     INTEGER NOT NULL,
                lease_until INTEGER NOT NULL
            ) WITHOUT ROWID
            """,
            "CREATE INDEX event_receipts_seen ON event_receipts (seen_at)",
        ),
        (
            """
            CREATE TABLE event_receipts (
                key         TEXT COLLATE "C" PRIMARY KEY,
                state       TEXT NOT NULL CHECK (state IN ('claimed', 'done')),
                seen_at     BIGINT NOT NULL,
                lease_until BIGINT NOT NULL
            )
            """,
            "CREATE INDEX event_receipts_seen ON event_receipts (seen_at)",
        ),
    ),
    Migration(
        5,
        "when each post's first attempt was claimed",
        # claimed_at moves on with every retry; a retry looks on the platform for an earlier
        # attempt's message (one that went out but was never marked sent) from the first
        # attempt on. Rows from before keep NULL and fall back to claimed_at.
        ("ALTER TABLE posts ADD COLUMN first_claimed_at INTEGER",),
        ("ALTER TABLE posts ADD COLUMN first_claimed_at BIGINT",),
    ),
    Migration(
        6,
        "Slack installations (bot tokens encrypted), one-time OAuth states, each team's channels",
        # One row per installed workspace, or per Enterprise Grid organisation for an org-wide
        # install (team_id ''); '' rather than NULL for "none", so the key is a plain primary
        # key on both backends. bot_token is Fernet ciphertext, never the token itself.
        # slack_channels says which team a channel was heard from, so uninstalling pauses
        # that team's tip subscriptions and a tip is posted with that team's token.
        (
            """
            CREATE TABLE slack_installations (
                enterprise_id         TEXT NOT NULL,
                team_id               TEXT NOT NULL,
                is_enterprise_install INTEGER NOT NULL CHECK (is_enterprise_install IN (0, 1)),
                app_id                TEXT,
                enterprise_name       TEXT,
                team_name             TEXT,
                bot_user_id           TEXT NOT NULL,
                bot_id                TEXT NOT NULL,
                bot_token             TEXT NOT NULL,
                bot_scopes            TEXT NOT NULL,
                installer_user_id     TEXT,
                installed_at          INTEGER NOT NULL,
                PRIMARY KEY (enterprise_id, team_id)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE slack_oauth_states (
                state      TEXT NOT NULL PRIMARY KEY,
                expires_at INTEGER NOT NULL,
                consumed   INTEGER NOT NULL DEFAULT 0 CHECK (consumed IN (0, 1))
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE slack_channels (
                enterprise_id TEXT NOT NULL,
                team_id       TEXT NOT NULL,
                channel       TEXT NOT NULL,
                seen_at       INTEGER NOT NULL,
                PRIMARY KEY (enterprise_id, team_id, channel)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX slack_channels_by_channel ON slack_channels (channel)",
        ),
        (
            """
            CREATE TABLE slack_installations (
                enterprise_id         TEXT COLLATE "C" NOT NULL,
                team_id               TEXT COLLATE "C" NOT NULL,
                is_enterprise_install INTEGER NOT NULL CHECK (is_enterprise_install IN (0, 1)),
                app_id                TEXT,
                enterprise_name       TEXT,
                team_name             TEXT,
                bot_user_id           TEXT NOT NULL,
                bot_id                TEXT NOT NULL,
                bot_token             TEXT NOT NULL,
                bot_scopes            TEXT NOT NULL,
                installer_user_id     TEXT,
                installed_at          BIGINT NOT NULL,
                PRIMARY KEY (enterprise_id, team_id)
            )
            """,
            """
            CREATE TABLE slack_oauth_states (
                state      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
                expires_at BIGINT NOT NULL,
                consumed   INTEGER NOT NULL DEFAULT 0 CHECK (consumed IN (0, 1))
            )
            """,
            """
            CREATE TABLE slack_channels (
                enterprise_id TEXT COLLATE "C" NOT NULL,
                team_id       TEXT COLLATE "C" NOT NULL,
                channel       TEXT COLLATE "C" NOT NULL,
                seen_at       BIGINT NOT NULL,
                PRIMARY KEY (enterprise_id, team_id, channel)
            )
            """,
            "CREATE INDEX slack_channels_by_channel ON slack_channels (channel)",
        ),
    ),
    Migration(
        7,
        "the question log, its daily counts and the stored hash key",
        # ``questions`` holds one row per logged question (``id`` is a uuid4 hex the core
        # makes; ``user_hash`` a keyed hash, never a user id; ``text`` cleared after the
        # retention period). ``question_counts`` is what MLCAREER_QUESTION_LOG=off keeps
        # (and on keeps too, so the per-day charts survive purges and forget-me). ``secrets``
        # holds the hash key generated when MLCAREER_HASH_KEY is unset.
        (
            """
            CREATE TABLE questions (
                id           TEXT PRIMARY KEY,
                asked_at     BIGINT NOT NULL,
                platform     TEXT,
                workspace    TEXT,
                channel_kind TEXT,
                user_hash    TEXT,
                text         TEXT,
                band         TEXT,
                entry_id     TEXT,
                section      TEXT,
                score        REAL
            )
            """,
            "CREATE INDEX questions_asked_at ON questions (asked_at)",
            "CREATE INDEX questions_user_hash ON questions (user_hash)",
            """
            CREATE TABLE question_counts (
                day      TEXT NOT NULL,
                platform TEXT NOT NULL,
                band     TEXT NOT NULL,
                n        INTEGER NOT NULL,
                PRIMARY KEY (day, platform, band)
            ) WITHOUT ROWID
            """,
            "CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        ),
        (
            """
            CREATE TABLE questions (
                id           TEXT COLLATE "C" PRIMARY KEY,
                asked_at     BIGINT NOT NULL,
                platform     TEXT COLLATE "C",
                workspace    TEXT COLLATE "C",
                channel_kind TEXT,
                user_hash    TEXT COLLATE "C",
                text         TEXT,
                band         TEXT,
                entry_id     TEXT COLLATE "C",
                section      TEXT,
                score        REAL
            )
            """,
            "CREATE INDEX questions_asked_at ON questions (asked_at)",
            "CREATE INDEX questions_user_hash ON questions (user_hash)",
            """
            CREATE TABLE question_counts (
                day      TEXT COLLATE "C" NOT NULL,
                platform TEXT COLLATE "C" NOT NULL,
                band     TEXT COLLATE "C" NOT NULL,
                n        INTEGER NOT NULL,
                PRIMARY KEY (day, platform, band)
            )
            """,
            'CREATE TABLE secrets (name TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL)',
        ),
    ),
    Migration(
        8,
        "votes on answers (feedback), one per voter per logged question",
        # No foreign key to questions (migration 7, the question log's): the store checks
        # that the question exists in the same transaction. Voters are keyed hashes only.
        # The keys keep the default collation, like questions.id, so the two compare alike.
        (
            """
            CREATE TABLE votes (
                question_id TEXT NOT NULL,
                voter_hash  TEXT NOT NULL,
                vote        INTEGER NOT NULL CHECK (vote IN (-1, 1)),
                comment     TEXT,
                voted_at    BIGINT NOT NULL,
                PRIMARY KEY (question_id, voter_hash)
            ) WITHOUT ROWID
            """,
            # forget me deletes by voter across every question.
            "CREATE INDEX votes_by_voter ON votes (voter_hash)",
        ),
        (
            """
            CREATE TABLE votes (
                question_id TEXT NOT NULL,
                voter_hash  TEXT NOT NULL,
                vote        INTEGER NOT NULL CHECK (vote IN (-1, 1)),
                comment     TEXT,
                voted_at    BIGINT NOT NULL,
                PRIMARY KEY (question_id, voter_hash)
            )
            """,
            "CREATE INDEX votes_by_voter ON votes (voter_hash)",
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version the database file is at (0 for a new file)."""
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def too_new(current: int) -> StorageError:
    """The error for a database migrated by a newer mlcareer than this one (left untouched)."""
    return StorageError(
        f"the tips database is at schema version {current}, newer than this mlcareer "
        f"understands ({LATEST_VERSION}); upgrade mlcareer or point DATABASE_URL elsewhere"
    )


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Apply every migration above the database's version up to ``target``; return the version.

    Runs in one write transaction, so two processes starting at once migrate only once and a
    failed step leaves the file as it was. ``conn`` must be in autocommit mode
    (``isolation_level=None``).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = schema_version(conn)
        if current > LATEST_VERSION:
            raise too_new(current)
        for migration in MIGRATIONS:
            if current < migration.version <= target:
                for statement in migration.statements:
                    conn.execute(statement)
                # PRAGMA takes no parameters; the version is our own integer constant.
                conn.execute(f"PRAGMA user_version = {migration.version:d}")
                current = migration.version
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return current
