-- marts.check_carry_over: what an organ carries forward at the end of year N (四、结转下年度继续办理)
-- is what it carries over into year N+1 (二、上年结转政府信息公开申请数量), column by column.
--
-- One row per (report of year N+1, applicant column) where the same organ's year-N report is loaded;
-- the row names the N+1 report and, as related_report_id, the year-N report.
create or replace view marts.check_carry_over as
with source as (
    select report_id, organ, year, metric, applicant, value
    from marts.facts
    where table_no = 3 and applicant is not null and metric in ('carried_over', 'carried_forward')
      and organ is not null and year is not null
),

reports as (
    select report_id, organ, year from marts.current_reports
    where organ is not null and year is not null and format like 'standard\_%' escape '\'
),

pairs as (
    select cur.report_id, cur.organ, cur.year, prev.report_id as prev_report_id
    from reports as cur
    inner join reports as prev on prev.organ = cur.organ and prev.year = cur.year - 1
),

forwarded as (
    select report_id, applicant, max(value) as carried_forward, count(*) as n
    from source where metric = 'carried_forward' group by report_id, applicant
),

carried as (
    select report_id, applicant, max(value) as carried_over, count(*) as n
    from source where metric = 'carried_over' group by report_id, applicant
),

pair_columns as (
    select p.*, c.applicant from pairs as p inner join carried as c on c.report_id = p.report_id
    union
    select p.*, f.applicant from pairs as p inner join forwarded as f on f.report_id = p.prev_report_id
),

cells as (
    select
        pc.report_id, pc.organ, pc.year, pc.prev_report_id, pc.applicant,
        f.carried_forward, f.n as n_forwarded, c.carried_over, c.n as n_carried
    from pair_columns as pc
    left join carried as c on c.report_id = pc.report_id and c.applicant = pc.applicant
    left join forwarded as f on f.report_id = pc.prev_report_id and f.applicant = pc.applicant
),

params as (
    select 0.5 as count_tolerance
),

final as (
    select
        'carry_over' as check_name, report_id, organ, year, 'carried_over' as metric, applicant,
        prev_report_id as related_report_id,
        carried_forward as expected, carried_over as observed,
        case
            when n_forwarded is null or n_carried is null then 'not_assessable'
            when carried_forward is null or carried_over is null then 'uncertain'
            when abs(carried_forward - carried_over) < p.count_tolerance then 'pass'
            else 'fail'
        end as state,
        'carried_over ' || coalesce(cast(carried_over as varchar), '?') || ' in ' || year
            || ' vs carried_forward ' || coalesce(cast(carried_forward as varchar), '?') || ' in ' || (year - 1) as detail
    from cells, params as p
)

select * from final
