"""Korean number formats used on screen: 억원, 개사, 건, %, %p, 배. Missing values show as '–'."""

from __future__ import annotations

import pandas as pd

DASH = "–"
EOK = 100_000_000  # 1억원


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def eok(krw) -> str:
    """28.0억원"""
    return DASH if _missing(krw) else f"{krw / EOK:,.1f}억원"


def man(krw) -> str:
    """2,083만원"""
    return DASH if _missing(krw) else f"{krw / 10_000:,.0f}만원"


def firms(n) -> str:
    return DASH if _missing(n) else f"{int(n):,}개사"


def cases(n) -> str:
    return DASH if _missing(n) else f"{int(n):,}건"


def pct(x) -> str:
    return DASH if _missing(x) else f"{x:,.1f}%"


def multiple(x) -> str:
    return DASH if _missing(x) else f"{x:,.2f}배"


def _signed(text: str, value) -> str:
    return text if value < 0 else "+" + text


def eok_delta(krw) -> str | None:
    return None if _missing(krw) else _signed(eok(krw), krw)


def firms_delta(n) -> str | None:
    return None if _missing(n) else _signed(firms(n), n)


def cases_delta(n) -> str | None:
    return None if _missing(n) else _signed(cases(n), n)


def pct_delta(x) -> str | None:
    """Percentage points: +2.1%p"""
    return None if _missing(x) else _signed(f"{x:,.1f}%p", x)


def multiple_delta(x) -> str | None:
    return None if _missing(x) else _signed(multiple(x), x)


def signed_pct(x) -> str:
    """An improvement: +32.1%, -4.0%"""
    return DASH if _missing(x) else _signed(f"{x:,.1f}%", x)


def tier(n) -> str:
    """2차"""
    return DASH if _missing(n) else f"{int(n)}차"


def done_of(done, total) -> str:
    """Tasks done of all: 3/4건"""
    return DASH if _missing(total) or total == 0 else f"{int(done):,}/{int(total):,}건"


def direction(higher_is_better) -> str:
    return "높을수록 좋음" if higher_is_better else "낮을수록 좋음"


def people(n) -> str:
    """40명"""
    return DASH if _missing(n) else f"{int(n):,}명"


def man_amount(man) -> str:
    """An amount already in 만원: 3,353만원"""
    return DASH if _missing(man) else f"{man:,.0f}만원"
