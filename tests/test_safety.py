"""Data safety: bad input of every kind gives one line and exit 2 (bad input) or 3 (the
environment) with nothing written; a busy database names who holds it; private files; one daemon.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.factories import campaign_toml

GENERIC = """[formats.gen]
date = { column = "Date", format = "%Y-%m-%d" }
amount = { column = "Amount" }
description = { column = "Description" }
"""
HUGE = 2**63


def write(tmp: Path, name: str, content: str | bytes) -> str:
    path = tmp / "inputs" / name
    path.parent.mkdir(exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def csv_import(body: str) -> Callable[[Path], list[str]]:
    def args(tmp: Path) -> list[str]:
        text = "Date,Amount,Description\n2026-01-05,100,fine\n" + body
        return ["import", write(tmp, "statement.csv", text), "--account", "bank"]

    return args


def campaign_add(text: str) -> Callable[[Path], list[str]]:
    return lambda tmp: ["campaign", "add", write(tmp, "mine.toml", text)]


def with_db(db: Callable[[Path], str], *command: str) -> Callable[[Path], list[str]]:
    return lambda tmp: ["--db", db(tmp), *command]


def deep(levels: int) -> str:
    return "x = " + "[" * levels + "]" * levels + "\n"


def grant(**changes: object) -> str:
    """A one-grant campaign file with `changes` to the grant's keys: id on line 7, account 8,
    amount 9, window 10."""
    table = {"id": "g", "account": "points", "amount": 500, "window": "joined+2M", **changes}
    return campaign_toml("c", "C", "I", grants=[table])


def waiver(repeat: int) -> str:
    """A one-waiver campaign file; `repeat` on line 11."""
    table = {"id": "fee", "amount": 11000, "account": "card", "statement": "joined+2M",
             "repeat": repeat}  # fmt: skip
    return campaign_toml("w", "W", "I", waivers=[table])


def random_bytes(tmp: Path) -> str:
    return write(tmp, "random.db", bytes(range(256)) * 8)


def text_file(tmp: Path) -> str:
    return write(tmp, "notes.db", "my shopping list\nmilk\n")


def under_a_file(tmp: Path) -> str:
    return str(Path(write(tmp, "plain-file", "x")) / "pointwatch.db")


def a_folder(tmp: Path) -> str:
    folder = tmp / "inputs" / "folder.db"
    folder.mkdir(parents=True)
    return str(folder)


# input → arguments (built in a scratch folder), exit code, words of the one-line message.
# Every case: no traceback, no password, the database and every other file as they were.
CASES = [
    ("csv-amount-2**63", csv_import(f"2026-01-06,{HUGE},huge\n"), 2, "row 3: amount 9,223,372,036,854,775,808 is too large"),
    ("csv-amount-2**63-negative", csv_import(f"2026-01-06,-{HUGE + 5},huge\n"), 2, "row 3: amount -9,223,372,036,854,775,813 is too large"),
    ("csv-amount-with-separators", csv_import('2026-01-06,"99,999,999,999,999,999,999",huge\n'), 2, "is too large"),
    ("csv-nul-byte", csv_import("2026-01-06,200,bad\x00byte\n"), 2, "row 3: contains a control character"),
    ("csv-escape-sequence", csv_import("2026-01-06,200,\x1b[2Jclear\n"), 2, "row 3: contains a control character"),
    ("csv-c1-control", csv_import("2026-01-06,200,\x9b31m\n"), 2, "row 3: contains a control character"),
    ("csv-date-year-9999", csv_import("9999-12-31,200,far\n"), 2, "row 3: the date 9999-12-31 is outside the supported years (1900..2999)"),
    ("csv-date-year-1", csv_import("0001-01-01,200,early\n"), 2, "row 3: the date 0001-01-01 is outside the supported years"),
    ("as-of-year-9999", lambda tmp: ["status", "--as-of", "9999-12-31"], 2, '"9999-12-31": not a valid date'),
    ("campaign-window-year-9999", campaign_add(grant(window="9999-12 end")), 2, "mine.toml:10: campaign[1].grant[1].window"),
    ("inquiry-at-year-9999", lambda tmp: ["inquiry", "add", "x/y", "--channel", "chat", "--at", "9999-12-31 23:59", "--promise", "p", "--promise-by", "5m"], 2, "outside the supported years (expected 1900..2999)"),
    ("campaign-amount-2**63", campaign_add(grant(amount=HUGE)), 2, "mine.toml:9: campaign[1].grant[1].amount: expected at most 9,223,372,036,854,775,807"),
    ("campaign-nested-5000-deep", campaign_add(deep(5000)), 2, "not valid TOML: tables or arrays nested more than 16 deep"),
    ("campaign-nested-17-deep", campaign_add(deep(17)), 2, "nested more than 16 deep"),
    ("campaign-joined+999999M", campaign_add(grant(window="joined+999999M")), 2, 'mine.toml:10: campaign[1].grant[1].window: "joined+999999M": offset too large'),
    ("campaign-joined+99999d", campaign_add(grant(window="qualified+99999d", requires=[])), 2, "offset too large"),
    ("campaign-offset-5000-digits", campaign_add(grant(window="joined+" + "9" * 5000 + "M")), 2, "offset too large"),
    ("campaign-repeat-100000000", campaign_add(waiver(100000000)), 2, "mine.toml:11: campaign[1].waiver[1].repeat: expected at most 30, got 100,000,000"),
    ("campaign-grace-huge", campaign_add(grant(grace=99999999999)), 2, "grant[1].grace: expected at most 366"),
    ("campaign-empty-file", campaign_add(""), 2, "mine.toml: the file is empty"),
    ("campaign-only-comments", campaign_add("# nothing yet\n"), 2, "the file is empty"),
    ("issuer-language-fr", campaign_add('[[issuer]]\nid = "i"\nname = "I"\nlanguage = "fr"\n'), 2, "mine.toml:4: issuer[1].language: 'fr': expected one of ja, en"),
    ("config-nested-5000-deep", lambda tmp: ["--config", write(tmp, "deep.toml", deep(5000)), "status"], 2, "not valid TOML: tables or arrays nested more than 16 deep"),
    ("config-is-a-folder", lambda tmp: ["--config", a_folder(tmp), "status"], 2, "is a folder; give the path of a TOML file"),
    ("config-not-utf8", lambda tmp: ["--config", write(tmp, "c.toml", b"\xff\xfe["), "status"], 2, "not UTF-8"),
    ("db-foo://bar", with_db(lambda tmp: "foo://bar", "status"), 2, "unknown kind of database 'foo'"),
    ("db-not-a-url", with_db(lambda tmp: "postgresql://:::", "status"), 2, "not a database path or SQLAlchemy URL"),
    ("db-postgresql-unreachable", with_db(lambda tmp: "postgresql+psycopg://me:s3cret@127.0.0.1:1/pw", "status"), 3, "cannot use the database postgresql+psycopg://me:***@127.0.0.1:1/pw"),
    ("db-postgresql-default-driver", with_db(lambda tmp: "postgresql://me:s3cret@127.0.0.1:1/pw", "status"), 3, "me:***@127.0.0.1:1"),
    ("db-driver-not-installed", with_db(lambda tmp: "mysql://me:s3cret@127.0.0.1:1/pw", "status"), 3, "its driver is not installed"),
    ("db-a-folder", with_db(a_folder, "status"), 2, "is a folder; give the path of a database file"),
    ("db-random-bytes", with_db(random_bytes, "account", "add", "x", "--kind", "points"), 2, "is not a SQLite database (it holds other data); nothing was changed"),
    ("db-text-file", with_db(text_file, "status"), 2, "is not a SQLite database (it holds text)"),
    ("db-parent-is-a-file", with_db(under_a_file, "init"), 2, "plain-file is a file, not a folder"),
    ("db-read-only", lambda tmp: ["--db", f"sqlite:///file:{tmp / 'pointwatch.db'}?mode=ro&uri=true", "account", "add", "x", "--kind", "points"], 3, "is read-only"),
]  # fmt: skip


def tree(root: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every file and folder under `root` but the test's own database: mode and content."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.name.startswith("pointwatch.db"):
            continue
        content = path.read_bytes() if path.is_file() else None
        found[str(path.relative_to(root))] = (path.stat().st_mode, content)
    return found


@pytest.fixture
def ready(pw, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # a crash log would show
    pw.write_config(GENERIC)
    pw.ok("account", "add", "bank", "--kind", "bank")
    return pw


@pytest.mark.parametrize("name, build, code, words", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_one_line_and_writes_nothing(
    ready, unchanged, tmp_path, name, build, code, words
):
    args = build(tmp_path)
    files = tree(tmp_path)
    stderr = unchanged(*args, code=code)
    assert words in stderr, stderr
    assert "Traceback" not in stderr and "s3cret" not in stderr
    assert stderr.startswith("Error: ") and "bug in pointwatch" not in stderr
    assert tree(tmp_path) == files  # nothing created, nothing changed: the inputs either


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway")
@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_or_folder_is_an_environment_error(ready, unchanged, tmp_path, what):
    ready.ok("status")
    target = ready.db_path if what == "file" else tmp_path
    mode = target.stat().st_mode
    target.chmod(0o444 if what == "file" else 0o555)
    try:
        stderr = unchanged("account", "add", "x", "--kind", "points", code=3)
    finally:
        target.chmod(mode)
    assert "read-only" in stderr or "cannot open the database" in stderr


def test_init_with_a_bad_database_writes_no_config_either(pw, tmp_path):
    stderr = pw.fails("--db", under_a_file(tmp_path), "init")
    assert "is a file, not a folder" in stderr
    assert not pw.config_path.exists()


def test_a_path_with_question_mark_and_hash_is_a_path(pw, tmp_path):
    odd = tmp_path / "odd?name#part%41.db"
    result = pw("--db", str(odd), "account", "add", "x", "--kind", "points")
    assert result.exit_code == 0, result.output
    assert odd.is_file() and not (tmp_path / "odd").exists()
    assert [
        a["name"] for a in json.loads(pw("--db", str(odd), "account", "list", "--json").stdout)
    ] == ["x"]


# --- a busy database names who holds it -------------------------------------------------------


@pytest.fixture
def short_wait(monkeypatch):
    import pointwatch.store.locks as locks

    monkeypatch.setattr(locks, "BUSY_TIMEOUT_SECONDS", 1)


def hold_write_lock(url: str, command: str, started: threading.Event, done: threading.Event):
    from pointwatch.store.engine import make_engine, transaction

    engine = make_engine(url)
    with transaction(engine, immediate=True, holder=command):
        started.set()
        done.wait(30)
    engine.dispose()


@pytest.mark.parametrize(
    "args",
    [
        ("record", "bank", "--date", "2026-01-05", "--amount", "100", "--memo", "x"),
        ("account", "add", "another", "--kind", "points"),
        ("import", "SECOND", "--account", "bank"),
        ("remind", "--as-of", "2026-01-05"),
    ],
    ids=["record", "account-add", "second-import", "remind"],
)
def test_a_write_while_another_command_holds_the_database_names_the_holder(
    ready, unchanged, tmp_path, short_wait, args
):
    second = write(tmp_path, "second.csv", "Date,Amount,Description\n2026-01-05,1,x\n")
    args = tuple(second if arg == "SECOND" else arg for arg in args)
    holder = "pointwatch import big.csv --account bank"
    started, done = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=hold_write_lock, args=(f"sqlite:///{ready.db_path}", holder, started, done)
    )
    thread.start()
    try:
        assert started.wait(10)
        note = tmp_path / "pointwatch.db-writer"
        assert note.stat().st_mode & 0o777 == 0o600
        before = ready.dump()
        stderr = ready.fails(*args, code=3)
    finally:
        done.set()
        thread.join()
    assert f"the database is busy: `{holder}` (pid {os.getpid()}) has been writing" in stderr
    assert "waited 1 s, nothing was written; try again when it has finished" in stderr
    assert ready.dump() == before
    assert not note.exists()  # the holder removed its note when it finished
    ready.ok(*args)  # and now it goes through


def test_the_daemons_run_on_a_busy_database_logs_it_and_lives_on(ready, tmp_path, short_wait):
    from pointwatch.scheduler import daily_job

    url = f"sqlite:///{ready.db_path}"
    started, done = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=hold_write_lock, args=(url, "pointwatch import x", started, done)
    )
    thread.start()
    try:
        assert started.wait(10)
        summary = daily_job(url, str(ready.config_path))
    finally:
        done.set()
        thread.join()
    assert summary.startswith("failed: the database is busy: `pointwatch import x`")
    assert daily_job(url, str(ready.config_path)).startswith("remind ")


def test_a_killed_holder_leaves_nothing_in_the_way(ready, tmp_path, short_wait):
    script = (
        "import sys, time\n"
        "from pointwatch.store.engine import make_engine, transaction\n"
        "with transaction(make_engine(sys.argv[1]), immediate=True, holder='pointwatch import x'):\n"
        "    print('ready', flush=True)\n"
        "    time.sleep(60)\n"
    )  # fmt: skip
    holder = subprocess.Popen(
        [sys.executable, "-c", script, f"sqlite:///{ready.db_path}"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        stderr = ready.fails("account", "add", "x", "--kind", "points", code=3)
        assert f"(pid {holder.pid})" in stderr
    finally:
        holder.kill()
        holder.wait()
    assert (tmp_path / "pointwatch.db-writer").exists()  # a note left by kill -9 ...
    ready.ok("account", "add", "x", "--kind", "points")  # ... is in nobody's way
    from pointwatch.store.locks import read_writer

    assert read_writer(ready.db_path) is None  # and never named: its process is gone


# --- private files ------------------------------------------------------------------------------


@pytest.fixture
def open_umask():
    previous = os.umask(0)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_private_whatever_the_umask(pw, tmp_path, monkeypatch, open_umask):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    config = tmp_path / "conf" / "deeper" / "config.toml"
    db = tmp_path / "data" / "deeper" / "pointwatch.db"
    result = pw("--config", str(config), "--db", str(db), "init")
    assert result.exit_code == 0, result.output
    assert mode(config) == 0o600 and mode(db) == 0o600
    for folder in (config.parent, config.parent.parent, db.parent, db.parent.parent):
        assert mode(folder) == 0o700, folder
    # SQLite gives its WAL and SHM files the database's mode.
    with sqlite3.connect(db) as connection:
        connection.execute("INSERT INTO meta VALUES ('probe', 'x')")
        assert mode(db.with_name("pointwatch.db-wal")) == 0o600
        assert mode(db.with_name("pointwatch.db-shm")) == 0o600
        connection.execute("DELETE FROM meta WHERE key = 'probe'")
    # Backups, exports, the crash log.
    backup = tmp_path / "out" / "b.db"
    backup.parent.mkdir()
    assert pw("--db", str(db), "backup", str(backup)).exit_code == 0
    assert pw("--db", str(db), "export", "all", str(backup.with_suffix(".json"))).exit_code == 0
    assert mode(backup) == 0o600 and mode(backup.with_suffix(".json")) == 0o600
    import pointwatch.services.entries as entries

    monkeypatch.setattr(entries, "list_entries", lambda *a, **k: 1 / 0)
    assert pw("--db", str(db), "entries").exit_code == 70
    log = tmp_path / "state" / "pointwatch" / "log" / "crash.log"
    assert mode(log) == 0o600
    assert mode(log.parent) == 0o700 and mode(log.parent.parent) == 0o700


def test_existing_files_and_folders_keep_their_modes(pw, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    assert pw("--db", str(shared / "p.db"), "status").exit_code == 0
    assert mode(shared) == 0o755


# --- one daemon ---------------------------------------------------------------------------------


def test_a_second_daemon_exits_at_once_naming_the_first(ready, tmp_path):
    from pointwatch.store.engine import make_engine
    from pointwatch.store.locks import DaemonLock

    first = DaemonLock(make_engine(f"sqlite:///{ready.db_path}"))
    first.acquire()
    try:
        stderr = ready.fails("daemon", code=3)
    finally:
        first.release()
    assert f"a pointwatch daemon is already running on this database (pid {os.getpid()}" in stderr
    assert mode(tmp_path / "pointwatch.db-daemon") == 0o600


def test_a_daemon_takes_over_when_the_first_died(ready):
    script = (
        "import sys, time\n"
        "from pointwatch.store.engine import make_engine\n"
        "from pointwatch.store.locks import DaemonLock\n"
        "DaemonLock(make_engine(sys.argv[1])).acquire()\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    url = f"sqlite:///{ready.db_path}"
    first = subprocess.Popen([sys.executable, "-c", script, url], stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline().strip() == "ready"
        assert f"(pid {first.pid}" in ready.fails("daemon", code=3)
    finally:
        first.kill()  # kill -9: no chance to clean up
        first.wait()
    from pointwatch.store.engine import make_engine
    from pointwatch.store.locks import DaemonLock

    second = DaemonLock(make_engine(url))
    second.acquire()  # the kernel dropped the dead daemon's lock
    second.release()


from tests.test_postgres import SERVER, pg_url  # noqa: E402, F401  (the fixture)


@pytest.mark.skipif(not SERVER, reason="POINTWATCH_TEST_PG_URL not set")
def test_one_daemon_per_server_database(pg_url, tmp_path):  # noqa: F811
    from pointwatch.errors import EnvironmentFailure
    from pointwatch.store.engine import ensure_schema, make_engine
    from pointwatch.store.locks import DaemonLock

    engine = make_engine(pg_url)
    ensure_schema(engine)
    first, second = DaemonLock(engine), DaemonLock(make_engine(pg_url))
    first.acquire()
    with pytest.raises(EnvironmentFailure, match=f"pointwatch daemon pid {os.getpid()}"):
        second.acquire()
    first.release()  # the connection ends: a dead daemon's lock goes the same way
    second.acquire()
    second.release()


# --- control characters in the calendar ---------------------------------------------------------


def test_no_control_character_reaches_a_calendar_file(pw):
    hostile = "\x1b]0;pwned\x07\x1b[2J\x9b31m"
    grant = {"id": "g", "account": "points", "amount": 500, "window": "joined+2M",
             "text": f"for {hostile}"}  # fmt: skip
    path = pw.db_path.with_name("hostile.toml")
    path.write_text(campaign_toml("hostile", f"Bonus {hostile}", hostile, grants=[grant]), "utf-8")
    pw.ok("campaign", "add", str(path))
    pw.ok("account", "add", "amazon", "--kind", "points")
    pw.ok("join", "hostile", "--on", "2026-01-05", "--account", "points=amazon")
    data = pw("export", "ics", "--as-of", "2026-01-05").stdout_bytes
    assert b"Bonus" in data
    assert not any(byte < 0x20 and byte not in b"\r\n\t" for byte in data)
    assert b"\x7f" not in data and "\x9b".encode() not in data


@pytest.mark.parametrize("server", [False, True], ids=["sqlite", "postgresql"])
def test_the_largest_amount_is_kept_exactly(pw, request, server):
    if server:
        if not SERVER:
            pytest.skip("POINTWATCH_TEST_PG_URL not set")
        url = request.getfixturevalue("pg_url")
        run = lambda *args: pw("--db", url, *args)  # noqa: E731
    else:
        run = pw
    largest = str(2**63 - 1)
    assert run("account", "add", "bank", "--kind", "bank").exit_code == 0
    recorded = run("record", "bank", "--date", "2026-01-05", "--amount", largest, "--memo", "x")
    assert recorded.exit_code == 0, recorded.output
    assert json.loads(run("entries", "--json").stdout)[0]["amount"] == 2**63 - 1
