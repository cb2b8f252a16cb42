-- marts.version_conflicts: figures on which two versions of the same report disagree.
--
-- A version is a `reports` row; versions of one report share organ and year (the grouping
-- marts.current_reports chooses from). A figure is a (metric, applicant) pair; it conflicts when at
-- least two versions state it with different values (a blank cell counts as a value: blank ≠ 0). A
-- figure only one version states is a coverage difference, not a conflict, and is not listed.
-- Values are compared rounded to the fen (0.01): amounts in yuan carry two decimals, counts none.
-- One row per conflicting figure: the current version's value beside every version's.
create or replace view marts.version_conflicts as
with versions as (
    select report_id, organ, year, kind, source_path, loaded_at
    from main.reports
    where organ is not null and year is not null
),

multi as (
    select organ, year from versions group by organ, year having count(*) > 1
),

figures as (
    -- One value per version and figure: the first stated, should a version state it twice.
    select
        v.organ, v.year, f.report_id, v.kind, v.source_path, f.metric, f.applicant,
        arg_min(f.value, f.fact_no) as value,
        arg_min(f.raw, f.fact_no) as raw
    from main.facts as f
    inner join versions as v using (report_id)
    inner join multi as m on m.organ = v.organ and m.year = v.year
    group by all
),

compared as (
    select
        organ, year, metric, applicant,
        count(*) as n_versions_stating,
        count(distinct coalesce(cast(round(value, 2) as varchar), 'blank')) as n_values,
        min(value) as min_value,
        max(value) as max_value,
        list(struct_pack(report_id, value, raw, kind, source_path) order by report_id) as versions
    from figures
    group by organ, year, metric, applicant
),

final as (
    select
        c.organ, c.year, c.metric, c.applicant, c.n_versions_stating, c.n_values, c.min_value, c.max_value,
        cr.report_id as current_report_id,
        cur.value as current_value,
        c.versions
    from compared as c
    inner join marts.current_reports as cr on cr.organ = c.organ and cr.year = c.year
    left join figures as cur
        on cur.report_id = cr.report_id and cur.metric = c.metric
        and cur.applicant is not distinct from c.applicant
    where c.n_values > 1
)

select * from final
