"""What a researcher looks at: figures and a one-page HTML report, built from the report tables.

Nothing here computes a measure. A figure or a page section is drawn from the
rows that :mod:`discourse.report` returns (the same rows ``discourse report``
prints), so a plot and a table of one run always agree. matplotlib is an
optional extra (``pip install 'discourse[plots]'``) and is imported only when a
figure is drawn, with the non-interactive Agg backend.
"""
