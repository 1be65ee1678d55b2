"""The benchmark runs end to end at a tiny scale: every case answers 200 and lands in the
results table (no timings are checked: they are for people comparing changes)."""
from bench import run


def test_bench_generates_runs_and_writes_every_case(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_CACHE_DIR", str(tmp_path / "cache"))
    results_file = tmp_path / "RESULTS.md"
    results = run.main(engine_name="sqlite", scale=0.001, repeats=1, results_path=results_file,
                       only="", progress=False)
    text = results_file.read_text()
    assert len(results) == len(run.CASES)
    for case in run.CASES:
        assert f"| {case.name} |" in text
    # every report figure ran its SQL and was explained
    for row in results:
        assert row["statements"] > 0 and row["bytes"] > 0
        if row["goal"]:
            assert row["plans"], row["name"]
    assert "### Query plans" in text
    # every goal of the issue is judged in the table and summed up above it
    assert "lists at most 1.5× their bare SQL (p50):" in text
    assert "availability, timeline and table searches (p95):" in text
    assert len({case.name for case in run.CASES}) == len(run.CASES)
    for row in results:
        if row["target"] and run.goal_met(row) is not None:
            assert run.goal_text(row).split(":")[1].strip() in ("yes", "**no**")
    # the cache was built once and is reused; the run's temporary copy is gone
    assert len(list((tmp_path / "cache").glob("bench-*.db"))) == 1
