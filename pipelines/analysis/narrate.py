"""Written comparisons: sentences built from warehouse figures, in Chinese (default) or English.

A sentence states only what the data supports:
- a growth rate needs both years' figures (and a non-zero base); otherwise the change is not stated;
- a figure the report gave as approximate (``facts.approx``: 多, 余, 约 …) is written "约…"/"about …"
  and the sentence says so;
- a figure from a report that failed validation carries a caution naming the failed checks;
- shares are computed from the two figures themselves (25477 / 27786 = 91.7%), never copied.

Example (seed report, 清新区人民政府 2012):
    2012年清新区人民政府主动公开政府信息27786条，其中通过门户网站公开25477条，占91.7%。
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

LANGS = ("zh", "en")

# Shares and growth rates are written with one decimal: reports print shares that way (91.7%).
PERCENT_DECIMALS = 1
# Below this many requests a department's denial or "not held" rate swings with a single case
# (1 of 3 is 33%), so rates are shown but not ranked; 10 keeps one case at most 10 points.
MIN_REQUESTS_FOR_RATE = 10
# Counts are whole numbers stored as doubles; anything closer than half a request is equal.
COUNT_TOLERANCE = 0.5
# A part can be at most the whole; shares are rounded in reports, so allow the rounding of one decimal.
FULL_SHARE = 100.0
SHARE_TOLERANCE = 0.05

# Outcome groups of table 3 (and the coarser narrative outcomes), in the order reports list them.
OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "granted": ("予以公开", "granted"),
    "partially_granted": ("部分公开", "partly granted"),
    "denied": ("不予公开", "denied"),
    "unable": ("无法提供", "unable to provide"),
    "not_processed": ("不予处理", "not processed"),
    "other_processing": ("其他处理", "other"),
}

# Units as the reports write them after a count.
UNIT_WORDS: dict[str, tuple[str, str]] = {
    "item": ("条", "items"),
    "request": ("件", "requests"),
    "case": ("件", "cases"),
}


@dataclass(frozen=True)
class Figure:
    """One figure as the warehouse holds it, with what a reader must know about it."""

    value: float | None
    approx: bool = False
    failed_checks: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.value is not None and not (isinstance(self.value, float) and math.isnan(self.value))


@dataclass(frozen=True)
class YearFigure:
    """A figure of an earlier report, for a change over time."""

    year: int
    figure: Figure


@dataclass(frozen=True)
class DepartmentRequests:
    """One department's table 3 totals, for the department comparison."""

    name: str
    received: Figure
    total_handled: Figure
    denied: Figure
    not_held: Figure


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")


def figure(value: object, approx: object = False, failed_checks: Sequence[str] = ()) -> Figure:
    """A Figure from a DataFrame cell (NaN/None/NA become unknown)."""
    if value is None:
        number = None
    else:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = None
        if number is not None and math.isnan(number):
            number = None
    flag = bool(approx) if approx is not None and not (isinstance(approx, float) and math.isnan(approx)) else False
    return Figure(number, approx=flag, failed_checks=tuple(failed_checks))


def format_number(value: float, lang: str = "zh") -> str:
    """27786 → '27786' (zh, as reports print counts) or '27,786' (en); 1.5 stays '1.5'."""
    _check_lang(lang)
    if float(value).is_integer():
        return f"{int(value):,}" if lang == "en" else str(int(value))
    return f"{value:,.2f}".rstrip("0").rstrip(".") if lang == "en" else f"{value:.2f}".rstrip("0").rstrip(".")


def format_percent(value: float) -> str:
    return f"{value:.{PERCENT_DECIMALS}f}%"


def share(part: Figure, whole: Figure) -> float | None:
    """part / whole in percent, or None when either is unknown or the whole is zero."""
    if not (part.known and whole.known) or not whole.value:
        return None
    return 100.0 * part.value / whole.value  # type: ignore[operator]


def count_phrase(fig: Figure, unit: str, lang: str = "zh") -> str:
    """'27786条' / '约100条' (zh) or '27,786 items' / 'about 100 items' (en)."""
    _check_lang(lang)
    zh_unit, en_unit = UNIT_WORDS.get(unit, ("", unit))
    assert fig.known, "count_phrase needs a known figure"
    number = format_number(fig.value, lang)  # type: ignore[arg-type]
    if lang == "zh":
        return f"{'约' if fig.approx else ''}{number}{zh_unit}"
    if fig.value == 1 and en_unit.endswith("s"):
        en_unit = en_unit[:-1]  # 1 request, 1 item
    return f"{'about ' if fig.approx else ''}{number} {en_unit}".strip()


def change_phrase(current: Figure, previous: YearFigure | None, year: int, lang: str = "zh") -> str | None:
    """'较上年增长12.3%' / 'up 12.3% on 2011'; None when a year is missing or the base is zero.

    The comparison names the earlier year when it is not the year before (reports are not published
    every year). A zero base gives the plain fact instead of a rate ("上年为0").
    """
    _check_lang(lang)
    if previous is None or not (current.known and previous.figure.known):
        return None
    prev, cur = previous.figure.value, current.value
    assert prev is not None and cur is not None
    approx = current.approx or previous.figure.approx
    if lang == "zh":
        base = "较上年" if previous.year == year - 1 else f"较{previous.year}年"
        if prev == 0:
            return f"{base.replace('较', '')}为0" if cur != 0 else f"与{base.replace('较', '')}相同，均为0"
        rate = 100.0 * (cur - prev) / prev
        if round(rate, PERCENT_DECIMALS) == 0:
            return f"与{base.replace('较', '')}持平"
        verb = "增长" if rate > 0 else "下降"
        return f"{base}{verb}{'约' if approx else ''}{format_percent(abs(rate))}"
    base = "the year before" if previous.year == year - 1 else str(previous.year)
    if prev == 0:
        return f"against none in {base}" if cur != 0 else f"none, as in {base}"
    rate = 100.0 * (cur - prev) / prev
    if round(rate, PERCENT_DECIMALS) == 0:
        return f"unchanged on {base}"
    verb = "up" if rate > 0 else "down"
    return f"{verb} {'about ' if approx else ''}{format_percent(abs(rate))} on {base}"


def _failed_names(figures: Sequence[Figure]) -> list[str]:
    return sorted({c for f in figures for c in f.failed_checks})


def caveats(figures: Sequence[Figure], lang: str = "zh", previous: YearFigure | None = None) -> str:
    """The notes a sentence needs: approximate figures, and failed validation checks of the report
    (and of the earlier report a change was computed from)."""
    _check_lang(lang)
    notes = []
    compared = [*figures, previous.figure] if previous is not None else list(figures)
    if any(f.known and f.approx for f in compared):
        notes.append("“约”表示报告原文为约数" if lang == "zh" else "“about”: the report gives an approximate figure")
    join = "、" if lang == "zh" else ", "
    failed = _failed_names(figures)
    if failed:
        notes.append(f"该报告未通过校验（{join.join(failed)}），数字仅供参考" if lang == "zh"
                     else f"caution: this report failed validation ({join.join(failed)})")
    failed_before = _failed_names([previous.figure]) if previous is not None else []
    if failed_before:
        notes.append(f"{previous.year}年报告未通过校验（{join.join(failed_before)}）" if lang == "zh"  # type: ignore[union-attr]
                     else f"the {previous.year} report failed validation ({join.join(failed_before)})")  # type: ignore[union-attr]
    if not notes:
        return ""
    return "（" + "；".join(notes) + "。）" if lang == "zh" else " (" + "; ".join(notes) + ".)"


def _sentence(parts: Sequence[str], figures: Sequence[Figure], lang: str, previous: YearFigure | None = None) -> str:
    if lang == "zh":
        return "，".join(parts) + "。" + caveats(figures, lang, previous)
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "." + caveats(figures, lang, previous)


def proactive_sentence(organ: str, year: int, total: Figure, via_website: Figure | None = None,
                       previous: YearFigure | None = None, lang: str = "zh") -> str | None:
    """Proactive disclosures of one report: total, change, the web portal's part and share."""
    _check_lang(lang)
    if not total.known:
        return None
    used = [total]
    if lang == "zh":
        parts = [f"{year}年{organ}主动公开政府信息{count_phrase(total, 'item', lang)}"]
    else:
        parts = [f"in {year} {organ} proactively disclosed {count_phrase(total, 'item', lang)} of government information"]
    change = change_phrase(total, previous, year, lang)
    if change:
        parts.append(change)
    if via_website is not None and via_website.known:
        used.append(via_website)
        pct = share(via_website, total)
        if pct is not None and pct > FULL_SHARE + SHARE_TOLERANCE:
            # a channel larger than the total: the report counts them differently (or was misread)
            parts.append(f"其中通过门户网站公开{count_phrase(via_website, 'item', lang)}（大于总数，口径不同，不计算占比）"
                         if lang == "zh" else
                         f"{count_phrase(via_website, 'item', lang)} on its web portal (more than the total: "
                         "counted differently, no share given)")
        elif lang == "zh":
            web = f"其中通过门户网站公开{count_phrase(via_website, 'item', lang)}"
            parts.append(web + (f"，占{format_percent(pct)}" if pct is not None else ""))
        else:
            web = f"{count_phrase(via_website, 'item', lang)} of them on its web portal"
            parts.append(web + (f" ({format_percent(pct)})" if pct is not None else ""))
    return _sentence(parts, used, lang, previous if change else None)


def requests_sentence(organ: str, year: int, received: Figure, outcomes: Mapping[str, Figure] | None = None,
                      total_handled: Figure | None = None, previous: YearFigure | None = None,
                      standard_format: bool = True, lang: str = "zh") -> str | None:
    """Requests of one report: how many came in, the change, and the outcomes the report states.

    Outcome shares are given against the report's own total handled (table 3 row 七) only; a
    narrative report without that total gets counts without shares.
    """
    _check_lang(lang)
    if not received.known:
        return None
    used = [received]
    if lang == "zh":
        verb = "新收政府信息公开申请" if standard_format else "受理政府信息公开申请"
        if received.value == 0 and not received.approx:
            parts = [f"{year}年{organ}未收到政府信息公开申请"]
        else:
            parts = [f"{year}年{organ}{verb}{count_phrase(received, 'request', lang)}"]
    elif received.value == 0 and not received.approx:
        parts = [f"in {year} {organ} received no requests for government information"]
    else:
        verb = "received" if standard_format else "accepted"
        parts = [f"in {year} {organ} {verb} {count_phrase(received, 'request', lang)} for government information"]
    change = change_phrase(received, previous, year, lang)
    if change:
        parts.append(change)
    stated = [(key, outcomes[key]) for key in OUTCOME_LABELS if outcomes and key in outcomes
              and outcomes[key].known]
    nonzero = [(key, fig) for key, fig in stated if fig.value or fig.approx]
    if nonzero and received.value:
        items = []
        for key, fig in nonzero:
            used.append(fig)
            label_zh, label_en = OUTCOME_LABELS[key]
            pct = share(fig, total_handled) if total_handled is not None else None
            if lang == "zh":
                items.append(f"{label_zh}{count_phrase(fig, 'request', lang)}"
                             + (f"（{format_percent(pct)}）" if pct is not None else ""))
            else:
                items.append(f"{label_en} {format_number(fig.value, lang)}"  # type: ignore[arg-type]
                             + (f" ({format_percent(pct)})" if pct is not None else ""))
        if lang == "zh":
            parts.append("办理结果：" + "、".join(items) + ("，其余为0" if len(nonzero) < len(stated) else ""))
        else:
            parts.append("outcomes: " + "; ".join(items) + ("; none otherwise" if len(nonzero) < len(stated) else ""))
        mismatch = outcomes_mismatch([fig for _, fig in stated], total_handled, lang)
        if mismatch:
            parts.append(mismatch)
    return _sentence(parts, used, lang, previous if change else None)


def outcomes_mismatch(outcomes: Sequence[Figure], total_handled: Figure | None, lang: str = "zh") -> str | None:
    """Say so when the outcomes a report lists do not add up to its own total handled (七、总计)."""
    if total_handled is None or not total_handled.known or not outcomes:
        return None
    if any(f.approx for f in outcomes) or total_handled.approx:
        return None
    listed = sum(f.value for f in outcomes)  # type: ignore[misc]
    if abs(listed - total_handled.value) < COUNT_TOLERANCE:  # type: ignore[operator]
        return None
    a, b = format_number(listed, lang), format_number(total_handled.value, lang)  # type: ignore[arg-type]
    return (f"但报告所列各项办理结果之和（{a}件）与其总计（{b}件）不符，比例仅供参考" if lang == "zh"
            else f"but the outcomes listed add up to {a}, not the report's total of {b}, so shares are indicative")


def review_sentence(organ: str, year: int, reconsideration: Figure, litigation: Figure,
                    lang: str = "zh") -> str | None:
    """Administrative reconsideration and litigation over disclosure in one report."""
    _check_lang(lang)
    if not (reconsideration.known or litigation.known):
        return None
    figs = [f for f in (reconsideration, litigation) if f.known]
    if all(f.value == 0 and not f.approx for f in figs) and len(figs) == 2:
        text = (f"{year}年{organ}未发生因政府信息公开引起的行政复议和行政诉讼" if lang == "zh"
                else f"in {year} {organ} faced no administrative reconsideration or litigation over disclosure")
        return _sentence([text], figs, lang)
    parts = []
    if lang == "zh":
        if reconsideration.known:
            parts.append(f"被申请行政复议{count_phrase(reconsideration, 'case', lang)}")
        if litigation.known:
            parts.append(f"被提起行政诉讼{count_phrase(litigation, 'case', lang)}")
        return _sentence([f"{year}年{organ}因政府信息公开" + "、".join(parts)], figs, lang)
    if reconsideration.known:
        parts.append(f"{count_phrase(reconsideration, 'case', lang)} of administrative reconsideration")
    if litigation.known:
        parts.append(f"{count_phrase(litigation, 'case', lang)} of litigation")
    return _sentence([f"in {year} {organ} faced " + " and ".join(parts) + " over disclosure"], figs, lang)


def rate_phrase(part: Figure, whole: Figure, lang: str = "zh") -> str | None:
    """'4/18，22.2%' — a rate with its counts, so a reader sees how small the base is."""
    pct = share(part, whole)
    if pct is None:
        return None
    p, w = format_number(part.value, lang), format_number(whole.value, lang)  # type: ignore[arg-type]
    return f"{p}/{w}，{format_percent(pct)}" if lang == "zh" else f"{p} of {w}, {format_percent(pct)}"


def departments_sentence(region: str, year: int, departments: Sequence[DepartmentRequests],
                         lang: str = "zh") -> str | None:
    """Requests across the departments of one region and year: total, the busiest, the rates.

    Denial and "not held" rates are compared only among departments with at least
    MIN_REQUESTS_FOR_RATE requests handled; the others are counted and named as too small.
    """
    _check_lang(lang)
    known = [d for d in departments if d.received.known]
    if not known:
        return None
    total = Figure(sum(d.received.value for d in known),  # type: ignore[misc]
                   approx=any(d.received.approx for d in known))
    # approximate figures matter to the total; failed checks are named per department below
    used = [Figure(f.value, f.approx) for d in known for f in (d.received, d.denied, d.not_held) if f.known]
    failing = [(d.name, _failed_names([d.received, d.total_handled, d.denied, d.not_held])) for d in known]
    failing = [(name, checks) for name, checks in failing if checks]
    busiest = max(known, key=lambda d: (d.received.value, d.name))
    top_share = share(busiest.received, total)
    rated = [d for d in known if d.total_handled.known and d.denied.known
             and (d.total_handled.value or 0) >= MIN_REQUESTS_FOR_RATE]
    small = len(known) - len(rated)
    if lang == "zh":
        parts = [f"{year}年{region}{len(known)}个部门共新收政府信息公开申请{count_phrase(total, 'request', lang)}"]
        if total.value:
            parts.append(f"{busiest.name}最多（{count_phrase(busiest.received, 'request', lang)}"
                         + (f"，占{format_percent(top_share)}）" if top_share is not None else "）"))
        if rated:
            worst = max(rated, key=lambda d: (share(d.denied, d.total_handled) or 0.0, d.name))
            parts.append(f"在办结{MIN_REQUESTS_FOR_RATE}件及以上的{len(rated)}个部门中，不予公开率最高的是"
                         f"{worst.name}（{rate_phrase(worst.denied, worst.total_handled, lang)}）")
        if small:
            parts.append(f"另有{small}个部门办结不足{MIN_REQUESTS_FOR_RATE}件，其比率受个别申请影响大，不作排名")
        sentence = _sentence(parts, used, lang)
        if failing:
            names = "、".join(f"{name}（{'、'.join(checks)}）" for name, checks in failing)
            sentence += f"未通过校验的部门报告：{names}，其数字仅供参考。"
        return sentence
    parts = [f"in {year} the {len(known)} departments of {region} received "
             f"{count_phrase(total, 'request', lang)} for government information"]
    if total.value:
        parts.append(f"most of them at {busiest.name} ({format_number(busiest.received.value, lang)}"  # type: ignore[arg-type]
                     + (f", {format_percent(top_share)})" if top_share is not None else ")"))
    if rated:
        worst = max(rated, key=lambda d: (share(d.denied, d.total_handled) or 0.0, d.name))
        parts.append(f"among the {len(rated)} departments that handled {MIN_REQUESTS_FOR_RATE} or more, "
                     f"{worst.name} denied the largest share ({rate_phrase(worst.denied, worst.total_handled, lang)})")
    if small:
        parts.append(f"{small} departments handled fewer than {MIN_REQUESTS_FOR_RATE}, too few to rank their rates")
    sentence = _sentence(parts, used, lang)
    if failing:
        names = "; ".join(f"{name} ({', '.join(checks)})" for name, checks in failing)
        sentence += f" Reports that failed validation: {names}; treat their figures with care."
    return sentence


def format_change_note(comparable: Sequence[str], not_comparable: Sequence[str], source: str,
                       lang: str = "zh") -> str:
    """What the 2018→2019 format change (and the 2019→2021 template change) means for a chart over years."""
    _check_lang(lang)
    if lang == "zh":
        return ("2018年及以前的年度报告为叙述体，2019年起采用统一的表格格式（2019—2020年为试行模板，2021年起为新模板）。"
                f"跨越格式变化，本报告只比较两种格式都有且口径相同的指标：{'、'.join(comparable)}；"
                f"{'、'.join(not_comparable)}在不同格式中口径不同，只在可比的年份之间计算变化（图中虚线标出格式变化）。"
                f"口径依据：叙述体与表格之间为 ogi 的规则（见下表），两种表格模板之间为 {source}。")
    return ("Reports up to 2018 are prose; from 2019 they follow standard tables (the 2019 trial template, then "
            "the 2021 template from 2021). Across the change this report compares only figures both formats give "
            f"in the same sense: {', '.join(comparable)}; {', '.join(not_comparable)} are counted differently "
            "and changes are computed only between comparable years (the dashed line marks the change). "
            f"Rules: prose against tables, ogi's rule (table below); between the two templates, {source}.")
