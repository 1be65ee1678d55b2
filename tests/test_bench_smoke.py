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


def test_a_cached_dataset_of_an_older_schema_is_migrated_not_generated(tmp_path, monkeypatch):
    from datetime import date

    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from flask_migrate import downgrade

    from app import create_app
    from app.config import TestingConfig
    from bench import dataset

    monkeypatch.setenv("BENCH_CACHE_DIR", str(tmp_path / "cache"))
    today = date(2026, 11, 30)
    path, counts = dataset.ensure_sqlite(0.001, today, progress=False)
    # the same data one migration older: the last migration taken back, named by its parent
    config = Config()
    config.set_main_option("script_location", str(dataset.ROOT / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head()
    parent = ScriptDirectory.from_config(config).get_revision(head).down_revision
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
                     UPLOAD_DIR=str(tmp_path / "uploads"))
    with app.app_context():
        downgrade(revision=parent)
        from models import db
        db.engine.dispose()
    key = dataset.cache_key(0.001, today)
    older = key.replace(f"-{head}-", f"-{parent}-")
    path.rename(path.with_name(f"bench-{older}.db"))
    path.with_suffix(".json").rename(path.with_name(f"bench-{older}.json"))

    def no_build(*_args, **_kwargs):
        raise AssertionError("generated again instead of migrated")

    monkeypatch.setattr(dataset, "_build", no_build)
    migrated, migrated_counts = dataset.ensure_sqlite(0.001, today, progress=False)
    assert migrated == path and migrated_counts == counts
    assert [file.name for file in (tmp_path / "cache").glob("bench-*.db")] == [path.name]
    import sqlite3
    with sqlite3.connect(migrated) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
    assert dataset._same_data(older, key) and not dataset._same_data(key, key)
    assert not dataset._same_data(key.replace("-s0.001-", "-s1-"), key)
