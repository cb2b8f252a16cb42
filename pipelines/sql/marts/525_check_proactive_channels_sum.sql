-- marts.check_proactive_channels_sum: where a report says its channel figures are the parts of the
-- total, they add up to proactive_total.
--
-- Channels overlap in general (an item on the website and in the gazette counts twice), and 其中
-- ("of which") introduces a selection, not a partition (平潭县教育局 2011: 20 items, 其中 website 14).
-- A report declares a partition with 分别 ("respectively"; 分別 as printed in Traditional script) in
-- the sentence of the total or a channel; only those are assessed. One row per report with channels.
create or replace view marts.check_proactive_channels_sum as
with source as (
    select report_id, organ, year, metric, value, approx, evidence
    from marts.facts
    where metric = 'proactive_total'
       or metric in (select metric from main.reference_metrics where metric like 'proactive\_via\_%' escape '\')
),

params as (
    select 0.5 as count_tolerance
),

renamed as (
    select
        report_id, organ, year,
        max(value) filter (where metric = 'proactive_total') as total,
        count(*) filter (where metric = 'proactive_total') as n_total,
        sum(value) filter (where metric <> 'proactive_total') as channels_sum,
        count(*) filter (where metric <> 'proactive_total') as n_channels,
        count(value) filter (where metric <> 'proactive_total') as n_channels_number,
        bool_or(contains(coalesce(evidence, ''), '分别') or contains(coalesce(evidence, ''), '分別')) as declared,
        bool_or(approx) as approx
    from source
    group by report_id, organ, year
),

final as (
    select
        'proactive_channels_sum' as check_name, report_id, organ, year, 'proactive_via_*' as metric,
        cast(null as varchar) as applicant, cast(null as varchar) as related_report_id,
        total as expected, channels_sum as observed,
        case
            when n_total = 0 or not declared then 'not_assessable'
            when total is null or n_channels_number < n_channels then 'uncertain'
            when abs(channels_sum - total) < p.count_tolerance then 'pass'
            when approx then 'uncertain'
            else 'fail'
        end as state,
        n_channels || ' channel figure(s) sum to ' || coalesce(cast(channels_sum as varchar), '?')
            || ', proactive_total ' || coalesce(cast(total as varchar), 'not stated')
            || case when declared then '' else ' (the report does not say they are its parts)' end as detail
    from renamed, params as p
    where n_channels > 0
)

select * from final
