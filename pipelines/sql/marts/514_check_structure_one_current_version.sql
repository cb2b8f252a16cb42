-- marts.check_structure_one_current_version: exactly one current version per (organ, year).
--
-- marts.current_reports picks one version by rule; this guards that rule (and reports how many
-- versions it chose from, in `observed`).
create or replace view marts.check_structure_one_current_version as
with source as (
    select report_id, organ, year, n_versions from marts.current_reports
),

counted as (
    select *, count(*) over (partition by organ, year) as n_current from source
),

final as (
    select
        'structure_one_current_version' as check_name, report_id, organ, year,
        cast(null as varchar) as metric, cast(null as varchar) as applicant,
        cast(null as varchar) as related_report_id,
        cast(1 as double) as expected, cast(n_current as double) as observed,
        case when organ is null or year is null then 'not_assessable'
             when n_current = 1 then 'pass' else 'fail' end as state,
        n_versions || ' version(s) loaded, ' || n_current || ' current' as detail
    from counted
)

select * from final
