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
