"""Stage 6, validate: Great Expectations suites (``expectations/``) over the DuckDB warehouse.

Identities that span rows are computed by the ``marts.check_*`` views; GE checks their results on
compact pandas frames, so every failure names its report, metric and numbers. See
:mod:`pipelines.validate.run` for the steps and data/reviews.csv for analyst decisions.
"""

from pipelines.validate.run import ValidationOutcome, run_validation, validate_command

__all__ = ["ValidationOutcome", "run_validation", "validate_command"]
