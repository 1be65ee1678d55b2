"""The throughput bench runs end to end at a tiny scale: gunicorn serves the app (production
settings, bearer token) and the bare app, locust drives both through the list mix (menus/{id}
is left to `make bench-load`: a quick test), every request answers, the table lands in the
results file and nothing is left running (no speed is checked)."""
import shutil

import pytest

from bench import load

pytestmark = pytest.mark.skipif(shutil.which("locust", path=str(load.BIN)) is None,
                                reason="locust is in requirements-test.txt")


def test_bench_load_serves_both_apps_and_writes_the_table(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_CACHE_DIR", str(tmp_path / "cache"))
    results_file = tmp_path / "RESULTS.md"
    started = []
    original = load.Server.__init__

    def remember(self, *args, **kwargs):
        original(self, *args, **kwargs)
        started.append(self)

    monkeypatch.setattr(load.Server, "__init__", remember)
    rows = load.main(engine_name="sqlite", scale=0.001, seconds=3, users=4,
                     servers="gthread:1:2", scenarios="mix", results_path=results_file,
                     progress=False)
    assert [row["scenario"] for row in rows] == ["mix"]
    for row in rows:
        for side in ("app", "bare"):
            assert row[side]["count"] > 0, (row["scenario"], side)
            assert row[side]["failures"] == 0, (row["scenario"], side)
            assert row[side]["cpu_ms"] > 0
    text = results_file.read_text()
    assert "<!-- load:sqlite -->" in text and "| gthread 1×2 | list mix (explore ×5) |" in text
    # both servers were stopped
    assert len(started) == 2 and all(server.process.poll() is not None for server in started)
