from tests.officers.conftest import key, tipbot  # noqa: F401  (the same running bot)
