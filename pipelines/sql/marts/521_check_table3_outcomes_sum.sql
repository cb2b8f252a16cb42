-- marts.check_table3_outcomes_sum: in every applicant column of table 3, (七)总计 (total_handled) =
-- the sum of the outcome rows (予以公开 … 其他处理).
--
-- One row per (report, applicant column). The outcome rows a format has come from the vocabulary
-- (main.reference_metrics): 21 in the 2021 format, 19 in the 2019 trial format (one 其他处理 row).
create or replace view marts.check_table3_outcomes_sum as
with source as (
    select report_id, organ, year, format, metric, applicant, value, approx
    from marts.facts
    where table_no = 3 and applicant is not null
),

outcome_rows as (
    select metric, unnest(formats) as format
    from main.reference_metrics
    where table_no = 3
      and metric not in ('new_received', 'carried_over', 'total_handled', 'carried_forward')
),

params as (
    select 0.5 as count_tolerance
),

renamed as (
    select
        s.report_id, s.organ, s.year, s.format, s.applicant,
        count(*) filter (where s.metric = 'total_handled') > 0 as has_total,
        max(s.value) filter (where s.metric = 'total_handled') as total_handled,
        sum(s.value) filter (where o.metric is not null) as outcomes_sum,
        count(s.value) filter (where o.metric is not null) as n_outcomes_number,
        count(*) filter (where o.metric is not null) as n_outcomes_present,
        bool_or(s.approx) as approx
    from source as s
    left join outcome_rows as o on o.metric = s.metric and o.format = s.format
    group by s.report_id, s.organ, s.year, s.format, s.applicant
),

expected_rows as (
    select format, count(*) as n_outcomes_expected from outcome_rows group by format
),

final as (
    select
        'table3_outcomes_sum' as check_name, r.report_id, r.organ, r.year, 'total_handled' as metric,
        r.applicant, cast(null as varchar) as related_report_id,
        r.total_handled as expected, r.outcomes_sum as observed,
        case
            when not r.has_total or r.n_outcomes_present = 0 then 'not_assessable'
            when r.total_handled is null then 'uncertain'
            when r.outcomes_sum > r.total_handled + p.count_tolerance
                then case when r.approx then 'uncertain' else 'fail' end
            when r.n_outcomes_number = e.n_outcomes_expected
                 and abs(r.outcomes_sum - r.total_handled) < p.count_tolerance then 'pass'
            when r.n_outcomes_number = e.n_outcomes_expected then case when r.approx then 'uncertain' else 'fail' end
            else 'uncertain'
        end as state,
        'outcome rows sum to ' || coalesce(cast(r.outcomes_sum as varchar), '?') || ' (' || r.n_outcomes_number
            || ' of ' || coalesce(e.n_outcomes_expected, 0) || ' rows read), (七)总计 says '
            || coalesce(cast(r.total_handled as varchar), 'blank') as detail
    from renamed as r
    left join expected_rows as e using (format)
    cross join params as p
)

select * from final
