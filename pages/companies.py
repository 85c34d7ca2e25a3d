"""기업: the firm leaderboard (searchable, sorted by a choice kept in the URL; the checked rows are the
company filter), support vs outcome per firm, and one firm's profile when exactly one company is chosen."""

from functools import partial

import pandas as pd
import streamlit as st

from dashboard import cards, charts, peers, safe, tables, units
from dashboard.contract import PARTICIPATION_STATUS
from dashboard.db import total
from dashboard.view.context import page_context

# Bounds what one rerun pulls from DuckDB and sends to the browser whatever the data's size; the
# leaderboard is sorted in SQL before the limit, so its first rows are those of the order chosen.
LEADERBOARD_LIMIT = 500
SCATTER_LIMIT = 2000
PROFILE_LIMIT = 1000

ctx = page_context()
st.title("참여 기업")
header = ctx.context_line()
# In the header row, beside 링크 복사, as on 개요; filled after the leaderboard or the profile's cards.
briefing = header.container(width="content")


def choose_companies(key: str, company_ids: tuple[str, ...], chosen: tuple[str, ...]) -> None:
    """The checked leaderboard rows are the sidebar's company filter (and so the URL): one firm opens
    its profile, several narrow the list to them. A chosen firm the search hides stays chosen."""
    checked = {company_ids[row] for row in st.session_state[key].selection.rows}
    shown = set(company_ids)
    kept = [c for c in chosen if c not in shown or c in checked]
    ctx.choose_companies(kept + [c for c in company_ids if c in checked and c not in kept])


def tasks_done_of(frame: pd.DataFrame) -> list[str]:
    return [units.done_of(d, t) for d, t in zip(frame["tasks_done"], frame["tasks_total"], strict=True)]


def render_profile() -> None:
    profile = {"search": "", **tables.DEFAULT_ORDER, "limit": LEADERBOARD_LIMIT}
    if ctx.query("company_leaderboard", **profile).empty:  # no participation of the firm in the filters
        ctx.stop_for_no_participations()
    row = ctx.row("company_leaderboard", **profile)
    st.subheader(f"{safe.md(row['company_name'])} 프로필")
    st.caption(
        f"{units.TIER.text(row['tier'])} 협력사 · {safe.md(row['industry'])} · {safe.md(row['region'])} · "
        f"종업원 {units.PEOPLE.text(row['employees'])}"
        f" · 참여 기수 {safe.md(row['cohort_years'])}"
    )
    st.button("전체 기업 보기", on_click=ctx.choose_companies, args=([],), icon=":material/undo:")
    one_pager = st.container()  # its place above the cards, its work after them
    cards.stat_row(cards.PROFILE.shown(row), per_row=3)
    with briefing:
        ctx.briefing_button("companies")
    with one_pager:
        ctx.briefing_button("company", "기업 한 장 요약 PDF")
    render_peers()

    st.markdown("##### 참여 기수")
    cohorts = ctx.query("company_cohorts")
    tables.show(
        cohorts,
        [
            "year",
            "phase",
            "status",
            "agency",
            "consulting_man",
            "equipment_man",
            "support_man",
            "outcome_man",
            "outcome_multiple_x",
            "sharing_contract",
            "tasks",
            "mean_improvement_pct",
        ],
        {
            "year": tables.YEAR,
            "phase": "단계",
            "status": "상태",
            "agency": "수행기관",
            "consulting_man": "컨설팅",
            "equipment_man": "설비투자",
            "support_man": "지원금 계",
            "outcome_man": st.column_config.NumberColumn("재무성과", help="빈 값(–): 아직 측정 전"),
            "outcome_multiple_x": "성과배수",
            "sharing_contract": st.column_config.CheckboxColumn("성과공유 계약"),
            "tasks": "과제(완료/전체)",
            "mean_improvement_pct": "평균 개선율",
        },
        "기업_참여기수",
        download_key="profile_cohorts",
        conditions=ctx.conditions(),
        prepare=lambda frame: frame.assign(
            status=frame["status"].map(PARTICIPATION_STATUS.labels), tasks=tasks_done_of(frame)
        ),
    )

    st.markdown("##### 개선과제")
    tasks = ctx.query(
        "task_list",
        search="",
        task_statuses=None,
        domains=None,
        areas=None,
        **tables.DEFAULT_ORDER,
        limit=PROFILE_LIMIT,
    )
    if tasks.empty:
        st.caption("등록된 개선과제가 없습니다.")
    else:
        tables.show(
            tasks,
            ["year", "domain", "area", "title", "status"],
            tables.TASK_CONFIG,
            "기업_개선과제",
            download_key="profile_tasks",
            conditions=ctx.conditions(),
            prepare=tables.task_rows,
        )

    st.markdown("##### 지표별 개선 전후")
    indicators = ctx.query("outcome_rows", indicators=None, **tables.DEFAULT_ORDER, limit=PROFILE_LIMIT)
    if indicators.empty:
        st.caption("등록된 성과지표가 없습니다.")
    else:
        tables.show(
            indicators,
            ["year", "indicator", "unit", "baseline", "result", "improvement_pct", "direction"],
            tables.INDICATOR_CONFIG,
            "기업_성과지표",
            download_key="profile_indicators",
            conditions=ctx.conditions(),
            prepare=tables.indicator_rows,
        )


def render_peers() -> None:
    """The firm beside its peer group: each KPI and indicator with the group's median, quartiles and rank."""
    # The profile is drawn for one firm with participations in the filters, so its group has a row.
    g = ctx.row("peer_group")
    st.markdown("##### 동종 기업과 비교")
    # markdown: the group's name is built by peers from the tier, counts and escaped here.
    st.caption(f"비교 집단: {safe.md(peers.group_name(g))} (이 기업 포함)")
    for name, basename, key in (
        ("peer_kpis", "기업_동종비교", "profile_peers"),
        ("peer_indicators", "기업_동종비교_지표", "profile_peer_indicators"),
    ):
        rows = ctx.query(name)
        if not rows.empty:
            if name == "peer_indicators":
                st.caption("지표별 개선율: 비교 기수 안에서 측정된 값의 기업별 평균")
            prepare = peers.kpi_rows if name == "peer_kpis" else peers.indicator_rows
            tables.show(
                rows,
                list(peers.COLUMNS),
                # The KPI or indicator names its row: it stays in view when a phone scrolls the table.
                peers.COLUMNS | {"label": tables.pinned(peers.COLUMNS["label"])},
                basename,
                download_key=key,
                conditions=ctx.conditions(),
                prepare=prepare,
            )
    # markdown: the notes are the module's sentences with counts formatted by units.
    st.caption(" ".join(peers.group_notes(g, firm_user=ctx.scope.firm_ids is not None)))


def render_leaderboard() -> None:
    st.subheader("기업별 성과 순위")
    search_column, sort_column = st.columns(2, vertical_alignment="bottom")
    search = ctx.url_text_input(
        search_column, "firm_search", "기업명 검색", placeholder="기업명 일부를 입력하세요", icon=":material/search:"
    )
    order = ctx.url_sort(sort_column, tables.LEADERBOARD_SORT)
    board = ctx.query("company_leaderboard", search=search, **order, limit=LEADERBOARD_LIMIT)
    if board.empty:
        if not search.strip():  # no firm at all: nothing in the filters (the only case `kpi_summary` runs)
            ctx.stop_if_no_participations()
        st.info(f"이름에 '{safe.reflect(search.strip())}'이(가) 들어간 기업이 현재 필터 안에 없습니다.")
        return
    matching = total(board, "matching_firms")
    shown = units.FIRMS.part(matching, len(board), "정렬 순 상위 {shown}")
    # markdown: `shown` is counts formatted by units.
    st.caption(
        f"{shown} · 링크에는 '정렬'에서 고른 순서가 담깁니다 · 행을 고르면 그 기업의 프로필을, "
        "여러 행을 고르면 그 기업들만 봅니다."
    )
    company_ids = tuple(board["company_id"])
    chosen = ctx.filters.company_ids
    # A key per row set: a selection never outlives the rows it pointed at.
    key = f"leaderboard_{hash(company_ids) & 0xFFFFFFFF:08x}"
    leaderboard_columns = [
        "company_name",
        "tier",
        "industry",
        "region",
        "cohort_years",
        "support_man",
        "outcome_man",
        "outcome_multiple_x",
        "tasks",
        "mean_improvement_pct",
    ]
    leaderboard_config = {
        "company_name": "기업명",
        "tier": units.TIER.column("차수"),
        "industry": "업종",
        "region": "지역",
        "cohort_years": "참여 기수",
        "support_man": "지원금",
        "outcome_man": st.column_config.NumberColumn("재무성과", help="측정된 참여만. –: 측정 전"),
        "outcome_multiple_x": st.column_config.NumberColumn(
            "성과배수", help="재무성과 ÷ 지원금(재무성과가 측정된 참여만)"
        ),
        "tasks": "과제(완료/전체)",
        "mean_improvement_pct": st.column_config.NumberColumn("평균 개선율", help="측정된 성과지표의 개선율 평균"),
    }
    tables.show(
        board,
        leaderboard_columns,
        leaderboard_config,
        "기업별_성과순위",
        download_key="leaderboard",
        conditions=ctx.conditions(),
        prepare=lambda frame: frame.assign(tasks=tasks_done_of),
        every_row=lambda: ctx.query("company_leaderboard", search=search, **order, limit=None),
        key=key,
        on_select=partial(choose_companies, key, company_ids, chosen),
        selection_mode="multi-row",
        # The chosen firms show checked, also when chosen elsewhere (the sidebar, a chart, a link).
        selection_default={"selection": {"rows": [row for row, c in enumerate(company_ids) if c in chosen]}},
    )


def render_scatter() -> None:
    st.subheader("지원금 대비 재무성과")
    points = ctx.query("company_support_outcome", ignoring="company", limit=SCATTER_LIMIT)
    if points.empty:
        st.info("성과가 확정된 참여(측정 완료 또는 중도 포기)가 없어 그릴 점이 없습니다.")
        return
    charts.show(charts.plot(charts.support_outcome_scatter, points), key="support_outcome", filters_on="company")
    matching = total(points, "matching_firms")
    limited = "" if matching == len(points) else f" 재무성과 상위 {units.FIRMS.text(len(points))}만 그렸습니다."
    # markdown: `limited` is a count formatted by units.
    st.caption(
        "점 하나가 기업 하나입니다(누르면 그 기업을 고릅니다). "
        "성과가 확정된 참여만 씁니다: 측정 완료, 또는 중도 포기(성과 0). "
        "측정 전인 참여는 제외. "
        f"점선(성과배수 1배)보다 위에 있으면 재무성과가 지원금보다 큽니다.{limited}"
    )


if len(ctx.filters.company_ids) == 1:
    render_profile()
else:
    st.info(
        "기업 프로필(참여 기수·개선과제·지표별 개선 전후)을 보려면 순위표에서 행을 선택하거나 "
        "사이드바 '기업' 필터에서 한 곳만 고르세요.",
        icon=":material/info:",
    )
    render_leaderboard()
    with briefing:
        ctx.briefing_button("companies")
    render_scatter()
