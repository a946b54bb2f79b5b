from permanence.adopters.tests.conftest import match_world  # noqa: F401 (the panel and match world)
