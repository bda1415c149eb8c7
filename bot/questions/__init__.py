"""The question log: what people asked, how the bot answered, and what it taught us.

Recorded once in the core (``recorder``), stored behind the ``QuestionLog`` port (``ports``,
``sql_log``), purged on a schedule (``retention``), and read back by ``mlcareer report``,
``kb suggest`` and ``kb diff`` (``report``, ``clusters``, ``suggest``, ``diff``).
"""
