"""데이터: where the data comes from and whether it is sound; upload, versions, restore, the audit log, the
contract. Upload, restore and the audit log are for the data admin only; a firm user sees no version
history (its row counts cover every firm)."""

from datetime import datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import access, audit, changes, export, safe, tables, units
from dashboard.contract import TABLES, TABLES_BY_NAME
from dashboard.problems import DataError, problems_frame
from dashboard.reading import checker, importer, opening
from dashboard.reading.opening import TABLE_QUERIES
from dashboard.reading.settings import PROJECT_ROOT, data_dir_override
from dashboard.store import SAMPLE, Store, StoreError, Version
from dashboard.view.cache import current_source
from dashboard.view.context import SYNTHETIC_NOTICE, PageContext, page_context

UPLOAD_ROUND = "data_upload_round"  # bumping it gives a fresh, empty uploader after an apply
CHECKED = "data_checked"  # (upload signature, ImportResult) of the files in the uploader
NOTICE = "data_notice"  # what the last apply or restore did, shown once
FAILURE = "data_failure"  # why the last apply or restore could not be done, shown once
RESTORE_CHOICE = "restore_choice"


def versions_frame(versions: list[Version], active_id: str | None) -> pd.DataFrame:
    """Newest first, with the row count of every table."""
    rows = [
        [v.id, v.id == active_id, shown_time(v.created), ", ".join(v.sources)] + [v.rows.get(t.name) for t in TABLES]
        for v in reversed(versions)
    ]
    return pd.DataFrame(rows, columns=["버전", "사용 중", "만든 시각", "원본 파일", *(t.label_ko for t in TABLES)])


def shown_time(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")


def shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def switched(message: str) -> None:
    """After the active data changed: forget every cached connection and result, so this run and
    every page after it read the new data."""
    st.cache_data.clear()
    st.cache_resource.clear()
    st.session_state[NOTICE] = message


# Apply and restore run as button callbacks: they finish before the script (and its sidebar)
# runs again, so the whole page is drawn once, on the new data.
# Each acts as the viewer of the run it is called in, checked again there (changes.py), not as the viewer
# its button was drawn for.
def apply_checked(store: Store) -> None:
    try:
        version = changes.import_checked(st.session_state[CHECKED][1], store, access.current_viewer())
    except changes.Refused as exc:
        st.session_state[FAILURE] = str(exc)
        return
    except StoreError as exc:
        st.session_state[FAILURE] = str(exc)
        return
    st.session_state[UPLOAD_ROUND] += 1
    del st.session_state[CHECKED]
    switched(f"{version.id} 버전을 적용했습니다. 모든 화면이 새 데이터를 보여 줍니다.")


def restore_chosen(store: Store) -> None:
    try:
        restored = changes.restore(store, st.session_state[RESTORE_CHOICE], access.current_viewer())
    except (StoreError, changes.Refused) as exc:
        st.session_state[FAILURE] = str(exc)
        return
    switched("표본 데이터로 되돌렸습니다." if restored is None else f"{restored.id} 버전으로 되돌렸습니다.")


ctx = page_context(allow_broken=True)
viewer = access.current_viewer()
st.title("데이터")
if notice := st.session_state.pop(NOTICE, None):
    st.success(notice, icon=":material/check_circle:")  # markdown: built here from a version id
if failure := st.session_state.pop(FAILURE, None):
    st.error(safe.md(failure), icon=":material/error:")

store = Store.configured()
override = data_dir_override()
UPLOAD, HISTORY, AUDIT = "데이터 올리기", "버전 기록", "변경 기록"
sections = {
    "현재 데이터": True,
    UPLOAD: viewer.may_change_data,
    HISTORY: viewer.scope_firm_ids is None,
    AUDIT: viewer.may_change_data,
    "데이터 규격": True,
}
shown_sections = [name for name, show in sections.items() if show]
tabs = dict(zip(shown_sections, st.tabs(shown_sections), strict=True))
current, contract = tabs["현재 데이터"], tabs["데이터 규격"]


def loaded_by(version_id: str | None) -> str:
    """Who made the active version, from the audit log (the last successful import or restore of it)."""
    if version_id is None:
        return "내장 표본 데이터(누가 올린 데이터가 아님)"
    done = [e for e in audit.entries(store) if e.outcome == "done" and e.version == version_id]
    if not done:
        return "변경 기록에 없음"
    last = done[-1]
    return f"{last.who}({audit.ACTIONS.get(last.action, last.action)}, {shown_time(last.time)})"


def render_current(ctx: PageContext) -> None:
    loaded = ctx.loaded()
    active = store.active_id()
    whole = "귀사의 데이터 전체" if viewer.scope_firm_ids is not None else "불러온 데이터 전체"
    st.info(  # markdown: `whole` is one of two literals above
        f"이 화면의 숫자는 사이드바 필터와 관계없이 **{whole}**를 셉니다. 필터를 적용한 숫자는 다른 화면에 있습니다.",
        icon=":material/info:",
    )
    cohorts = ctx.row("data_cohort_range")
    summary = [
        ("불러온 데이터", ctx.source.version),
        ("기준 시각", ctx.source.as_of),
        ("검사", "데이터 규격의 모든 규칙 통과"),
    ]
    if override is None and viewer.scope_firm_ids is None:
        summary.insert(2, ("올린 사람", loaded_by(active)))
    # markdown: labels are literals, values escaped
    st.markdown("\n".join(f"- **{label}**: {safe.md(value)}" for label, value in summary))
    if ctx.source.synthetic:
        info = ctx.source.synthetic_info()
        st.info(
            f"{SYNTHETIC_NOTICE.removeprefix('ⓘ ')}\n\n"
            f"생성: {safe.code(info['generator'])} (seed {safe.md(info['seed'])}, 규모 {safe.md(info['scale'])}배).",
            icon=":material/info:",
        )

    first, second, third = st.columns(3)
    first.metric("기수 범위", f"{cohorts['first_year']}–{cohorts['last_year']}")
    second.metric("기수", units.ITEMS.text(cohorts["cohorts"]))
    third.metric("참여 기업", units.FIRMS.text(cohorts["firms"]))

    st.subheader("데이터 출처")
    if override is not None:
        st.markdown(
            f"환경 변수 `DASHBOARD_DATA_DIR`로 지정한 폴더를 그대로 읽습니다: {safe.code(shown_path(override))}"
        )
    elif active is not None:
        version = store.version(active)
        st.markdown(
            f"저장소의 **{safe.md(version.id)}** 버전을 읽습니다 ({safe.md(shown_time(version.created))}에 "
            f"{safe.md(', '.join(version.sources))}에서 가져옴): {safe.code(shown_path(ctx.source.folder))}"
        )
    else:
        st.markdown(f"내장 표본 데이터를 읽습니다: {safe.code(shown_path(ctx.source.folder))}")

    counts = ctx.query("data_row_counts")
    files = counts.assign(
        label=counts["table_name"].map(lambda name: TABLES_BY_NAME[name].label_ko),
        file=counts["table_name"].map(lambda name: shown_path(loaded.files[name].path)),
    )[["label", "table_name", "file", "rows"]]
    st.subheader("읽은 파일")
    st.dataframe(
        files,
        hide_index=True,
        column_config={
            "label": tables.pinned("표"),
            "table_name": "표 이름",
            "file": "파일",
            "rows": units.ROWS.column("행 수"),
        },
    )
    export.export_buttons(files, "읽은_파일", key="files")

    st.subheader("검사 결과")
    st.success("데이터 규격의 모든 규칙을 통과했습니다.", icon=":material/check_circle:")

    st.subheader("현재 데이터 내려받기")
    st.caption("표마다 시트가 있는 Excel 파일입니다. 고쳐서 '데이터 올리기'에 그대로 올릴 수 있습니다.")
    st.download_button(
        "전체 데이터 Excel 내려받기",
        data=lambda: export.workbook_bytes({t.name: ctx.query(TABLE_QUERIES[t.name]) for t in TABLES}),
        file_name="산업혁신운동_데이터.xlsx",
        mime=export.XLSX_MIME,
        key="all_tables_xlsx",
        on_click="ignore",
        icon=":material/download:",
    )
    with st.expander("표별로 내려받기"):
        for table in TABLES:
            st.markdown(f"**{table.label_ko}** ({safe.code(table.name)})")
            export.lazy_export_buttons(
                lambda name=table.name: ctx.query(TABLE_QUERIES[name]), table.name, key=f"table_{table.name}"
            )


def render_refused() -> None:
    """Every problem of the data that could not be opened (the same list `validate` prints), to download."""
    st.info(
        "지금 데이터를 읽을 수 없습니다(위 오류 참고). '데이터 올리기'에서 고친 데이터를 올리거나 "
        "'버전 기록'에서 이전 버전으로 되돌리세요.",
        icon=":material/info:",
    )
    # The report names rows of every firm, so it is not for a firm user.
    if viewer.scope_firm_ids is not None:
        return
    try:
        opening.convert(current_source().folder)
    except StoreError:
        return  # no folder to check: the pointer itself is the problem, named above
    except DataError as exc:
        st.subheader("검사 결과")
        report = problems_frame(exc.problems)
        st.dataframe(report, hide_index=True)
        export.export_buttons(report, "검사결과_현재데이터", key="loaded_report")


with current:
    if ctx is None:
        render_refused()
    else:
        render_current(ctx)

if UPLOAD in tabs:
    with tabs[UPLOAD]:
        limits = importer.Limits.configured()
        if override is not None:
            st.info(
                f"`DASHBOARD_DATA_DIR`({safe.md(shown_path(override))})가 설정되어 있어 그 폴더를 그대로 읽으므로 "
                "올리기가 "
                "꺼져 있습니다. 올린 데이터를 쓰려면 이 환경 변수를 지우고 앱을 다시 시작하세요.",
                icon=":material/lock:",
            )
        st.markdown(
            "표마다 파일 하나(`companies.csv`, `기업.csv`, `participations.parquet` …) 또는 표마다 시트가 있는 "
            "Excel 파일 하나를 올리세요. CSV는 UTF-8과 CP949(EUC-KR) 모두 읽고, 한글 열 이름(기업ID, 연도, "
            "컨설팅지원금 …)과 `1,234,000원` 같은 금액도 알아봅니다. 자세한 규칙은 '데이터 규격' 탭에 있습니다."
        )
        st.caption(f"한도: 파일 합계 {importer.size_text(limits.max_bytes)}, 표마다 {units.ROWS.text(limits.max_rows)}")
        round_ = st.session_state.setdefault(UPLOAD_ROUND, 0)
        uploaded = st.file_uploader(
            "데이터 파일",
            type=["csv", "xlsx", "parquet"],
            accept_multiple_files=True,
            key=f"upload_{round_}",
            disabled=override is not None,
            max_upload_size=max(1, round(limits.max_mb)),
        )
        if uploaded and override is None:
            signature = tuple((f.file_id, f.name, f.size) for f in uploaded)
            checked = st.session_state.get(CHECKED)
            if checked is None or checked[0] != signature:
                with st.status("올린 파일을 검사하는 중…", expanded=True) as status:
                    inputs = [importer.InputFile(f.name, data=f.getvalue()) for f in uploaded]
                    result = checker.load_isolated(inputs, limits)
                    status.update(
                        label="검사를 마쳤습니다." if result.ok else "검사에서 문제를 찾았습니다.",
                        state="complete" if result.ok else "error",
                        expanded=False,
                    )
                st.session_state[CHECKED] = (signature, result)
            result = st.session_state[CHECKED][1]
            if result.ok:
                rows = result.row_counts().items()
                counts = ", ".join(f"{TABLES_BY_NAME[name].label_ko} {units.ROWS.text(n)}" for name, n in rows)
                # markdown: table labels of the contract and counts formatted by units.
                st.success(
                    f"검사 통과: {counts}. '적용'을 누르면 새 버전으로 저장하고 모든 화면에 보여 줍니다.",
                    icon=":material/check_circle:",
                )
            else:
                st.error(
                    f"오류 {units.CASES.text(result.fatal_count)}: 이 파일들은 적용할 수 없습니다. "
                    "아무것도 바뀌지 않았습니다. 아래 표의 행과 열을 고쳐 다시 올리세요.",
                    icon=":material/error:",
                )
            if result.problems:
                report = problems_frame(result.problems)
                st.dataframe(report, hide_index=True)
                export.export_buttons(report, "검사결과", key="upload_report")
            if result.ok:
                st.button("적용", type="primary", key="apply", on_click=apply_checked, args=(store,))

if HISTORY in tabs:
    with tabs[HISTORY]:
        try:
            versions = store.versions()
        except StoreError as exc:
            st.error(safe.md(exc), icon=":material/error:")
            versions = []
        try:
            active = store.active_id()
        except StoreError:
            # The pointer is unreadable (the error is on screen above): no version is marked, any may be restored.
            active = "알 수 없음"
        if not versions:
            st.info("아직 올린 데이터가 없습니다. 앱은 내장 표본 데이터를 보여 줍니다.")
        else:
            version_table = versions_frame(versions, active)
            st.dataframe(
                version_table,
                hide_index=True,
                column_config={"사용 중": st.column_config.CheckboxColumn("사용 중")},
            )
            export.export_buttons(version_table, "버전기록", key="versions")
            if viewer.may_change_data:
                choices = [v.id for v in reversed(versions)] + [SAMPLE]
                chosen = st.selectbox(
                    "되돌릴 버전",
                    choices,
                    format_func=lambda v: "표본 데이터" if v == SAMPLE else v,
                    key=RESTORE_CHOICE,
                )
                is_active = chosen == (active or SAMPLE)
                st.button(
                    "이 버전으로 되돌리기",
                    disabled=is_active or override is not None,
                    key="restore",
                    on_click=restore_chosen,
                    args=(store,),
                )
                if is_active:
                    st.caption("선택한 버전을 이미 쓰고 있습니다.")

if AUDIT in tabs:
    with tabs[AUDIT]:
        st.caption(
            "가져오기와 되돌리기, 거부되거나 실패한 시도가 모두 남습니다. 저장소의 `audit.log`에 덧붙이기만 하며 "
            "지우거나 고치지 않습니다."
        )
        log = audit.frame(audit.entries(store))
        if log.empty:
            st.info("아직 기록이 없습니다.")
        else:
            st.dataframe(log, hide_index=True)
            export.export_buttons(log, "변경기록", key="audit")

with contract:
    st.markdown(
        "데이터는 네 개의 표로 이루어집니다. 목록에 없는 열은 무시합니다. "
        "열 이름은 영문 이름이나 한글 이름 어느 쪽이든 됩니다."
    )
    for table in TABLES:
        st.subheader(f"{table.label_ko} ({safe.code(table.name)})")
        st.table(importer.contract_frame(table), hide_index=True, border="horizontal")
