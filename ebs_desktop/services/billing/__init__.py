"""Billing runs, bill corrections and exports (issue: tariffs and billing).

``run.run_billing`` is the bulk path: accounts in batches, inputs loaded per batch with a
few set-based queries (``inputs``), bills priced by the pure calculation, and every batch
written as tuples in one transaction (``writer``).
"""
