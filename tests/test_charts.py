"""Chart layout an executive relies on, checked on the figures themselves: yearly charts mark a year
without a cohort and the years not yet measured from the data they are given, grouped bars hover
per category in the order the query sorted them, and every chart is drawn without zoom or mode bar."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts


def yearly(rows: list[tuple[int, float, float | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["year", "support_eok", "outcome_eok"])
    return frame.assign(outcome_multiple_x=frame["outcome_eok"] / frame["support_eok"])


def notes(fig) -> dict[str, str]:
    """Annotation text by the year of the slot it sits in."""
    slots = fig["layout"]["xaxis"]["categoryarray"]
    return {slots[a["x"]]: a["text"] for a in fig["layout"].get("annotations", [])}


def test_yearly_chart_marks_the_missing_cohort_and_the_unmeasured_year_from_its_data():
    fig = charts.support_vs_outcome_by_year(
        yearly([(2016, 5.8, 16.0), (2017, 5.5, 17.0), (2019, 5.0, 14.0), (2020, 4.0, None)])
    )
    assert fig["layout"]["xaxis"]["categoryarray"] == ["2016", "2017", "2018", "2019", "2020"]
    assert notes(fig) == {"2018": "기수<br>없음", "2020": "진행 중<br>성과<br>측정 전"}
    # The 성과배수 line breaks at the missing year instead of bridging it.
    assert pd.isna(list(fig["data"][2]["y"])[2])
    assert fig["layout"]["hovermode"] == "x unified"


def test_yearly_chart_marks_nothing_when_every_year_is_there_and_measured():
    fig = charts.support_vs_outcome_by_year(yearly([(2013, 3.0, 5.5), (2014, 4.2, 8.0)]))
    assert notes(fig) == {}


def test_an_unmeasured_year_is_found_wherever_it_is():
    fig = charts.support_vs_outcome_by_year(yearly([(2013, 3.0, None), (2014, 4.2, 8.0)]))
    assert notes(fig) == {"2013": "진행 중<br>성과<br>측정 전"}


def test_completion_chart_marks_the_missing_cohort():
    frame = pd.DataFrame(
        {"year": [2017, 2019], "task_completion_pct": [90.0, 80.0], "tasks_done": [9, 8], "tasks_total": [10, 10]}
    )
    assert notes(charts.completion_by_cohort(frame)) == {"2018": "기수<br>없음"}


@pytest.mark.parametrize("horizontal", [False, True])
def test_grouped_bars_hover_per_category_in_the_frame_order(horizontal: bool):
    frame = pd.DataFrame(
        {"region": ["경남", "충남", "서울"], "support_eok": [1.0, 3.0, 2.0], "outcome_eok": [9.0, 5.0, 4.0]}
    )
    fig = charts.grouped_bars(
        frame,
        "region",
        {"support_eok": "지원금", "outcome_eok": "재무성과"},
        category_title="지역",
        value_title="금액",
        horizontal=horizontal,
    )
    axis = fig["layout"]["yaxis" if horizontal else "xaxis"]
    assert fig["layout"]["hovermode"] == ("y unified" if horizontal else "x unified")
    assert axis["categoryarray"] == ["경남", "충남", "서울"]


def test_every_chart_is_drawn_without_zoom_or_mode_bar():
    def page():
        from dashboard import charts

        charts.show(
            {"data": [{"type": "scatter", "x": [1, 2], "y": [3, 4]}], "layout": {"yaxis2": {"overlaying": "y"}}},
            key="chart",
        )

    at = AppTest.from_function(page).run()
    chart = at.get("plotly_chart")[0].proto
    figure = json.loads(chart.spec)
    config = json.loads(chart.config)
    assert config["displayModeBar"] is False and config["scrollZoom"] is False
    layout = figure["layout"]
    assert layout["dragmode"] is False
    assert layout["xaxis"]["fixedrange"] and layout["yaxis"]["fixedrange"] and layout["yaxis2"]["fixedrange"]
    assert figure["data"][0]["cliponaxis"] is False


HOSTILE_NAME = "<a href='https://evil.example'>x</a><b>굵게</b> %{customdata[0]} &amp;"


def _text(fig) -> str:
    """Every piece of text the figure hands to Plotly: titles, names, categories, customdata, templates."""
    return charts.spec_of(fig)


def test_charts_get_data_text_escaped_and_never_in_templates():
    frame = pd.DataFrame(
        {
            "company_id": ["A1"],
            "company_name": [HOSTILE_NAME],
            "industry": [HOSTILE_NAME],
            "support_man": [10.0],
            "outcome_man": [20.0],
            "outcome_multiple_x": [2.0],
            "cohorts": [1],
        }
    )
    panels = pd.DataFrame(
        {
            "indicator": [HOSTILE_NAME],
            "unit": ["<b>%</b>"],
            "higher_is_better": [True],
            "measured_rows": [1],
            "mean_baseline": [1.0],
            "mean_result": [2.0],
            "mean_improvement_pct": [100.0],
        }
    )
    bars = pd.DataFrame({"industry": [HOSTILE_NAME], "support_eok": [1.0], "outcome_eok": [2.0]})
    for fig in (
        charts.support_outcome_scatter(frame),
        charts.before_after_panels(panels),
        charts.grouped_bars(bars, "industry", {"support_eok": "지원금"}, category_title="업종", value_title="금액"),
    ):
        text = json.dumps(json.loads(_text(fig)), ensure_ascii=False)
        assert "<a " not in text and "<b>굵게" not in text and "%{customdata[0]} &amp;" not in text
        assert "&lt;a href=" in text
        for trace in fig["data"]:
            template = trace.get("hovertemplate", "")
            assert "evil" not in template and "굵게" not in template


def test_bars_and_panels_are_capped_with_the_rest_counted():
    many = pd.DataFrame(
        {"industry": [f"업종{i:03d}" for i in range(100)], "support_eok": range(100), "outcome_eok": range(100)}
    )
    fig = charts.grouped_bars(
        many,
        "industry",
        {"support_eok": "지원금", "outcome_eok": "재무성과"},
        category_title="업종",
        value_title="금액",
    )
    assert all(len(trace["x"]) == charts.CATEGORY_LIMIT for trace in fig["data"])
    assert any("외 70개" in a["text"] for a in fig["layout"]["annotations"])
    few = charts.grouped_bars(
        many.head(3), "industry", {"support_eok": "지원금"}, category_title="업종", value_title=""
    )
    assert not few["layout"].get("annotations")


def _sent(figure) -> str:
    """The spec `st.plotly_chart` sends for what it is given (Streamlit 1.67's own two steps)."""
    import plotly.io
    import plotly.tools

    return plotly.io.to_json(
        plotly.tools.return_figure_from_figure_or_data(figure, validate_figure=True), validate=False
    )


@pytest.fixture
def drawn(monkeypatch):
    """What `charts.show` hands `st.plotly_chart`, with the figure cache empty before and after."""
    calls = []
    monkeypatch.setattr(charts.st, "plotly_chart", lambda figure, **kwargs: calls.append(figure))
    charts.figure_cache.clear()
    yield calls
    charts.figure_cache.clear()


def test_a_cached_figure_is_sent_exactly_as_the_built_one_and_built_once(drawn, monkeypatch):
    frame = yearly([(2016, 5.8, 16.0), (2017, 5.5, 17.0), (2019, 5.0, 14.0), (2020, 4.0, None)])
    charts.show(charts.support_vs_outcome_by_year(frame), key="built")
    builds = []
    build = charts.support_vs_outcome_by_year
    monkeypatch.setattr(charts, "support_vs_outcome_by_year", lambda f: builds.append(1) or build(f))
    for _ in range(3):
        charts.show(charts.plot(charts.support_vs_outcome_by_year, frame.copy()), key="cached")
    built, *cached = (_sent(figure) for figure in drawn)
    assert cached == [built] * 3
    assert json.loads(built)["layout"]["dragmode"] is False
    assert len(builds) == 1


def test_the_figure_cache_keys_on_every_input(drawn):
    frame = yearly([(2016, 5.8, 16.0), (2017, 5.5, 17.0)])
    bars = pd.DataFrame({"industry": ["기계", "전자"], "support_eok": [1.0, 2.0], "outcome_eok": [3.0, 4.0]})
    series = {"support_eok": "지원금", "outcome_eok": "재무성과"}
    for plot in (
        charts.plot(charts.support_vs_outcome_by_year, frame),
        # One value of the frame, one keyword, the order of a mapping: each is another figure.
        charts.plot(charts.support_vs_outcome_by_year, frame.assign(support_eok=[5.8, 5.6])),
        charts.plot(charts.grouped_bars, bars, "industry", series, category_title="업종", value_title="금액"),
        charts.plot(charts.grouped_bars, bars, "industry", series, category_title="업종", value_title="", height=300),
        charts.plot(
            charts.grouped_bars, bars, "industry", dict(reversed(series.items())), category_title="업종", value_title=""
        ),
    ):
        charts.show(plot, key="chart")
        charts.show(plot.builder(*plot.args, **plot.kwargs), key="chart")
    sent = [_sent(figure) for figure in drawn]
    assert sent[0::2] == sent[1::2]
    assert len(set(sent[0::2])) == 5
    with pytest.raises(TypeError):
        charts.plot(charts.grouped_bars, bars, "industry", series, category_title=object()).key()
