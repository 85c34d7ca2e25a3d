"""개선과제: tasks by domain (분야), area (영역) and status, the lagging areas (a checked row chooses the
list's area), completion by cohort, and a searchable task table whose status and area choices and order
are kept in the URL (task_status, task_area, task_sort, task_order)."""

from functools import partial

import streamlit as st

from dashboard import cards, charts, tables, units
from dashboard.contract import TASK_DOMAINS, TASK_STATUS
from dashboard.db import total
from dashboard.view.context import page_context

# Bounds what one rerun pulls from DuckDB and sends to the browser whatever the data's size.
TABLE_LIMIT = 1000


def choose_areas(key: str, areas: tuple[str, ...], chosen: tuple[str, ...]) -> None:
    """The checked rows of 완료율이 낮은 영역 choose the task list's areas (task_area), as a bar click does.
    An area name can be in two domains, both rows checked: unchecking either drops the area."""
    checked = set(st.session_state[key].selection.rows)
    were = {row for row, area in enumerate(areas) if area in chosen}
    dropped = {areas[row] for row in were - checked}
    added = [areas[row] for row in sorted(checked - were)]
    kept = [area for area in chosen if area not in dropped]
    ctx.url_choose("task_area", list(dict.fromkeys(kept + added)))


ctx = page_context()
st.title("개선과제")
header = ctx.context_line()
briefing = header.container(width="content")  # in the header row, beside 링크 복사, as on 개요
summary = ctx.row(cards.TASKS.query)
if cards.TASKS.empty(summary):
    ctx.stop_if_no_participations()
    with briefing:
        ctx.briefing_button("tasks")
    st.info(cards.TASKS.empty_note)  # markdown: the card set's literal
    st.stop()
cards.stat_row(cards.TASKS.shown(summary))
with briefing:  # known only now: a page with tasks has participations, so no query of its own decides it
    ctx.briefing_button("tasks")

st.subheader("분야·영역별 과제 현황")
charts.show(
    charts.plot(charts.tasks_by_area_status, ctx.query("tasks_by_area_status"), TASK_STATUS.labels, TASK_DOMAINS),
    key="by_area",
    filters_on=("task_area", "task_status"),
)
st.caption("막대를 누르면 아래 과제 목록이 그 영역·상태로 좁혀집니다.")

st.subheader("완료율이 낮은 영역")
by_area = ctx.query("task_completion_by_area")
st.caption(
    "분야·영역별 완료된 과제 ÷ 전체 과제, 완료율이 낮은 순. 행을 고르면 아래 과제 목록이 그 영역으로 "
    "좁혀집니다(같은 이름의 영역은 분야와 함께 고릅니다)."
)
areas = tuple(by_area["area"])
chosen_areas = ctx.url_choice("task_area")
# A key per row set and choice: a selection never outlives its rows, and a choice made elsewhere (a bar
# click, the list's 영역, a link) shows checked.
area_key = f"by_area_completion_{hash((areas, chosen_areas)) & 0xFFFFFFFF:08x}"
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
    key=area_key,
    on_select=partial(choose_areas, area_key, areas, chosen_areas),
    selection_mode="multi-row",
    selection_default={"selection": {"rows": [row for row, area in enumerate(areas) if area in chosen_areas]}},
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
listed_areas = ctx.url_multiselect(area_column, "task_area", "영역", sorted(set(areas)), placeholder="전체")
order = ctx.url_sort(st, tables.TASK_SORT)
# The table shows the first TABLE_LIMIT rows; its download holds every row of the same choice.
chosen = {
    "search": search,
    "task_statuses": statuses or None,
    "domains": domains or None,
    "areas": listed_areas or None,
    **order,
}
tasks = ctx.query("task_list", **chosen, limit=TABLE_LIMIT)
if tasks.empty:
    st.info("검색어와 상태·분야·영역 조건에 맞는 과제가 없습니다.")
else:
    matching = total(tasks, "matching_tasks")
    shown = units.CASES.part(matching, len(tasks))
    # markdown: `shown` is counts formatted by units.
    st.caption(f"{shown} · 링크에는 '정렬'에서 고른 순서가 담깁니다.")
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
