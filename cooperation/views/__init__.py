"""HTML views of the cooperation app by feature: parse, call a service or a QuerySet, render."""
