"""개선과제: tasks by domain (분야), area (영역) and status, the lagging areas, completion by cohort, and a
searchable task table whose status and area choices are kept in the URL (task_status, task_area)."""

import streamlit as st

from dashboard import cards, charts, tables, units
from dashboard.contract import TASK_DOMAINS, TASK_STATUS
from dashboard.db import total
from dashboard.view.context import page_context

# Bounds what one rerun pulls from DuckDB and sends to the browser whatever the data's size.
TABLE_LIMIT = 1000

ctx = page_context()
st.title("개선과제")
ctx.context_line()
ctx.stop_if_no_participations()
ctx.briefing_button("tasks")
summary = ctx.row(cards.TASKS.query)
if cards.TASKS.empty(summary):
    st.info(cards.TASKS.empty_note)  # markdown: the card set's literal
    st.stop()
cards.stat_row(cards.TASKS.shown(summary))

st.subheader("분야·영역별 과제 현황")
charts.show(
    charts.plot(charts.tasks_by_area_status, ctx.query("tasks_by_area_status"), TASK_STATUS.labels, TASK_DOMAINS),
    key="by_area",
    filters_on=("task_area", "task_status"),
)
st.caption("막대를 누르면 아래 과제 목록이 그 영역·상태로 좁혀집니다.")

st.subheader("완료율이 낮은 영역")
by_area = ctx.query("task_completion_by_area")
st.caption("분야·영역별 완료된 과제 ÷ 전체 과제, 완료율이 낮은 순")
tables.show(
    by_area,
    ["domain", "area", "task_completion_pct", "tasks_done", "tasks_total"],
    {
        # The row names stay in view when a phone scrolls the table sideways.
        "domain": tables.pinned(tables.TASK_CONFIG["domain"]),
        "area": tables.pinned(tables.TASK_CONFIG["area"]),
        "task_completion_pct": units.PCT.column("완료율"),
        "tasks_done": units.CASES.column("완료"),
        "tasks_total": units.CASES.column("전체"),
    },
    "영역별_완료율",
    download_key="by_area_completion",
    conditions=ctx.conditions(),
)
st.subheader("기수별 과제 완료율")
charts.show(
    charts.plot(charts.completion_by_cohort, ctx.query("task_completion_by_cohort", ignoring="year")),
    key="by_cohort",
    filters_on="year",
)

st.subheader("과제 목록")
search_column, status_column, domain_column, area_column = st.columns([2, 1, 1, 1])
search = ctx.url_text_input(
    search_column, "task_search", "과제명·기업명 검색", placeholder="예: 공정, 경민테크", icon=":material/search:"
)
statuses = ctx.url_multiselect(
    status_column, "task_status", "상태", TASK_STATUS.allowed, format_func=TASK_STATUS.labels.get, placeholder="전체"
)
domains = ctx.url_multiselect(domain_column, "task_domain", "분야", TASK_DOMAINS, placeholder="전체")
areas = ctx.url_multiselect(area_column, "task_area", "영역", sorted(set(by_area["area"])), placeholder="전체")
# The table shows the first TABLE_LIMIT rows; its download holds every row of the same choice.
chosen = {"search": search, "task_statuses": statuses or None, "domains": domains or None, "areas": areas or None}
tasks = ctx.query("task_list", **chosen, limit=TABLE_LIMIT)
if tasks.empty:
    st.info("검색어와 상태·분야·영역 조건에 맞는 과제가 없습니다.")
else:
    matching = total(tasks, "matching_tasks")
    shown = units.CASES.part(matching, len(tasks))
    # markdown: `shown` is counts formatted by units.
    st.caption(f"{shown} · 열 제목을 누르면 정렬됩니다.")
    tables.show(
        tasks,
        ["year", "company_name", "domain", "area", "title", "status", "task_id"],
        tables.TASK_CONFIG,
        "개선과제_목록",
        download_key="tasks",
        conditions=ctx.conditions(),
        prepare=tables.task_rows,
        every_row=lambda: ctx.query("task_list", **chosen, limit=None),
    )
