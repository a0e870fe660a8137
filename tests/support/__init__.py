"""Test support: seeding scripts and deliberately broken variants, kept out of the product
(the product never imports this package; tests and tools/ do)."""
