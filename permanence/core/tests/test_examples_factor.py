"""The property tests' depth (permanence.testing.examples): full on SQLite, a fraction on PostgreSQL."""

from permanence.testing import examples


def test_the_factor_scales_the_examples_with_a_floor(monkeypatch):
    monkeypatch.delenv("PERMANENCE_TEST_EXAMPLES", raising=False)
    assert examples(60) == 60
    monkeypatch.setenv("PERMANENCE_TEST_EXAMPLES", "0.25")
    assert (examples(60), examples(150), examples(3), examples(5)) == (15, 38, 3, 3)
    for unusable in ("", "many", "0", "-1"):
        monkeypatch.setenv("PERMANENCE_TEST_EXAMPLES", unusable)
        assert examples(60) == 60
