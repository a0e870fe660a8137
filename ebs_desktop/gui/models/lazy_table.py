"""A table model that knows how many rows there are and fetches only the ones on screen.

Anki's browser holds row ids and asks for a row when the view paints it; we do the same
in pages: the model holds a row count (or a list of ids) and a page fetcher, and ``data()``
asks for the page holding the row the first time it is shown, keeping the most recently
used pages in a small LRU cache. Opening a list of a million accounts costs one count query
and one page, not a million rows.

The fetcher runs on the GUI thread, so it must be one indexed query of a page: use keyset
ranges (``WHERE id > ? ORDER BY id LIMIT ?``) or an id list, not a large ``OFFSET``. Rows are
plain tuples of values; ``Column.formatter`` turns a value into display text (money through
:func:`ebs_desktop.domain.formatting.format_money`), while ``Qt.UserRole`` returns the raw
value, so sorting and selection never parse display text.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ebs_desktop.gui.qt import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

Row = Sequence[Any]
PageFetcher = Callable[[int, int], Sequence[Row]]
"""``fetch(offset, limit)`` -> up to ``limit`` rows starting at row ``offset``."""

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str
    formatter: Callable[[Any], str] | None = None
    align_right: bool = False


class LazyTableModel(QAbstractTableModel):
    """Rows fetched a page at a time as they are shown; at most ``max_pages`` kept."""

    def __init__(
        self,
        columns: Sequence[Column],
        count: int,
        fetch_page: PageFetcher,
        *,
        page_size: int = 200,
        max_pages: int = 50,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if page_size < 1 or max_pages < 1:
            raise ValueError("page_size and max_pages must be positive")
        self._columns = list(columns)
        self._count = count
        self._fetch = fetch_page
        self._page_size = page_size
        self._max_pages = max_pages
        self._pages: OrderedDict[int, Sequence[Row]] = OrderedDict()
        self.pages_fetched = 0

    @classmethod
    def from_ids(
        cls,
        columns: Sequence[Column],
        ids: Sequence[int],
        fetch_rows: Callable[[Sequence[int]], Mapping[int, Row]],
        **kwargs: Any,
    ) -> LazyTableModel:
        """A model over a list of ids (a search result); ``fetch_rows`` loads ids -> rows."""

        def fetch(offset: int, limit: int) -> Sequence[Row]:
            wanted = ids[offset:offset + limit]
            found = fetch_rows(wanted)
            return [found.get(i, ()) for i in wanted]

        return cls(columns, len(ids), fetch, **kwargs)

    # -- Qt model interface --------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            flag = Qt.AlignmentFlag
            horizontal = flag.AlignRight if column.align_right else flag.AlignLeft
            return int(horizontal | flag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole):
            return None
        row = self.row(index.row())
        if index.column() >= len(row):
            return None
        value = row[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return value
        if value is None:
            return ""
        return column.formatter(value) if column.formatter else str(value)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title if 0 <= section < len(self._columns) else None
        return str(section + 1)

    # -- paging --------------------------------------------------------------------------
    def row(self, row: int) -> Row:
        """The values of one row, fetching its page if needed."""
        page_no, offset = divmod(row, self._page_size)
        page = self._pages.get(page_no)
        if page is None:
            page = self._fetch(page_no * self._page_size, self._page_size)
            self.pages_fetched += 1
            self._pages[page_no] = page
            while len(self._pages) > self._max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else ()

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    def reload(self, count: int, fetch_page: PageFetcher | None = None) -> None:
        """New data (a new search, a sort, a refresh): drop the cache and reset views."""
        self.beginResetModel()
        self._count = count
        if fetch_page is not None:
            self._fetch = fetch_page
        self._pages.clear()
        self.endResetModel()
