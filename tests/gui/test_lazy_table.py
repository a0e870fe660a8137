"""A million-row list opens in under a second because rows are fetched a page at a time."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from ebs_desktop.domain.formatting import format_money
from ebs_desktop.domain.money import Money
from ebs_desktop.gui.models.lazy_table import Column, LazyTableModel
from ebs_desktop.gui.qt import QApplication, QHeaderView, Qt, QTableView

ROWS = 1_000_000


@pytest.fixture(scope="module")
def accounts_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("lazy") / "accounts.sqlite3"
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE account (id INTEGER PRIMARY KEY, number TEXT NOT NULL,"
        " name TEXT NOT NULL, balance_minor INTEGER NOT NULL)"
    )
    con.execute(
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?) "
        "INSERT INTO account SELECT x, printf('10%08d', x), 'Customer ' || x,"
        " (x * 7919) % 250000 - 50000 FROM n",
        (ROWS,),
    )
    con.commit()
    con.close()
    yield path


def _columns() -> list[Column]:
    return [
        Column("Account"),
        Column("Name"),
        Column("Balance", formatter=lambda m: format_money(Money(m, "USD"), "en_US"),
               align_right=True),
    ]


def test_million_rows_open_in_under_a_second(qtbot: QtBot, accounts_db: Path) -> None:
    con = sqlite3.connect(accounts_db)
    queries: list[tuple[int, int]] = []

    def fetch(offset: int, limit: int) -> Sequence[tuple[Any, ...]]:
        queries.append((offset, limit))
        # keyset page: ids are 1..N, so row r is id r+1
        return con.execute(
            "SELECT number, name, balance_minor FROM account WHERE id > ? ORDER BY id LIMIT ?",
            (offset, limit),
        ).fetchall()

    started = time.perf_counter()
    (count,) = con.execute("SELECT count(*) FROM account").fetchone()
    model = LazyTableModel(_columns(), count, fetch, page_size=200)
    view = QTableView()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(24)
    view.setModel(model)
    view.resize(1000, 600)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    first = model.index(0, 0).data()
    elapsed = time.perf_counter() - started

    assert count == ROWS
    assert model.rowCount() == ROWS
    assert first == "1000000001"
    assert elapsed < 1.0, f"opening took {elapsed:.2f} s"
    assert model.pages_fetched <= 2  # only what is on screen

    # Jumping to the end fetches the last page only, with the right values.
    view.scrollToBottom()
    QApplication.processEvents()
    last = model.index(ROWS - 1, 0)
    assert last.data() == f"10{ROWS:08d}"
    assert model.index(ROWS - 1, 1).data() == f"Customer {ROWS}"
    raw = model.index(ROWS - 1, 2).data(Qt.ItemDataRole.UserRole)
    assert raw == (ROWS * 7919) % 250000 - 50000
    assert model.index(ROWS - 1, 2).data() == format_money(Money(raw, "USD"), "en_US")
    assert len(queries) <= 5
    con.close()


def test_cache_is_bounded_and_reload_resets(qtbot: QtBot) -> None:
    calls: list[int] = []

    def fetch(offset: int, limit: int) -> list[tuple[int]]:
        calls.append(offset)
        return [(i,) for i in range(offset, min(offset + limit, 1000))]

    model = LazyTableModel([Column("n")], 1000, fetch, page_size=10, max_pages=3)
    for r in (0, 15, 25, 35):
        assert model.index(r, 0).data() == str(r)
    assert model.cached_pages == 3
    assert calls == [0, 10, 20, 30]
    model.index(0, 0).data()  # page 0 was evicted, so it is fetched again
    assert calls[-1] == 0
    model.index(35, 0).data()  # still cached
    assert calls.count(30) == 1

    with qtbot.waitSignal(model.modelReset):
        model.reload(5)
    assert model.rowCount() == 5 and model.cached_pages == 0
    assert model.index(6, 0).data() is None


def test_model_over_ids_keeps_search_order() -> None:
    rows = {7: ("A7",), 3: ("A3",), 9: ("A9",)}
    asked: list[list[int]] = []

    def fetch_rows(ids: Sequence[int]) -> dict[int, tuple[str]]:
        asked.append(list(ids))
        return {i: rows[i] for i in ids if i in rows}

    model = LazyTableModel.from_ids([Column("Account")], [9, 3, 7, 4], fetch_rows, page_size=2)
    assert [model.index(r, 0).data() for r in range(4)] == ["A9", "A3", "A7", None]
    assert asked == [[9, 3], [7, 4]]
