-- marts.check_table4_totals: in table 4, for each proceeding (行政复议, 直接起诉, 复议后起诉),
-- 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计.
--
-- One row per (report, proceeding); same states as the table 3 row totals (non-negative parts).
create or replace view marts.check_table4_totals as
with source as (
    select
        report_id, organ, year, value, approx,
        regexp_extract(metric, '^(reconsideration|litigation_direct|litigation_after_reconsideration)_(upheld|corrected|other|pending|total)$', 1) as proceeding,
        regexp_extract(metric, '^(reconsideration|litigation_direct|litigation_after_reconsideration)_(upheld|corrected|other|pending|total)$', 2) as result
    from marts.facts
    where table_no = 4
),

params as (
    select 0.5 as count_tolerance, 4 as n_parts_expected
),

renamed as (
    select
        report_id, organ, year, proceeding,
        count(*) filter (where result = 'total') > 0 as has_total,
        max(value) filter (where result = 'total') as total,
        sum(value) filter (where result <> 'total') as parts_sum,
        count(value) filter (where result <> 'total') as n_parts_number,
        count(*) filter (where result <> 'total') as n_parts_present,
        bool_or(approx) as approx
    from source
    where proceeding <> ''
    group by report_id, organ, year, proceeding
),

final as (
    select
        'table4_totals' as check_name, report_id, organ, year, proceeding || '_total' as metric,
        cast(null as varchar) as applicant, cast(null as varchar) as related_report_id,
        total as expected, parts_sum as observed,
        case
            when not has_total or n_parts_present = 0 then 'not_assessable'
            when total is null then 'uncertain'
            when parts_sum > total + p.count_tolerance then case when approx then 'uncertain' else 'fail' end
            when n_parts_number = p.n_parts_expected and abs(parts_sum - total) < p.count_tolerance then 'pass'
            when n_parts_number = p.n_parts_expected then case when approx then 'uncertain' else 'fail' end
            else 'uncertain'
        end as state,
        'results sum to ' || coalesce(cast(parts_sum as varchar), '?') || ' (' || n_parts_number || ' of '
            || p.n_parts_expected || ' read), 总计 says ' || coalesce(cast(total as varchar), 'blank') as detail
    from renamed, params as p
)

select * from final
