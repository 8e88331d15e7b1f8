"""Under CI a missing Chromium fails the browser tests; only outside CI may they skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser.conftest import require_chromium, under_ci

ABSENT = Path("/nonexistent/chromium")


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_missing_chromium_fails_under_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    assert under_ci()
    with pytest.raises(pytest.fail.Exception, match="may not be skipped"):
        require_chromium(ABSENT)


@pytest.mark.parametrize("value", [None, "", "false", "0"])
def test_missing_chromium_skips_outside_ci(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert not under_ci()
    with pytest.raises(pytest.skip.Exception, match="make system-deps"):
        require_chromium(ABSENT)


def test_present_chromium_is_returned(tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("")
    assert require_chromium(fake) == fake
