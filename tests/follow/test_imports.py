"""The follow core is headless: importing it (and the CLI command) never loads Textual."""

from __future__ import annotations

import subprocess
import sys


def test_follow_core_imports_without_textual() -> None:
    code = (
        "import sys\n"
        "import tracker.follow, tracker.follow_chart, tracker.follow_render\n"
        "import tracker.store.follows, tracker.store.follow_match, tracker.cli.follow_cmd\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
