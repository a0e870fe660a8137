"""Per-area stores: every query of the product, every dialect branch, the bulk machinery.

A store is a module of plain functions taking the caller's ``Session`` (or ``Connection``
for bulk work) and plain values, returning plain values, frozen records or ORM objects
(ORM objects stay inside the services; the facade never hands one out). How to read:
the ORM for single objects and their relations, Core statements or driver cursors for
bulk. Dialect branches (SQLite vs PostgreSQL) live here and nowhere else.
"""
