"""The books operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services import books as _books
from ebs_desktop.services.facade.door import Area, Operation


class BooksArea(Area):
    check_books = Operation("books.check", _books.check_books)
