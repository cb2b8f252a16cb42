-- marts.check_rollup_departments: a region's own report covers at least what its departments report.
--
-- Where a region's report (level other than department) and its departments' reports (level
-- department, same region, same year) are loaded, a region figure smaller than the sum of its
-- departments' is flagged: the coverage differs (the region counts only its own office, or a
-- department was misplaced). One row per (region report, headline figure).
create or replace view marts.check_rollup_departments as
with source as (
    select report_id, organ, region, level, year, requests_received, reconsideration_total, litigation_total
    from marts.report_overview
    where region is not null and year is not null
),

figures as (
    unpivot source on requests_received, reconsideration_total, litigation_total
    into name metric value figure
),

regions as (
    select s.report_id, s.organ, s.region, s.year, m.metric, f.figure
    from source as s
    cross join (values ('requests_received'), ('reconsideration_total'), ('litigation_total')) as m(metric)
    left join figures as f on f.report_id = s.report_id and f.metric = m.metric
    where s.level is distinct from 'department'
),

departments as (
    select
        s.region, s.year, m.metric,
        count(distinct s.report_id) as n_departments,
        count(f.figure) as n_with_figure,
        sum(f.figure) as departments_sum
    from source as s
    cross join (values ('requests_received'), ('reconsideration_total'), ('litigation_total')) as m(metric)
    left join figures as f on f.report_id = s.report_id and f.metric = m.metric
    where s.level = 'department'
    group by s.region, s.year, m.metric
),

params as (
    select 0.5 as count_tolerance
),

final as (
    select
        'rollup_departments' as check_name, r.report_id, r.organ, r.year, r.metric,
        cast(null as varchar) as applicant, cast(null as varchar) as related_report_id,
        d.departments_sum as expected, r.figure as observed,
        case
            when r.figure is null or d.n_with_figure = 0 then 'not_assessable'
            when r.figure + p.count_tolerance < d.departments_sum then 'fail'
            when d.n_with_figure < d.n_departments then 'uncertain'
            else 'pass'
        end as state,
        r.metric || ' ' || coalesce(cast(r.figure as varchar), '?') || ' in the region''s report vs '
            || coalesce(cast(d.departments_sum as varchar), '?') || ' summed over ' || d.n_with_figure || ' of '
            || d.n_departments || ' department report(s)' as detail
    from regions as r
    inner join departments as d on d.region = r.region and d.year = r.year and d.metric = r.metric
    cross join params as p
)

select * from final
