-- marts.report_overview: the headline figures of each current report, comparable across the
-- 2018→2019 format change: proactive disclosures (narrative only: the standard tables count documents
-- by type, not items), requests received, reconsideration and litigation cases.
create or replace view marts.report_overview as
with facts as (
    select * from marts.facts
),

final as (
    select
        r.report_id, r.organ, r.region, r.level, r.year, r.format, r.n_versions,
        max(f.value) filter (where f.metric = 'proactive_total') as proactive_total,
        coalesce(max(f.value) filter (where f.metric = 'new_received' and f.applicant = 'total'),
                 max(f.value) filter (where f.metric = 'requests_received')) as requests_received,
        coalesce(max(f.value) filter (where f.metric = 'reconsideration_total' and f.table_no = 4),
                 max(f.value) filter (where f.metric = 'reconsideration_total')) as reconsideration_total,
        coalesce(max(f.value) filter (where f.metric = 'litigation_direct_total')
                 + max(f.value) filter (where f.metric = 'litigation_after_reconsideration_total'),
                 max(f.value) filter (where f.metric = 'litigation_total')) as litigation_total,
        max(f.value) filter (where f.metric = 'fees_collected_yuan') as fees_collected_yuan
    from marts.current_reports as r
    left join facts as f using (report_id)
    group by all
)

select * from final
