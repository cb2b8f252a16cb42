-- marts.check_table3_balance: in every applicant column of table 3, new_received + carried_over =
-- total_handled + carried_forward (a request is either handled this year or carried to the next).
--
-- One row per (report, applicant column). All four cells are needed: one missing is not_assessable,
-- one blank is uncertain.
create or replace view marts.check_table3_balance as
with source as (
    select report_id, organ, year, metric, applicant, value, approx
    from marts.facts
    where table_no = 3 and applicant is not null
      and metric in ('new_received', 'carried_over', 'total_handled', 'carried_forward')
),

params as (
    select 0.5 as count_tolerance
),

renamed as (
    select
        report_id, organ, year, applicant,
        max(value) filter (where metric = 'new_received') as new_received,
        max(value) filter (where metric = 'carried_over') as carried_over,
        max(value) filter (where metric = 'total_handled') as total_handled,
        max(value) filter (where metric = 'carried_forward') as carried_forward,
        count(distinct metric) as n_present,
        count(value) as n_number,
        bool_or(approx) as approx
    from source
    group by report_id, organ, year, applicant
),

final as (
    select
        'table3_balance' as check_name, report_id, organ, year, 'new_received+carried_over' as metric,
        applicant, cast(null as varchar) as related_report_id,
        total_handled + carried_forward as expected, new_received + carried_over as observed,
        case
            when n_present < 4 then 'not_assessable'
            when n_number < n_present then 'uncertain'
            when abs((new_received + carried_over) - (total_handled + carried_forward)) < p.count_tolerance then 'pass'
            when approx then 'uncertain'
            else 'fail'
        end as state,
        'new_received ' || coalesce(cast(new_received as varchar), '?') || ' + carried_over '
            || coalesce(cast(carried_over as varchar), '?') || ' vs total_handled '
            || coalesce(cast(total_handled as varchar), '?') || ' + carried_forward '
            || coalesce(cast(carried_forward as varchar), '?') as detail
    from renamed, params as p
)

select * from final
