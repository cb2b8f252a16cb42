-- marts.requests_by_report: table 3 totals (总计 column) of each current report, one row per report,
-- one column per outcome; narrative reports contribute requests_received where they state it.
create or replace view marts.requests_by_report as
with totals as (
    select report_id, organ, region, level, year, format, metric, value
    from marts.facts
    where (applicant = 'total' and table_no = 3)
       or (format = 'narrative' and metric like 'requests_%')
),

final as (
    select
        report_id, organ, region, level, year, format,
        coalesce(max(value) filter (where metric = 'new_received'),
                 max(value) filter (where metric = 'requests_received')) as requests_received,
        max(value) filter (where metric = 'carried_over') as carried_over,
        coalesce(max(value) filter (where metric = 'granted'),
                 max(value) filter (where metric = 'requests_granted')) as granted,
        coalesce(max(value) filter (where metric = 'partially_granted'),
                 max(value) filter (where metric = 'requests_partially_granted')) as partially_granted,
        coalesce(sum(value) filter (where metric like 'denied_%'),
                 max(value) filter (where metric = 'requests_denied')) as denied,
        coalesce(sum(value) filter (where metric like 'unable_%'),
                 max(value) filter (where metric = 'requests_not_held')) as unable,
        max(value) filter (where metric = 'unable_not_held') as unable_not_held,
        coalesce(sum(value) filter (where metric like 'not_processed_%'),
                 max(value) filter (where metric = 'requests_not_processed')) as not_processed,
        coalesce(sum(value) filter (where metric like 'other_%'),
                 max(value) filter (where metric = 'requests_other')) as other_processing,
        max(value) filter (where metric = 'total_handled') as total_handled,
        max(value) filter (where metric = 'carried_forward') as carried_forward
    from totals
    group by all
)

select * from final
