"""The catalogues are complete, compiled, and current with the source."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ["zh_Hans", "en"]


def _catalogue(locale: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"))


def _translations(entries) -> dict[str, object]:
    out: dict[str, object] = {}
    for e in entries:
        if e.obsolete or not e.msgid:
            continue
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
        out[key] = tuple(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr
    return out


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete(locale):
    po = _catalogue(locale)
    assert po.percent_translated() == 100, [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()]


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_matches_source(locale):
    mo_path = ROOT / "locale" / locale / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), "run `make messages` (compilemessages)"
    compiled = _translations(polib.mofile(str(mo_path)))
    source = _translations(_catalogue(locale))
    assert compiled == source, "django.mo is stale: run `make messages`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (xgettext)")
def test_catalogue_has_every_string_in_the_source(tmp_path):
    """Re-extract into a scratch copy; no msgid may be missing from the shipped catalogue."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "var", "node_modules", "static", "*.pyc"),
    )
    (copy / "var").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "congress.settings.local"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "zh_Hans",
            "--ignore",
            "tests/*",
            "--ignore",
            "benchmarks/*",
            "--ignore",
            "scripts/*",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    extracted = set(
        _translations(polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")))
    )
    shipped = set(_translations(_catalogue("zh_Hans")))
    assert extracted - shipped == set(), "new strings: run `make messages` and translate them"
