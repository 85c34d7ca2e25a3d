"""성과: indicators before and after, the distribution of improvement, improvement by industry and by
task area, and the indicator rows."""

import streamlit as st

from dashboard import cards, charts, tables, units
from dashboard.db import total
from dashboard.view.context import page_context

# Bounds what one rerun pulls from DuckDB and sends to the browser whatever the data's size.
TABLE_LIMIT = 1000

ctx = page_context()
st.title("성과지표")
header = ctx.context_line()
briefing = header.container(width="content")  # in the header row, beside 링크 복사, as on 개요
summary = ctx.row(cards.OUTCOMES.query)
if cards.OUTCOMES.empty(summary):
    ctx.stop_if_no_participations()
    with briefing:
        ctx.briefing_button("outcomes")
    st.info(cards.OUTCOMES.empty_note)  # markdown: the card set's literal
    st.stop()
cards.stat_row(cards.OUTCOMES.shown(summary))
with briefing:  # known only now: a page with indicator rows has participations, so no query of its own decides it
    ctx.briefing_button("outcomes")

before_after = ctx.query("indicator_before_after", limit=charts.PANEL_LIMIT)
indicators = total(before_after, "matching_indicators")
st.subheader("지표별 개선 전후 평균")
drawn = (
    ""
    if indicators == len(before_after)
    else f" 지표 {units.ITEMS.text(indicators)} 중 측정이 많은 {units.ITEMS.text(len(before_after))}만 그렸습니다. "
    "나머지는 아래 목록에서 지표를 고르세요."
)
# markdown: `drawn` holds counts only.
st.caption(
    "지표마다 단위가 달라 따로 그렸습니다. 개선 전·후 평균은 둘 다 개선 후 값이 측정된 행만으로 계산하고, "
    f"제목의 개선율은 행별 개선율의 평균입니다.{drawn}"
)
charts.show(charts.plot(charts.before_after_panels, before_after), key="before_after", filters_on="indicator")

if summary["measured_rows"] == 0:
    st.info("아직 개선 후 값이 측정된 지표가 없어 개선율 분포와 업종·분야별 개선율을 그릴 수 없습니다.")
else:
    left, right = st.columns(2)
    with left:
        st.subheader("개선율 분포")
        charts.show(
            charts.plot(charts.improvement_histogram, ctx.query("improvement_distribution")),
            key="distribution",
            static="a band of improvement is not a filter",
        )
        st.caption("10%p 간격 구간별 측정된 지표 수입니다. 빨간 막대는 개선 전보다 나빠진 지표입니다.")
    with right:
        st.subheader("업종·분야별 평균 개선율")
        if ctx.url_view("outcomes_tab", ["업종별", "과제 분야별"]) == "업종별":
            charts.show(
                charts.plot(
                    charts.improvement_bars,
                    ctx.query("improvement_by_industry", ignoring="industry"),
                    "industry",
                    title="업종",
                    count_column="firms",
                    count_label="기업(개사)",
                ),
                key="by_industry",
                filters_on="industry",
            )
        else:
            charts.show(
                charts.plot(
                    charts.improvement_bars,
                    ctx.query("improvement_by_area"),
                    "area",
                    title="과제 분야",
                    count_column="participations",
                    count_label="참여(건)",
                ),
                key="by_area",
                filters_on="task_area",
            )
            ctx.drill_to_tasks(ctx.url_choice("task_area"))
            st.caption(
                "성과지표는 과제가 아니라 참여(기업·기수) 단위로 측정되므로, 한 참여의 지표는 "
                "그 참여가 과제를 둔 모든 분야에 한 번씩 들어갑니다."
            )

st.subheader("성과지표 목록")
indicator_names = dict.fromkeys(ctx.query("indicator_before_after", limit=None)["indicator"])
indicator_column, sort_column = st.columns(2, vertical_alignment="bottom")
chosen = ctx.url_multiselect(indicator_column, "indicator", "지표", indicator_names, placeholder="전체")
order = ctx.url_sort(sort_column, tables.INDICATOR_SORT)
rows = ctx.query("outcome_rows", indicators=chosen or None, **order, limit=TABLE_LIMIT)
matching = total(rows, "matching_rows")
shown = units.CASES.part(matching, len(rows))
# markdown: `shown` is counts formatted by units.
st.caption(f"{shown} · 개선 후·개선율이 '–'인 행은 아직 측정 전입니다 · 링크에는 '정렬'에서 고른 순서가 담깁니다.")
tables.show(
    rows,
    ["year", "company_name", "indicator", "unit", "baseline", "result", "improvement_pct", "direction"],
    tables.INDICATOR_CONFIG,
    "성과지표_목록",
    download_key="indicator_rows",
    conditions=ctx.conditions(),
    prepare=tables.indicator_rows,
    every_row=lambda: ctx.query("outcome_rows", indicators=chosen or None, **order, limit=None),
)
