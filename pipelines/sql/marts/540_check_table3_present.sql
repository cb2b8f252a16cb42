-- marts.check_table3_present: a standard-format report (2019+) always publishes table 3 (依申请公开);
-- one without any table 3 figure was not read, or is not the whole report.
--
-- One row per current standard-format report.
create or replace view marts.check_table3_present as
with source as (
    select report_id, organ, year, format from marts.current_reports where format like 'standard\_%' escape '\'
),

table3 as (
    select report_id, count(*) as n_cells from main.facts where table_no = 3 group by report_id
),

final as (
    select
        'table3_present' as check_name, s.report_id, s.organ, s.year,
        cast(null as varchar) as metric, cast(null as varchar) as applicant,
        cast(null as varchar) as related_report_id,
        cast(null as double) as expected, cast(coalesce(t.n_cells, 0) as double) as observed,
        case when coalesce(t.n_cells, 0) > 0 then 'pass' else 'fail' end as state,
        coalesce(t.n_cells, 0) || ' table 3 cell(s) read from a ' || s.format || ' report' as detail
    from source as s
    left join table3 as t using (report_id)
)

select * from final
