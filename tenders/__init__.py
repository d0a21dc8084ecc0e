"""Public procurement: buyers, tenders and lots, clauses, consortiums, awards."""
