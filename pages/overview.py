"""개요: KPI cards, yearly support vs outcome, phase 1 vs 2, top firms, industry and region."""

import streamlit as st

from dashboard import cards, charts, tables
from dashboard.ui import page_context

ctx = page_context()
st.title("산업혁신운동 성과 개요")
ctx.stop_if_no_participations()
summary = ctx.query("kpi_summary")
by_year = ctx.query("kpi_by_year")
cards.render(summary, by_year, ctx.filters.previous_period)

st.subheader("기수별 지원금과 재무성과")
charts.show(charts.support_vs_outcome_by_year(by_year), key="by_year")

left, right = st.columns(2)
with left:
    st.subheader("1단계 vs 2단계")
    phases = ctx.query("kpi_by_phase")
    charts.show(
        charts.grouped_bars(
            phases,
            "phase",
            {"support_eok": "지원금", "outcome_eok": "재무성과"},
            x_title="단계",
            y_title="금액(억원)",
            unit="억원",
        ),
        key="by_phase",
    )
    phase_columns = ["phase", "firms", "support_eok", "outcome_eok", "outcome_multiple", "task_completion_pct"]
    phase_config = {
        "phase": "단계",
        "firms": st.column_config.NumberColumn("기업", format="%d개사"),
        "support_eok": st.column_config.NumberColumn("지원금", format="%.1f억원"),
        "outcome_eok": st.column_config.NumberColumn("재무성과", format="%.1f억원"),
        "outcome_multiple": st.column_config.NumberColumn("성과배수", format="%.2f배"),
        "task_completion_pct": st.column_config.NumberColumn("과제 완료율", format="%.1f%%"),
    }
    tables.show(phases, phase_columns, phase_config, "단계별_성과", download_key="phases")
with right:
    st.subheader("재무성과 상위 기업")
    top = ctx.query("top_companies_by_outcome", limit=10)
    if top.empty:
        st.info("재무성과가 측정된 참여가 없습니다.")
    else:
        charts.show(
            charts.grouped_bars(
                top,
                "company_name",
                {"outcome_eok": "재무성과", "support_eok": "지원금"},
                x_title="금액(억원)",
                y_title="기업",
                unit="억원",
                horizontal=True,
                height=420,
            ),
            key="top_companies",
        )

st.subheader("업종·지역별 지원금과 재무성과")
by_industry, by_region = st.tabs(["업종별", "지역별"])
for tab, name, column, title in (
    (by_industry, "outcome_by_industry", "industry", "업종"),
    (by_region, "outcome_by_region", "region", "지역"),
):
    with tab:
        charts.show(
            charts.grouped_bars(
                ctx.query(name),
                column,
                {"support_eok": "지원금", "outcome_eok": "재무성과"},
                x_title=title,
                y_title="금액(억원)",
                unit="억원",
            ),
            key=name,
        )
