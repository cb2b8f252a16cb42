"""Analysis helpers the notebooks use: mart queries as DataFrames, written comparisons and charts.

- :mod:`pipelines.analysis.compare` reads the marts (through :func:`pipelines.warehouse.query`) into
  the tables the notebooks show;
- :mod:`pipelines.analysis.narrate` turns figures into sentences (Chinese or English) that state only
  what the data supports;
- :mod:`pipelines.analysis.charts` draws charts with Chinese labels in one consistent style and saves
  them as PNG and SVG.
"""
