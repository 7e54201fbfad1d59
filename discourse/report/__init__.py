"""Reports: tables of measures by concept, group and period, and how they are written.

- :mod:`.tables`: :func:`~.tables.build_report` and the :class:`~.tables.Report` the CLI asks for tables;
- :mod:`.options`: the table names, their columns and :class:`~.options.ReportOptions`;
- :mod:`.grouping`: the document x concept count matrix and its cells (``--by`` values x period);
- :mod:`.frequency`: prominence, counts, keyness and trend, from the grouped counts;
- :mod:`.tokens`, :mod:`.embed`, :mod:`.context`: stored tokens, context embedders, collocates and ambiguity;
- :mod:`.export`: rows as a table, CSV, TSV, JSON or JSON Lines;
- :mod:`.write`, :mod:`.run`: ``report --all`` files and the ``run.json`` reproducibility record.
"""
