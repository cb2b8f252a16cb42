-- marts.check_year_on_year_jump: a headline figure of an organ that jumps beyond a factor from one
-- year to the next is worth a look (a misread table, a unit slip, a changed scope).
--
-- One row per (report of year N, headline figure) where the organ's year N-1 report is loaded. The
-- factor and the size below which jumps are ignored are tunable in expectations/across_years.json
-- (main.validation_settings: jump_factor, jump_min_count); the defaults here are used without them.
create or replace view marts.check_year_on_year_jump as
with source as (
    select report_id, organ, year, requests_received, proactive_total
    from marts.report_overview
    where organ is not null and year is not null
),

params as (
    select
        coalesce((select max(value) from main.validation_settings where name = 'jump_factor'), 10) as jump_factor,
        coalesce((select max(value) from main.validation_settings where name = 'jump_min_count'), 50) as jump_min_count
),

figures as (
    unpivot source on requests_received, proactive_total into name metric value figure
),

pairs as (
    select cur.report_id, cur.organ, cur.year, cur.metric, cur.figure, prev.report_id as prev_report_id,
           prev.figure as prev_figure
    from figures as cur
    inner join figures as prev on prev.organ = cur.organ and prev.year = cur.year - 1 and prev.metric = cur.metric
),

final as (
    select
        'year_on_year_jump' as check_name, report_id, organ, year, metric,
        cast(null as varchar) as applicant, prev_report_id as related_report_id,
        prev_figure as expected, figure as observed,
        case
            when figure is null or prev_figure is null then 'not_assessable'
            when greatest(figure, prev_figure) < p.jump_min_count then 'pass'
            when least(figure, prev_figure) = 0 then 'fail'
            when figure / prev_figure > p.jump_factor or prev_figure / figure > p.jump_factor then 'fail'
            else 'pass'
        end as state,
        metric || ' ' || coalesce(cast(prev_figure as varchar), '?') || ' in ' || (year - 1) || ' → '
            || coalesce(cast(figure as varchar), '?') || ' in ' || year || ' (flagged beyond ×' || p.jump_factor || ')' as detail
    from pairs, params as p
)

select * from final
