-- marts.check_structure_report_fields: a current report has its required fields, a known format and
-- a report year between 2008 (the first year of the 2008 disclosure regulations) and the current year.
--
-- A report without organ is kept but cannot be compared across years or departments: uncertain.
create or replace view marts.check_structure_report_fields as
with source as (
    select report_id, organ, year, format, level from marts.current_reports
),

params as (
    select 2008 as first_report_year, year(current_date) as current_year
),

judged as (
    select
        s.*,
        concat_ws('; ',
            case when s.year is null then 'no report year' end,
            case when s.year < p.first_report_year or s.year > p.current_year
                 then 'report year ' || s.year || ' outside ' || p.first_report_year || '..' || p.current_year end,
            case when s.format is null or s.format not in ('narrative', 'standard_2019', 'standard_2021')
                 then 'format ' || coalesce(s.format, 'missing') || ' unknown' end,
            case when s.level is not null
                  and s.level not in ('province', 'city', 'county', 'township', 'department')
                 then 'level ' || s.level || ' unknown' end
        ) as problems,
        s.organ is null as organ_missing
    from source as s, params as p
),

final as (
    select
        'structure_report_fields' as check_name, report_id, organ, year,
        cast(null as varchar) as metric, cast(null as varchar) as applicant,
        cast(null as varchar) as related_report_id,
        cast(null as double) as expected, cast(year as double) as observed,
        case
            when problems <> '' then 'fail'
            when organ_missing then 'uncertain'
            else 'pass'
        end as state,
        case
            when problems <> '' then problems
            when organ_missing then 'no organ identified'
        end as detail
    from judged
)

select * from final
