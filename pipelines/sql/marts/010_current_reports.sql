-- marts.current_reports: the one report version analysts use per (organ, year).
--
-- The same report can arrive from two sources (a crawler's flattened text and the published page,
-- or two mirrors). All versions are kept in `reports`; the current one is chosen by this rule, in
-- order: the version with more table/prose figures read (a better rendering), then a published page
-- (html/docx/pdf) over flattened text, then the most recently loaded, then the report_id (stable).
create or replace view marts.current_reports as
with source as (
    select * from main.reports
),

ranked as (
    select
        *,
        row_number() over (
            partition by coalesce(organ, report_id), coalesce(year, -1)
            order by
                n_facts desc,
                case kind when 'html' then 0 when 'docx' then 1 when 'pdf' then 2 else 3 end,
                loaded_at desc,
                report_id
        ) as version_rank,
        count(*) over (partition by coalesce(organ, report_id), coalesce(year, -1)) as n_versions
    from source
),

final as (
    select * exclude (version_rank) from ranked where version_rank = 1
)

select * from final
