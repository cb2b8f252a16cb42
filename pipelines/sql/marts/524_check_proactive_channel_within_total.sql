-- marts.check_proactive_channel_within_total: items disclosed through one channel (proactive_via_*)
-- never exceed all items disclosed (proactive_total).
--
-- One row per (report, channel of the vocabulary). Descriptive keys that merely start with
-- proactive_via_ (e.g. a key-areas section figure) are not channels and are left out.
create or replace view marts.check_proactive_channel_within_total as
with source as (
    select report_id, organ, year, metric, value, approx
    from marts.facts
    where metric = 'proactive_total'
       or metric in (select metric from main.reference_metrics where metric like 'proactive\_via\_%' escape '\')
),

params as (
    select 0.5 as count_tolerance
),

totals as (
    select report_id, max(value) as total, count(*) as n_total, bool_or(approx) as total_approx
    from source
    where metric = 'proactive_total'
    group by report_id
),

channels as (
    select report_id, organ, year, metric, max(value) as channel, bool_or(approx) as approx
    from source
    where metric <> 'proactive_total'
    group by report_id, organ, year, metric
),

final as (
    select
        'proactive_channel_within_total' as check_name, c.report_id, c.organ, c.year, c.metric,
        cast(null as varchar) as applicant, cast(null as varchar) as related_report_id,
        t.total as expected, c.channel as observed,
        case
            when t.n_total is null then 'not_assessable'
            when t.total is null or c.channel is null then 'uncertain'
            when c.channel <= t.total + p.count_tolerance then 'pass'
            when c.approx or t.total_approx then 'uncertain'
            else 'fail'
        end as state,
        c.metric || ' ' || coalesce(cast(c.channel as varchar), 'blank') || ' vs proactive_total '
            || coalesce(cast(t.total as varchar), 'not stated') as detail
    from channels as c
    left join totals as t using (report_id)
    cross join params as p
)

select * from final
