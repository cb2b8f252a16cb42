-- marts.check_table2_stock_flow: in the 2021 table 2, documents in force at the end of year N =
-- those in force at the end of N-1 + issued in N - repealed in N (规章, 行政规范性文件).
--
-- One row per (report of year N, item) where the same organ's 2021-format year N-1 report is loaded.
-- Publishers recount their stock now and then (a clean-up campaign), so a break is a warning.
create or replace view marts.check_table2_stock_flow as
with source as (
    select
        report_id, organ, year, value,
        regexp_extract(metric, '^(regulations|normative_documents)_(issued|repealed|in_force)$', 1) as item,
        regexp_extract(metric, '^(regulations|normative_documents)_(issued|repealed|in_force)$', 2) as measure
    from marts.facts
    where table_no = 2 and format = 'standard_2021' and organ is not null and year is not null
),

items as (
    select
        report_id, organ, year, item,
        max(value) filter (where measure = 'issued') as issued,
        max(value) filter (where measure = 'repealed') as repealed,
        max(value) filter (where measure = 'in_force') as in_force,
        count(distinct measure) as n_present,
        count(value) as n_number
    from source
    where item <> ''
    group by report_id, organ, year, item
),

params as (
    select 0.5 as count_tolerance
),

final as (
    select
        'table2_stock_flow' as check_name, cur.report_id, cur.organ, cur.year, cur.item || '_in_force' as metric,
        cast(null as varchar) as applicant, prev.report_id as related_report_id,
        prev.in_force + cur.issued - cur.repealed as expected, cur.in_force as observed,
        case
            when cur.n_present < 3 then 'not_assessable'
            when cur.n_number < 3 or prev.in_force is null then 'uncertain'
            when abs(prev.in_force + cur.issued - cur.repealed - cur.in_force) < p.count_tolerance then 'pass'
            else 'fail'
        end as state,
        cur.item || ' in force ' || coalesce(cast(cur.in_force as varchar), '?') || ' in ' || cur.year || ' vs '
            || coalesce(cast(prev.in_force as varchar), '?') || ' in ' || prev.year || ' + issued '
            || coalesce(cast(cur.issued as varchar), '?') || ' - repealed ' || coalesce(cast(cur.repealed as varchar), '?') as detail
    from items as cur
    inner join items as prev on prev.organ = cur.organ and prev.year = cur.year - 1 and prev.item = cur.item
    cross join params as p
)

select * from final
