-- marts.facts: the figures of current report versions with the report's metadata beside them.
create or replace view marts.facts as
with current_reports as (
    select report_id, organ, region, level, year, format from marts.current_reports
),

final as (
    select
        r.organ, r.region, r.level, r.year, r.format,
        f.report_id, f.metric, f.applicant, f.value, f.unit, f.approx, f.value_kind,
        f.raw, f.evidence, f.location, f.table_no
    from main.facts as f
    inner join current_reports as r using (report_id)
)

select * from final
