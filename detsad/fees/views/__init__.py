"""Pages of the fee area, by topic (runs, accounts, payments, setup, reports)."""
