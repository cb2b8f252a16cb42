-- marts.check_share_matches_count: a stated share (<metric>_share, percent) matches its count.
--
-- The base of a share is the family's total (proactive_* of proactive_total, requests_* of
-- requests_received or table 3's new_received) or, as some publishers compute it, the sum of the
-- sibling parts the report lists with shares (平潭县 2012: 2475 of 2475 + 1503 = 62.2%, though it states 2026 in
-- all). Publishers round or truncate to the digits they print, so a share may be off by one unit of
-- its last printed digit (平潭 2012: 534 of 1913 = 27.9% printed as 27%). One row per share.
create or replace view marts.check_share_matches_count as
with source as (
    select report_id, organ, year, metric, applicant, table_no, value, approx
    from marts.facts
),

bases as (
    select * from (values
        ('proactive_', 'proactive_total'),
        ('requests_', 'requests_received')
    ) as b(prefix, base_metric)
),

shares as (
    select
        report_id, organ, year, metric as share_metric, value as share, approx,
        left(metric, length(metric) - length('_share')) as count_metric
    from source
    where metric like '%\_share' escape '\'
),

params as (
    -- one unit of the last printed digit; the share's printed digits are those of its shortest decimal
    select 1e-9 as float_noise
),

counts as (
    select report_id, metric, max(value) as count_value, bool_or(approx) as approx
    from source
    where metric not like '%\_share' escape '\'
      and report_id in (select report_id from shares)
    group by report_id, metric
),

family_totals as (
    select
        report_id,
        max(value) filter (where metric = 'proactive_total') as proactive_total,
        coalesce(max(value) filter (where metric = 'requests_received'),
                 max(value) filter (where metric = 'new_received' and applicant = 'total' and table_no = 3)) as requests_received
    from source
    where report_id in (select report_id from shares)
    group by report_id
),

siblings as (
    -- the parts listed with a share of their own, in the same family (proactive_by_*, …)
    select s.report_id, s.share_metric, sum(c.count_value) as siblings_sum
    from shares as s
    inner join shares as sib
        on sib.report_id = s.report_id
       and regexp_extract(sib.count_metric, '^([a-z]+_(by|via|cat)_)', 1)
         = regexp_extract(s.count_metric, '^([a-z]+_(by|via|cat)_)', 1)
       and regexp_extract(s.count_metric, '^([a-z]+_(by|via|cat)_)', 1) <> ''
    inner join counts as c on c.report_id = sib.report_id and c.metric = sib.count_metric
    group by s.report_id, s.share_metric
),

joined as (
    select
        s.*,
        c.count_value,
        c.approx as count_approx,
        case b.base_metric when 'proactive_total' then f.proactive_total
                           when 'requests_received' then f.requests_received end as base_total,
        g.siblings_sum,
        case when s.share = round(s.share, 0) then 1.0
             when s.share = round(s.share, 1) then 0.1
             when s.share = round(s.share, 2) then 0.01
             else 0.001 end as last_digit
    from shares as s
    left join counts as c on c.report_id = s.report_id and c.metric = s.count_metric
    left join bases as b on starts_with(s.count_metric, b.prefix)
    left join family_totals as f on f.report_id = s.report_id
    left join siblings as g on g.report_id = s.report_id and g.share_metric = s.share_metric
),

final as (
    select
        'share_matches_count' as check_name, report_id, organ, year, share_metric as metric,
        cast(null as varchar) as applicant, cast(null as varchar) as related_report_id,
        100.0 * count_value / nullif(base_total, 0) as expected, share as observed,
        case
            when count_value is null then 'not_assessable'
            when share is null then 'uncertain'
            when base_total is null and siblings_sum is null then 'not_assessable'
            when abs(100.0 * count_value / nullif(base_total, 0) - share) <= last_digit + p.float_noise then 'pass'
            when abs(100.0 * count_value / nullif(siblings_sum, 0) - share) <= last_digit + p.float_noise then 'pass'
            when base_total = 0 and count_value = 0 and share = 0 then 'pass'
            when approx or count_approx then 'uncertain'
            else 'fail'
        end as state,
        share_metric || ' ' || share || '% vs ' || count_metric || ' ' || coalesce(cast(count_value as varchar), '?')
            || ' of ' || coalesce(cast(base_total as varchar), '?')
            || coalesce(' (or of the parts listed, ' || cast(siblings_sum as varchar) || ')', '') as detail
    from joined, params as p
)

select * from final
