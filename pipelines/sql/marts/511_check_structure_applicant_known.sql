-- marts.check_structure_applicant_known: table 3 cells carry an applicant column of the vocabulary
-- (pipelines/reference/applicants.csv, as main.reference_applicants); no other figure carries one.
create or replace view marts.check_structure_applicant_known as
with source as (
    select report_id, organ, year, metric, applicant, table_no from marts.facts
),

judged as (
    select
        *,
        case
            when table_no = 3 then applicant is not null
                and applicant in (select applicant from main.reference_applicants)
            else applicant is null
        end as known
    from source
),

final as (
    select
        'structure_applicant_known' as check_name, report_id, organ, year,
        string_agg(distinct metric, ', ' order by metric) filter (where not known) as metric,
        string_agg(distinct coalesce(applicant, '(none)'), ', ') filter (where not known) as applicant,
        cast(null as varchar) as related_report_id,
        cast(0 as double) as expected,
        cast(count(*) filter (where not known) as double) as observed,
        case when count(*) filter (where not known) = 0 then 'pass' else 'fail' end as state,
        cast(count(*) filter (where not known) as varchar) || ' fact(s) with a missing or unknown applicant' as detail
    from judged
    group by report_id, organ, year
)

select * from final
