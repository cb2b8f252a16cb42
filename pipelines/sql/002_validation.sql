-- 002_validation: what `ogi validate` records, and the reference data its check views read.
--
-- `validation_runs`: one row per validation. `check_results`: per (run, check, report) the worst state
-- of that check's units (pass | fail | uncertain | not_assessable), their counts, the observed numbers
-- of the units that failed or are uncertain, and the analyst's review if one applies. `validation_results`: every
-- Great Expectations result of a run: one summary row per expectation (report_id null) and one row per
-- report an expectation found unexpected, with the figures that made it so.
-- `reviews` is data/reviews.csv as loaded by the last validation (analyst decisions), and the
-- `reference_*` tables are the metric vocabulary (pipelines/reference/*.csv) as the last validation
-- read it; `validation_settings` holds the tunable thresholds of the suites (expectations/*.json).

create table if not exists validation_runs (
    run_id           varchar not null,
    started_at       timestamp not null,
    finished_at      timestamp,
    status           varchar not null,       -- running | passed | failed | crashed
    n_reports        integer,
    n_checks         integer,
    n_error_fails    integer,                -- error-severity expectations that failed
    n_warning_fails  integer,                -- warning-severity expectations that failed
    fail_on_warning  boolean,
    docs_path        varchar,
    seconds          double,
    message          varchar
);

create table if not exists check_results (
    run_id            varchar not null,
    suite             varchar not null,
    check_name        varchar not null,
    severity          varchar not null,      -- error | warning
    report_id         varchar not null,
    organ             varchar,
    year              integer,
    state             varchar not null,      -- pass | fail | uncertain | not_assessable (worst unit)
    n_units           integer,
    n_pass            integer,
    n_fail            integer,
    n_uncertain       integer,
    n_not_assessable  integer,
    observed          json,                  -- failing/uncertain units: metric, applicant, expected, observed …
    review_decision   varchar,               -- confirmed | dismissed | null
    review_reason     varchar,
    outcome           varchar not null       -- state, or confirmed/dismissed for a reviewed fail
);

create table if not exists validation_results (
    run_id            varchar not null,
    suite             varchar not null,
    expectation       varchar not null,      -- expectation type and column, e.g. expect_column_values_to_be_in_set(table3_balance)
    check_name        varchar,
    severity          varchar not null,      -- error | warning
    success           boolean not null,
    state             varchar not null,      -- pass | fail for the summary row; fail for a report row
    report_id         varchar,               -- null on the expectation's summary row
    organ             varchar,
    year              integer,
    element_count     integer,
    unexpected_count  integer,
    observed          json
);

create table if not exists reviews (
    report_id   varchar,
    organ       varchar,
    year        integer,
    check_name  varchar not null,
    metric      varchar,                     -- the unit's metric it decides on; null: every unit of the check
    decision    varchar not null,            -- confirmed | dismissed
    reason      varchar,
    reviewer    varchar,
    reviewed_on varchar
);

create table if not exists reference_metrics (
    metric   varchar not null,
    table_no integer,
    grp      varchar,
    unit     varchar,
    formats  varchar[]
);

create table if not exists reference_applicants (
    applicant varchar not null
);

-- Every metric key seen in facts with the vocabulary's verdict (pipelines.vocabulary.is_known_metric).
create table if not exists reference_metric_keys (
    metric varchar not null,
    known  boolean not null
);

create table if not exists validation_settings (
    name  varchar not null,
    value double not null
);
