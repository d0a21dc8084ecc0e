"""HTML views of the tenders app by feature: parse, call a service or a QuerySet, render."""
