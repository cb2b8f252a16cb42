-- marts.check_table3_row_total: in every row of table 3, 总计 = the sum of the six applicant columns.
--
-- One row per (report, table 3 row). Parts are non-negative counts, so parts already summing above
-- the total fail even when a cell is blank; otherwise a blank or missing cell leaves it uncertain.
-- Counts are whole numbers: a difference under half a request is float noise, not a discrepancy.
create or replace view marts.check_table3_row_total as
with source as (
    select report_id, organ, year, metric, applicant, value, approx
    from marts.facts
    where table_no = 3 and applicant is not null
),

params as (
    select
        0.5 as count_tolerance,
        (select count(*) from main.reference_applicants where applicant <> 'total') as n_parts_expected
),

renamed as (
    select
        report_id, organ, year, metric,
        count(*) filter (where applicant = 'total') > 0 as has_total,
        max(value) filter (where applicant = 'total') as total,
        sum(value) filter (where applicant <> 'total') as parts_sum,
        count(value) filter (where applicant <> 'total') as n_parts_number,
        count(*) filter (where applicant <> 'total') as n_parts_present,
        bool_or(approx) as approx
    from source
    group by report_id, organ, year, metric
),

final as (
    select
        'table3_row_total' as check_name, report_id, organ, year, metric,
        'total' as applicant, cast(null as varchar) as related_report_id,
        total as expected, parts_sum as observed,
        case
            when not has_total or n_parts_present = 0 then 'not_assessable'
            when total is null then 'uncertain'
            when parts_sum > total + p.count_tolerance then case when approx then 'uncertain' else 'fail' end
            when n_parts_number = p.n_parts_expected and abs(parts_sum - total) < p.count_tolerance then 'pass'
            when n_parts_number = p.n_parts_expected then case when approx then 'uncertain' else 'fail' end
            else 'uncertain'
        end as state,
        'applicant columns sum to ' || coalesce(cast(parts_sum as varchar), '?') || ' (' || n_parts_number
            || ' of ' || p.n_parts_expected || ' cells read), 总计 says ' || coalesce(cast(total as varchar), 'blank') as detail
    from renamed, params as p
)

select * from final
