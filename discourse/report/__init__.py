"""Output: rows to table/csv/tsv/json/jsonl (export.py)."""
