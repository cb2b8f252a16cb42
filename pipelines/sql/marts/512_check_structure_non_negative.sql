-- marts.check_structure_non_negative: counts, amounts and shares are never negative.
--
-- The one exception: the 2019 trial table 2 column 本年增/减 (`*_change`) is a signed difference.
create or replace view marts.check_structure_non_negative as
with source as (
    select report_id, organ, year, metric, value from marts.facts
),

judged as (
    select *, not (value < 0 and metric not like '%\_change' escape '\') as ok from source
),

final as (
    select
        'structure_non_negative' as check_name, report_id, organ, year,
        string_agg(distinct metric, ', ' order by metric) filter (where not ok) as metric,
        cast(null as varchar) as applicant, cast(null as varchar) as related_report_id,
        cast(0 as double) as expected,
        min(value) filter (where not ok) as observed,
        case when count(*) filter (where not ok) = 0 then 'pass' else 'fail' end as state,
        cast(count(*) filter (where not ok) as varchar) || ' negative figure(s)' as detail
    from judged
    group by report_id, organ, year
)

select * from final
