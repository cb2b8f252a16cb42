-- marts.check_structure_metric_known: every metric key of a report comes from the vocabulary.
--
-- One row per current report with facts. A key is known when pipelines.vocabulary.is_known_metric says
-- so (main.reference_metric_keys, refreshed by every validation); a table cell must moreover carry a
-- key of that very table in pipelines/reference/metrics.csv (main.reference_metrics).
create or replace view marts.check_structure_metric_known as
with source as (
    select report_id, organ, year, metric, table_no from marts.facts
),

judged as (
    select
        s.*,
        coalesce(k.known, false) and (s.table_no is null or r.metric is not null) as known
    from source as s
    left join main.reference_metric_keys as k on k.metric = s.metric
    left join main.reference_metrics as r on r.metric = s.metric and r.table_no = s.table_no
),

final as (
    select
        'structure_metric_known' as check_name, report_id, organ, year,
        string_agg(distinct metric, ', ' order by metric) filter (where not known) as metric,
        cast(null as varchar) as applicant, cast(null as varchar) as related_report_id,
        cast(0 as double) as expected,
        cast(count(*) filter (where not known) as double) as observed,
        case when count(*) filter (where not known) = 0 then 'pass' else 'fail' end as state,
        cast(count(*) filter (where not known) as varchar) || ' fact(s) with a key outside the vocabulary' as detail
    from judged
    group by report_id, organ, year
)

select * from final
