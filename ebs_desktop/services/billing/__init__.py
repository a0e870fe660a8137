"""Billing runs, bill corrections and exports (issue: tariffs and billing).

``run.run_billing`` is the bulk path (its machinery in ``engine``): accounts in batches,
inputs loaded per batch with a few set-based queries (``inputs`` over
``persistence.stores.billing``), bills priced by the pure calculation (``pricing``), and
every batch written as tuples in one transaction (``batch``, posting its journal through
``persistence.ledger``).
"""
