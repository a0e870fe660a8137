"""Qt item models over service results: they hold ids or a count, never ORM objects."""
