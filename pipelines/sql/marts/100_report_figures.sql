-- marts.report_figures: one row per current report with the figures the comparison notebooks use:
-- proactive disclosures, requests received and the outcome mix (table 3 总计 column, or the coarser
-- narrative outcomes), reconsideration and litigation, which headline figures the report gave as
-- approximate (多, 余, 约 …), and its problems and measures. Comparability across the 2018→2019
-- format change is decided in pipelines.analysis.compare (crosswalk), not here.
create or replace view marts.report_figures as
with reports as (
    select report_id, organ, region, level, year, format, kind, n_facts, n_warnings, n_versions,
           problems, measures
    from marts.current_reports
),

overview as (
    select report_id, proactive_total, requests_received, reconsideration_total, litigation_total
    from marts.report_overview
),

requests as (
    select report_id, carried_over, granted, partially_granted, denied, unable, unable_not_held,
           not_processed, other_processing, total_handled, carried_forward
    from marts.requests_by_report
),

narrative_extra as (
    select
        report_id,
        max(value) filter (where metric = 'proactive_via_website') as proactive_via_website,
        max(value) filter (where metric = 'requests_out_of_scope') as requests_out_of_scope,
        coalesce(list(distinct metric order by metric) filter (where approx), []) as approx_metrics
    from marts.facts
    group by report_id
),

final as (
    select
        r.report_id, r.organ, r.region, r.level, r.year, r.format, r.kind, r.n_facts, r.n_warnings,
        r.n_versions,
        o.proactive_total, n.proactive_via_website, o.requests_received,
        q.carried_over, q.granted, q.partially_granted, q.denied, q.unable, q.unable_not_held,
        n.requests_out_of_scope, q.not_processed, q.other_processing, q.total_handled, q.carried_forward,
        o.reconsideration_total, o.litigation_total,
        coalesce(n.approx_metrics, []) as approx_metrics,
        coalesce(r.problems, []) as problems,
        coalesce(r.measures, []) as measures
    from reports as r
    left join overview as o using (report_id)
    left join requests as q using (report_id)
    left join narrative_extra as n using (report_id)
)

select * from final
