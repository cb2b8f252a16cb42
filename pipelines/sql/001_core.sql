-- 001_core: the core tables of the ogi warehouse.
--
-- One row per report version in `reports` (a version is a file's content: report_id is the first 16
-- hex digits of its sha256), its figures in long format in `facts`, its texts in `report_texts`,
-- what the extractor warned about in `extraction_warnings`, which file paths hold which version in
-- `files`, every run in `runs` and every refused file in `quarantine`.
-- No primary keys: DuckDB checks them eagerly inside a transaction that deletes and re-inserts a key,
-- which is exactly how a changed file replaces its old version. Uniqueness is checked by the
-- structure expectations instead.

create table if not exists runs (
    run_id            varchar not null,
    started_at        timestamp not null,
    finished_at       timestamp,
    status            varchar not null,      -- running | succeeded | failed | interrupted
    inputs            varchar,
    files_seen        integer default 0,
    files_skipped     integer default 0,     -- unchanged since they were loaded
    reports_loaded    integer default 0,
    facts_loaded      integer default 0,
    quarantined       integer default 0,
    message           varchar,
    extractor_version varchar
);

create table if not exists reports (
    report_id         varchar not null,
    sha256            varchar not null,
    source_path       varchar not null,      -- the path it was first loaded from
    organ             varchar,
    organ_as_printed  varchar,
    region            varchar,
    level             varchar,               -- province | city | county | township | department
    year              integer,               -- the year reported on
    format            varchar,               -- narrative | standard_2019 | standard_2021
    title             varchar,
    kind              varchar,               -- html | text | markdown | pdf | docx
    encoding          varchar,
    script            varchar,               -- simplified | traditional
    size_bytes        bigint,
    n_facts           integer,
    n_warnings        integer,
    problems          varchar[],
    measures          varchar[],
    run_id            varchar,
    loaded_at         timestamp,
    extractor_version varchar
);

create table if not exists report_texts (
    report_id  varchar not null,
    original   varchar,                       -- as published (original script, tables as | rows |)
    normalised varchar                        -- Simplified, half-width
);

create table if not exists facts (
    report_id         varchar not null,
    fact_no           integer not null,
    metric            varchar not null,
    applicant         varchar,                -- table 3 column, else null
    value             double,                 -- null for blank / not applicable cells
    unit              varchar,
    approx            boolean,
    value_kind        varchar,                -- number | blank | not_applicable | none_stated
    raw               varchar,                -- cell text or number as printed
    evidence          varchar,                -- sentence or cell as printed (original script)
    location          json,                   -- {"table","row","column"} or {"start","end"}
    table_no          integer,                -- 2, 3, 4 for table cells, null for prose
    extractor_version varchar
);

create table if not exists extraction_warnings (
    report_id  varchar not null,
    warning_no integer not null,
    code       varchar not null,
    message    varchar,
    metric     varchar,
    applicant  varchar,
    location   json
);

create table if not exists files (
    source_path varchar not null,
    sha256      varchar not null,
    report_id   varchar,                      -- null when the file is quarantined
    size_bytes  bigint,
    status      varchar not null,             -- loaded | quarantined
    run_id      varchar,
    seen_at     timestamp
);

create table if not exists quarantine (
    source_path       varchar not null,
    sha256            varchar,
    stage             varchar not null,       -- discover | normalise | identify | extract | load
    reason            varchar not null,       -- short code: empty, binary, undecodable, not_a_report …
    error             varchar not null,       -- the message, naming the file
    run_id            varchar,
    quarantined_at    timestamp,
    extractor_version varchar
);
