-- marts.check_prose_matches_table: a figure a standard report states in its prose (a fact without
-- table_no, e.g. 本年共收到政府信息公开申请23件) equals the table cell it restates.
--
-- One row per prose figure that has a table counterpart. The table is authoritative; a mismatch is
-- the publisher's slip or a misread sentence. litigation_total restates the two litigation totals.
create or replace view marts.check_prose_matches_table as
with source as (
    select report_id, organ, year, format, metric, applicant, table_no, value, approx
    from marts.facts
    where format like 'standard\_%' escape '\'
),

pairs as (
    select * from (values
        ('new_received', 'new_received'),
        ('requests_received', 'new_received'),
        ('carried_over', 'carried_over'),
        ('total_handled', 'total_handled'),
        ('carried_forward', 'carried_forward'),
        ('reconsideration_total', 'reconsideration_total'),
        ('litigation_direct_total', 'litigation_direct_total'),
        ('litigation_after_reconsideration_total', 'litigation_after_reconsideration_total'),
        ('litigation_total', 'litigation_total')
    ) as p(prose_metric, table_metric)
),

prose as (
    select s.report_id, s.organ, s.year, s.metric, s.value, s.approx, p.table_metric
    from source as s
    inner join pairs as p on p.prose_metric = s.metric
    where s.table_no is null and (s.applicant is null or s.applicant = 'total')
),

cells as (
    select report_id, metric, max(value) as value, count(*) as n
    from source
    where ((table_no = 3 and applicant = 'total') or table_no = 4)
      and report_id in (select report_id from prose)
    group by report_id, metric
    union all
    select report_id, 'litigation_total' as metric,
           sum(value) as value,
           case when count(*) = 2 then 1 else 0 end as n
    from source
    where table_no = 4 and metric in ('litigation_direct_total', 'litigation_after_reconsideration_total')
      and report_id in (select report_id from prose)
    group by report_id
),

params as (
    select 0.5 as count_tolerance
),

final as (
    select
        'prose_matches_table' as check_name, pr.report_id, pr.organ, pr.year, pr.metric,
        cast(null as varchar) as applicant, cast(null as varchar) as related_report_id,
        c.value as expected, pr.value as observed,
        case
            when coalesce(c.n, 0) = 0 then 'not_assessable'
            when c.value is null or pr.value is null then 'uncertain'
            when abs(c.value - pr.value) < p.count_tolerance then 'pass'
            when pr.approx then 'uncertain'
            else 'fail'
        end as state,
        'prose says ' || pr.metric || ' ' || coalesce(cast(pr.value as varchar), '?') || ', table cell '
            || pr.table_metric || ' says ' || coalesce(cast(c.value as varchar), 'nothing') as detail
    from prose as pr
    left join cells as c on c.report_id = pr.report_id and c.metric = pr.table_metric
    cross join params as p
)

select * from final
