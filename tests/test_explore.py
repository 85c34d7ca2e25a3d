"""Explore by clicking (issue 12): every chart whose marks stand for a filter value is wired to it, a
simulated click maps to the right filter and the cards follow the reference, and every piece of view
state lives in the URL (stale values warn and are dropped, the compare mode's keys are left alone)."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

from dashboard import charts, safe
from dashboard.filters import Filters
from dashboard.view import explore
from tests.helpers import expected_cards, metrics

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "pages").glob("*.py"))


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name):
                yield f"{owner.id}.{node.func.attr}", node


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_chart_on_a_page_is_wired_to_its_filter_or_marked_static(path):
    """A chart that plots filter values reports clicks (`filters_on`); any other says why not (`static`).
    Charts go through charts.show, which does the wiring, never st.plotly_chart directly."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for name, call in _calls(tree):
        assert name != "st.plotly_chart", f"{path.name}:{call.lineno} draws a chart without charts.show"
        if name != "charts.show":
            continue
        keywords = {k.arg: k.value for k in call.keywords}
        where = f"{path.name}:{call.lineno}"
        assert ("filters_on" in keywords) != ("static" in keywords), f"{where}: say filters_on= or static="
        if "static" in keywords:
            reason = keywords["static"]
            assert isinstance(reason, ast.Constant) and reason.value.strip(), f"{where}: static needs a reason"
        field = keywords.get("filters_on")
        if isinstance(field, ast.Constant | ast.Tuple):
            fields = [field.value] if isinstance(field, ast.Constant) else [e.value for e in field.elts]
            assert set(fields) <= set(explore.FIELDS), f"{where}: unknown filter field {fields}"


def _chart(at, key: str):
    found = [c for c in at.get("plotly_chart") if c.key == key or c.key.startswith(f"{key}_")]
    assert len(found) == 1, [c.key for c in at.get("plotly_chart")]
    return found[0]


def _marks(chart, width: int) -> list[dict]:
    """Every mark of a drawn chart as the browser reports a selected point (customdata and all)."""
    spec = json.loads(chart.proto.spec)
    marks = []
    for curve, trace in enumerate(spec["data"]):
        for index, row in enumerate(trace.get("customdata") or []):
            marks.append({"curve_number": curve, "point_index": index, "point_number": index, "customdata": row})
    assert marks, "a chart standing for a filter carries its values in customdata"
    return marks


def click(at, key: str, *points: dict):
    """What the browser sends when these marks of the chart are selected (a click, or a shift-click
    when there are several), then the rerun."""
    chart = _chart(at, key)
    states = at._tree.get_widget_states()
    selection = {"selection": {"points": list(points), "point_indices": [p["point_index"] for p in points]}}
    states.widgets.append(WidgetState(id=chart.proto.id, string_value=json.dumps(selection | {"box": [], "lasso": []})))
    return at._run(states)


def _value(point: dict, width: int = 1):
    return tuple(safe.unplot(v) for v in point["customdata"][-width:])


def _url(at, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


# (page, chart key, URL key it sets, a tab to open first)
SIDEBAR_CHARTS = [
    ("pages/overview.py", "by_phase", "phase", None),
    ("pages/overview.py", "top_companies", "company", None),
    ("pages/overview.py", "outcome_by_industry", "industry", None),
    ("pages/overview.py", "outcome_by_region", "region", None),
    ("pages/companies.py", "support_outcome", "company", None),
    ("pages/outcomes.py", "by_industry", "industry", None),
]
FILTER_FIELDS = {"phase": "phases", "company": "company_ids", "industry": "industries", "region": "regions"}


@pytest.mark.parametrize(("page", "key", "url_key", "tab"), SIDEBAR_CHARTS, ids=lambda v: str(v))
def test_a_click_sets_the_sidebar_filter_its_mark_stands_for(app, sample_ref, page, key, url_key, tab):
    at = app({tab[0]: tab[1]} if tab else None, page=page)
    assert not at.exception
    first, second = _marks(_chart(at, key), 1)[:2]
    value = _value(first)[0]
    click(at, key, first)
    assert not at.exception
    assert _url(at, url_key) == [str(value)]
    assert at.multiselect(key=f"f_{url_key}").value == [value]
    chips = [b.key for b in at.button if b.key and b.key.startswith(f"chip_{url_key}_")]
    assert chips == [f"chip_{url_key}_{value}"]
    if page == "pages/overview.py":
        narrowed = Filters(2013, 2020, **{FILTER_FIELDS[url_key]: (value,)})
        assert metrics(at) == expected_cards(sample_ref, narrowed)
    if page == "pages/companies.py":
        # One firm chosen: its profile replaces the leaderboard and the scatter.
        assert any(h.value.endswith("프로필") for h in at.subheader)
        return
    # The chart still draws every value, so a second mark can be added (shift-click).
    if _value(second) != _value(first):
        click(at, key, first, second)
        assert _url(at, url_key) == [str(value), str(_value(second)[0])]


def test_a_year_click_sets_the_period_and_a_second_click_on_it_clears_it(app, sample_ref):
    at = app()
    marks = _marks(_chart(at, "by_year"), 1)
    year_2016 = next(m for m in marks if _value(m) == (2016,))
    click(at, "by_year", year_2016)
    assert (at.query_params["from"], at.query_params["to"]) == ("2016", "2016")
    assert metrics(at) == expected_cards(sample_ref, Filters(2016, 2016))
    year_2019 = next(m for m in marks if _value(m) == (2019,) and m["curve_number"] == 0)
    click(at, "by_year", year_2016, year_2019)
    assert (at.query_params["from"], at.query_params["to"]) == ("2016", "2019")
    assert metrics(at) == expected_cards(sample_ref, Filters(2016, 2019))
    click(at, "by_year")  # Plotly deselects both: a click on the only selected mark, or a double click
    assert "from" not in at.query_params and "to" not in at.query_params


def test_task_chart_clicks_narrow_the_task_list(app):
    at = app(page="pages/tasks.py")
    marks = _marks(_chart(at, "by_area"), 2)
    mark = marks[0]
    area, status = _value(mark, 2)
    click(at, "by_area", mark)
    assert not at.exception
    assert (_url(at, "task_area"), _url(at, "task_status")) == ([area], [status])
    assert at.multiselect(key="tasks_area").value == [area]
    listed = at.dataframe[-1].value
    assert set(listed["area"]) == {area} and len(listed) > 0
    cohort = next(m for m in _marks(_chart(at, "by_cohort"), 1) if _value(m) == (2016,))
    click(at, "by_cohort", cohort)
    assert (at.query_params["from"], at.query_params["to"]) == ("2016", "2016")


def test_outcome_chart_clicks_choose_the_indicator_and_the_task_area(app):
    at = app({"outcomes_tab": "과제 분야별"}, page="pages/outcomes.py")
    panel = _marks(_chart(at, "before_after"), 1)[0]
    click(at, "before_after", panel)
    indicator = _value(panel)[0]
    assert _url(at, "indicator") == [indicator]
    assert set(at.dataframe[-1].value["indicator"]) == {indicator}
    area = _marks(_chart(at, "by_area"), 1)[0]
    click(at, "by_area", area)
    assert _url(at, "task_area") == [_value(area)[0]]
    link = [e for e in at.get("page_link") if "과제 목록" in e.proto.label]
    assert link and parse_qs(link[0].proto.query_string)["task_area"] == [_value(area)[0]]


def test_a_click_on_the_twin_of_a_chosen_bar_removes_it():
    """The 재무성과 bar beside the chosen 지원금 bar: Plotly selects it alone, the value stays the same."""
    x0, x1, y0 = (0, 0), (1, 0), (0, 1)
    # chosen X through its 지원금 bar; a click on its 재무성과 bar
    assert explore.next_values([("X",)], {x1: ("X",)}, {x1: ("X",)}) == [[]]
    # chosen X; a shift-click adds Y, keeping the order chosen
    assert explore.next_values([("X",)], {y0: ("Y",)}, {x0: ("X",), y0: ("Y",)}) == [["X", "Y"]]
    # X and Y chosen; a shift-click on X leaves Y
    assert explore.next_values([("X", "Y")], {}, {y0: ("Y",)}) == [["Y"]]
    # a plain click on another mark sets it
    assert explore.next_values([("X",)], {y0: ("Y",)}, {y0: ("Y",)}) == [["Y"]]
    # two fields (area, status): the marks' values of each
    assert explore.next_values([(), ()], {x0: ("A", "done")}, {x0: ("A", "done")}) == [["A"], ["done"]]


def test_page_choices_live_in_the_url_and_stale_ones_warn(app):
    at = app({"task_status": "없는상태"}, page="pages/tasks.py")
    assert "'없는상태'" in " ".join(w.value for w in at.warning) and "task_status" not in at.query_params
    # 개요 shows 업종별 and 지역별 side by side: an old link's `overview_tab` is accepted and changes nothing.
    for old in ("지역별", "없는보기"):
        at = app({"overview_tab": old})
        assert not at.exception and not at.warning
        assert {c.key for c in at.get("plotly_chart")} >= {"outcome_by_industry", "outcome_by_region"}
    # B's keys stay while the 비교 mode is on (it draws instead of the page's own controls).
    at = app({"compare": "1", "vs_region": "충남", "indicator": "없는지표"})
    warnings = " ".join(w.value for w in at.warning)
    assert "vs_region" not in warnings, "the compare mode's keys belong to 개요's compare mode"
    assert "없는지표" not in warnings, "another page's choice is read by that page only"
    assert at.query_params["vs_region"] == "충남"
    at = app({"firm_search": "테크"}, page="pages/companies.py")
    assert at.text_input(key="companies_search").value == "테크"
    at.text_input(key="companies_search").set_value("정밀").run()
    assert at.query_params["firm_search"] == "정밀"


def test_a_url_sent_back_by_the_browser_restores_the_view(app, sample_ref):
    """Back: the browser sends the earlier query string; filters and page choices follow it."""
    at = app({"region": "충남"})
    at.multiselect(key="f_tier").set_value([2]).run()
    assert at.query_params["tier"] == "2"
    at.query_params.clear()
    at.query_params["region"] = "충남"
    at.run()
    assert at.multiselect(key="f_tier").value == []
    assert "tier" not in at.query_params
    assert metrics(at) == expected_cards(sample_ref, Filters(2013, 2020, regions=("충남",)))


# (page, chart key, the URL keys of the fields its marks stand for, the page's tab)
WIRED_CHARTS = [
    ("pages/overview.py", "by_year", ("year",), None),
    *((page, key, (url_key,), tab) for page, key, url_key, tab in SIDEBAR_CHARTS),
    ("pages/tasks.py", "by_area", ("task_area", "task_status"), None),
    ("pages/tasks.py", "by_cohort", ("year",), None),
    ("pages/outcomes.py", "before_after", ("indicator",), None),
    ("pages/outcomes.py", "by_area", ("task_area",), ("outcomes_tab", "과제 분야별")),
]


def _opacity(trace: dict) -> list[float]:
    opacity = trace.get("marker", {}).get("opacity", 1.0)
    return list(opacity) if isinstance(opacity, list) else [opacity] * len(trace["customdata"])


@pytest.mark.parametrize(("page", "key", "url_keys", "tab"), WIRED_CHARTS, ids=lambda v: str(v))
def test_a_chart_highlights_the_values_chosen_elsewhere(app, page, key, url_keys, tab):
    """Chosen by a link (as by a chip or the sidebar): the chart's chosen marks at full colour, the others
    dimmed, and Plotly's own selection styled alike."""
    at = app({tab[0]: tab[1]} if tab else None, page=page)
    width = len(url_keys)
    values = list(dict.fromkeys(_value(m, width) for m in _marks(_chart(at, key), width)))
    if url_keys == ("year",):
        picked = [(2016,), (2017,)]
        query = {"from": "2016", "to": "2017"}
    else:
        picked = values[:2] if len(values) > 2 else values[:1]  # two when a third stays to dim
        query = {u: [str(v[i]) for v in picked] for i, u in enumerate(url_keys)}
    at = app(query | ({tab[0]: tab[1]} if tab else {}), page=page)
    assert not at.exception
    chosen = [{v[i] for v in picked} for i in range(width)]
    spec = json.loads(_chart(at, key).proto.spec)
    seen = set()
    for trace in spec["data"]:
        if not trace.get("customdata"):
            continue
        for row, opacity in zip(trace["customdata"], _opacity(trace), strict=True):
            mark = tuple(safe.unplot(v) for v in row[-width:])
            is_chosen = all(mark[i] in chosen[i] for i in range(width))
            assert opacity == (1.0 if is_chosen else charts.DIMMED), (mark, opacity)
            seen.add(is_chosen)
        assert trace["selected"]["marker"]["opacity"] == 1.0
        assert trace["unselected"]["marker"]["opacity"] == charts.DIMMED
    assert seen == {True, False}, "the chart draws chosen and other marks"


@pytest.mark.parametrize("query", [None, {"region": "충남"}], ids=["nothing chosen", "chosen by a link"])
def test_a_chart_is_sent_unchanged_after_its_own_click(app, query):
    """A changed figure would be a new element to the browser, which forgets Plotly's selection, and a
    shift-click extends that selection: after its own click a chart keeps the figure (and the
    highlight) it was drawn with."""
    at = app(query)
    chart = _chart(at, "outcome_by_region")
    drawn = (chart.key, chart.proto.id, chart.proto.spec)
    other = next(m for m in _marks(chart, 1) if _value(m) != ("충남",))
    click(at, "outcome_by_region", other)
    assert _url(at, "region") == [_value(other)[0]]
    again = _chart(at, "outcome_by_region")
    assert (again.key, again.proto.id, again.proto.spec) == drawn
