"""개요: KPI cards, yearly support vs outcome, phase 1 vs 2, top firms, industry and region."""

import streamlit as st

from dashboard import cards, charts, safe, tables, units
from dashboard.filters import Filters
from dashboard.view.context import page_context
from dashboard.view.layout import slot

ctx = page_context()
st.title("산업혁신운동 성과 개요")
header = ctx.context_line(with_presets=True)
ctx.stop_if_no_participations()
# The button's own width: the toggle fits beside it. Drawn after the cards, in its place here.
briefing = header.container(width="content")


def render_comparison(b: Filters) -> None:
    """비교 mode: set A (the sidebar) and set B side by side, B's cards with their difference from A."""
    left, right = st.columns(2)
    for column, name, filters, against in ((left, "A", ctx.filters, None), (right, "B", b, ctx.filters)):
        with column:
            st.subheader(f"{name}: {safe.md(ctx.in_words(filters))}")  # markdown: the set's words escaped
            if ctx.value("kpi_summary", "participations", filters=filters) == 0:
                st.info("이 집단의 조건에 맞는 참여 기업이 없습니다.")
                continue
            cards.render(
                ctx.row("kpi_summary", filters=filters, against=against),
                ctx.query("kpi_by_year", filters=filters),
                "A 대비" if against else None,
                ctx.source.stamp,
                key=f"compare_cards_{name.lower()}",
            )
    st.subheader("기수별 지원금과 재무성과: A(실선)와 B(점선)")
    charts.show(
        charts.plot(charts.compare_by_year, ctx.query("kpi_by_year"), ctx.query("kpi_by_year", filters=b)),
        key="compare_by_year",
        static="두 집단의 연도 비교: 한 집단의 필터만 바꾸는 클릭은 비교를 흐립니다",
    )


if (versus := ctx.compare_filters(header)) is not None:
    with briefing:
        ctx.briefing_button("overview")
    render_comparison(versus)
    st.stop()
# 핵심 요약 stands above the cards but runs queries of its own: its place now, its sentences after the cards.
written = slot()
summary = ctx.row("kpi_summary")
by_year = ctx.query("kpi_by_year")
previous = ctx.filters.previous()
cards.render(summary, by_year, (previous.year_from, previous.year_to), ctx.source.stamp)
with briefing:
    ctx.briefing_button("overview")
with written:
    if sentences := ctx.summary_sentences():
        with st.container(border=True, key="summary"):
            # markdown: each sentence escaped (they name industries and areas from the data)
            st.markdown("**핵심 요약**\n\n" + "\n".join(f"- {safe.md(s)}" for s in sentences))

ctx.drill_to_companies()
st.subheader("기수별 지원금과 재무성과")
charts.show(
    charts.plot(charts.support_vs_outcome_by_year, ctx.query("kpi_by_year", ignoring="year")),
    key="by_year",
    filters_on="year",
)

# The charts in columns keep Plotly's selection across their own clicks only while their block keeps
# its place in the page: whatever shows only sometimes above them is drawn in a `slot`.
left, right = st.columns(2)
with left:
    st.subheader("1단계 vs 2단계")
    phases = tables.phase_rows(ctx.query("kpi_by_phase", ignoring="phase"))
    charts.show(
        charts.plot(
            charts.grouped_bars,
            phases,
            "phase",
            {"support_eok": "지원금", "outcome_eok": "재무성과"},
            category_title="단계",
            value_title="금액",
        ),
        key="by_phase",
        filters_on="phase",
    )
    phase_columns = [
        "phase",
        "firms",
        "support_eok",
        "outcome_eok",
        "outcome_multiple_x",
        "task_completion_pct",
        "note",
    ]
    phase_config = {
        "phase": "단계",
        "firms": units.FIRMS.column("기업"),
        "support_eok": "지원금",
        "outcome_eok": "재무성과",
        "outcome_multiple_x": "성과배수",
        "task_completion_pct": "과제 완료율",
        "note": "비고",
    }
    tables.show(phases, phase_columns, phase_config, "단계별_성과", download_key="phases", conditions=ctx.conditions())
with right:
    st.subheader("재무성과 상위 기업")
    # One firm's amounts are in 만원 on every page.
    top = units.firm_amounts(ctx.query("top_companies_by_outcome", ignoring="company", limit=10))
    if top.empty:
        st.info("성과가 확정된 참여(측정 완료 또는 중도 포기)가 없습니다.")
    else:
        charts.show(
            charts.plot(
                charts.grouped_bars,
                top,
                "company_name",
                {"outcome_man": "재무성과", "support_man": "지원금"},
                category_title="기업",
                value_title="금액",
                horizontal=True,
                height=420,
                value="company_id",
            ),
            key="top_companies",
            filters_on="company",
        )

st.subheader("업종·지역별 지원금과 재무성과")
# Both side by side (stacked on a phone), not behind a control: "who is behind the 충남 bar" is one click.
# Old links may carry `overview_tab` (업종별/지역별): both are shown, so it is accepted and ignored.
for where, name, column, title in zip(
    st.columns(2),
    ("outcome_by_industry", "outcome_by_region"),
    ("industry", "region"),
    ("업종", "지역"),
    strict=True,
):
    with where:
        charts.show(
            charts.plot(
                charts.grouped_bars,
                ctx.query(name, ignoring=column),
                column,
                {"support_eok": "지원금", "outcome_eok": "재무성과"},
                category_title=title,
                value_title="금액",
            ),
            key=name,
            filters_on=column,
        )
