"""How report prose writes a count: Arabic digits, Chinese numerals, 万, and approximations.

Each phrasing returns the text and the figure that text states (the truth records what is printed:
'1.2万余条' states 12000, approximately), as the corpus gold files do ('投入100多萬元' → 1000000, approx).
"""

from __future__ import annotations

import math
import random

_DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ((1000, "千"), (100, "百"), (10, "十"))
WAN = 10_000
YI = 100_000_000

# Shares of phrasings for a count (the rest is plain Arabic digits).
CHINESE_NUMERAL_SHARE = 0.15
WAN_SHARE = 0.5  # of counts of 10,000 or more
APPROX_SHARE = 0.12
# Approximate words: (word before the number, word after it, how the number is rounded).
APPROX_FORMS = (("", "余", "down"), ("", "多", "down"), ("约", "", "nearest"), ("近", "", "up"))
# Smallest count stated approximately (nobody writes 'about 7 requests').
MIN_APPROX = 30


def _below_wan(n: int, leading: bool) -> str:
    out = []
    zero_pending = False
    started = False
    for unit, name in _SMALL_UNITS:
        d = n // unit
        n %= unit
        if d:
            if zero_pending and started:
                out.append("零")
            # 十五 not 一十五 when it leads the number; 一百一十五 inside it.
            out.append(name if (unit == 10 and d == 1 and leading and not started) else _DIGITS[d] + name)
            started = True
            zero_pending = False
        elif started:
            zero_pending = True
    if n:
        if zero_pending and started:
            out.append("零")
        out.append(_DIGITS[n])
    return "".join(out)


def chinese_numeral(n: int) -> str:
    """An integer in Chinese numerals: 15 → 十五, 105 → 一百零五, 12000 → 一万二千."""
    if n < 0:
        raise ValueError(f"no Chinese numeral for negative {n}")
    if n == 0:
        return "零"
    if n >= YI:
        raise ValueError(f"{n} is beyond the numerals a report writes")
    high, low = divmod(n, WAN)
    if not high:
        return _below_wan(low, leading=True)
    text = _below_wan(high, leading=True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + _below_wan(low, leading=False)
    return text


def _round(n: int, how: str) -> int:
    step = 10 ** max(len(str(n)) - 2, 1)
    if how == "down":
        return n // step * step
    if how == "up":
        return -(-n // step) * step
    return max(round(n / step) * step, step)


def say_count(n: int, rng: random.Random, unit_word: str, allow_approx: bool = True
              ) -> tuple[str, int | float, bool]:
    """A count as prose writes it: (text, value stated, approximate?)."""
    roll = rng.random()
    if n >= WAN and roll < WAN_SHARE:
        tenths = n * 10 // WAN  # 1.2万: one decimal of 万
        stated = tenths * WAN // 10
        wan_text = f"{tenths / 10:g}万"
        if stated == n:
            return f"{wan_text}{unit_word}", n, False
        return f"{wan_text}余{unit_word}", stated, True
    if allow_approx and n >= MIN_APPROX and roll < APPROX_SHARE:
        before, after, how = rng.choice(APPROX_FORMS)
        stated = _round(n, how)
        if stated != n:
            return f"{before}{stated}{after}{unit_word}", stated, True
    if roll > 1 - CHINESE_NUMERAL_SHARE and n < WAN * 10:
        return f"{chinese_numeral(n)}{unit_word}", n, False
    return f"{n}{unit_word}", n, False


def say_money(yuan: float, rng: random.Random) -> tuple[str, float | int, str]:
    """A fee as prose writes it: (text, value, unit); large sums in 万元."""
    if yuan >= WAN and rng.random() < 0.5:
        wan = math.floor(yuan / WAN * 100) / 100
        return f"{wan:g}万元", round(wan * WAN, 2), "yuan"
    if float(yuan).is_integer():
        return f"{int(yuan)}元", int(yuan), "yuan"
    return f"{yuan:.2f}元", round(yuan, 2), "yuan"
