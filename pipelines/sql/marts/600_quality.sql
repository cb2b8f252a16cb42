-- marts.quality: per current report, what the latest validation found, so notebooks can include or
-- exclude flagged reports (a failing report is never dropped from the warehouse).
--
-- n_fail: error-severity checks failing; n_warn: warning-severity checks failing. A fail an analyst
-- dismissed (data/reviews.csv) counts in neither; one they confirmed as the publisher's error still
-- counts, and is named in confirmed_checks. worst_state ranks fail > uncertain > not_assessable > pass
-- (not_checked when the report was loaded after the latest validation).
create or replace view marts.quality as
with latest_run as (
    select run_id from main.validation_runs
    where status in ('passed', 'failed')
    order by started_at desc
    limit 1
),

results as (
    select * from main.check_results where run_id = (select run_id from latest_run)
),

renamed as (
    select
        *,
        state = 'fail' and review_decision is distinct from 'dismissed' as open_fail,
        case state when 'fail' then 3 when 'uncertain' then 2 when 'not_assessable' then 1 else 0 end as state_rank
    from results
),

per_report as (
    select
        report_id,
        count(*) filter (where open_fail and severity = 'error') as n_fail,
        count(*) filter (where open_fail and severity = 'warning') as n_warn,
        count(*) filter (where state = 'fail' and review_decision = 'confirmed') as n_confirmed,
        count(*) filter (where state = 'fail' and review_decision = 'dismissed') as n_dismissed,
        count(*) filter (where state = 'uncertain') as n_uncertain,
        count(*) filter (where state = 'not_assessable') as n_not_assessable,
        max(case when state = 'fail' and review_decision = 'dismissed' then 0 else state_rank end) as worst_rank,
        string_agg(check_name, ', ' order by check_name) filter (where open_fail) as failed_checks,
        string_agg(check_name, ', ' order by check_name) filter (where state = 'fail' and review_decision = 'confirmed') as confirmed_checks
    from renamed
    group by report_id
),

final as (
    select
        r.report_id, r.organ, r.region, r.level, r.year, r.format,
        coalesce(q.n_fail, 0) as n_fail,
        coalesce(q.n_warn, 0) as n_warn,
        coalesce(q.n_confirmed, 0) as n_confirmed,
        coalesce(q.n_dismissed, 0) as n_dismissed,
        coalesce(q.n_uncertain, 0) as n_uncertain,
        coalesce(q.n_not_assessable, 0) as n_not_assessable,
        case q.worst_rank when 3 then 'fail' when 2 then 'uncertain' when 1 then 'not_assessable'
                          when 0 then 'pass' else 'not_checked' end as worst_state,
        coalesce(q.n_fail, 0) + coalesce(q.n_warn, 0) > 0 as flagged,
        q.failed_checks,
        q.confirmed_checks,
        (select run_id from latest_run) as validation_run_id
    from marts.current_reports as r
    left join per_report as q using (report_id)
)

select * from final
