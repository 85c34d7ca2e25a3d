"""Every chart builder sends the JSON it sent when it was built with plotly's graph objects.

The builders make plotly.js's dict themselves (`dashboard.charts`), skipping plotly's validation, so
two things are checked per builder and input (empty, one row, capped, subplots, highlighted marks):
- the spec equals what plotly makes of the same dict through its graph objects (`go.Figure(fig)`:
  every property is one plotly knows, every value as its validators coerce it, the default template);
- the spec equals the one the graph-object builders (commit 2ef860a) sent for that input, kept in
  `tests/fixtures/chart_specs.json` (without the template, which is Streamlit's and checked above).

After a deliberate change to a chart, write the file again from the current builders:
`python tests/test_charts_specs.py`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard import charts
from dashboard.contract import TASK_DOMAINS, TASK_STATUS

FIXTURE = Path(__file__).parent / "fixtures" / "chart_specs.json"
HOSTILE = "<b>굵게</b> %{customdata[0]} &amp;"
MONEY = {"support_eok": "지원금", "outcome_eok": "재무성과"}


def _yearly(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["year", "support_eok", "outcome_eok"]).astype(
        {"year": "int32", "support_eok": "float64", "outcome_eok": "float64"}
    )
    return frame.assign(outcome_multiple_x=frame["outcome_eok"] / frame["support_eok"])


YEARLY = _yearly([(2015, 4.5, 9.0), (2016, 5.8, 16.0), (2017, 5.5, 17.0), (2019, 5.0, 14.0), (2020, 4.0, None)])


def _bars(n: int, name: str = "업종") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "industry": [f"{name}{i:03d}" for i in range(n)],
            "firms": np.arange(n, dtype="int64") + 1,
            "support_eok": np.linspace(9.5, 0.5, n),
            "outcome_eok": np.linspace(30.25, 1.0, n),
        }
    )


TOP = pd.DataFrame(
    {
        "company_id": ["C007", "C002", "C010"],
        "company_name": ["가나정밀", HOSTILE, "다라전자"],
        "outcome_man": [95_000.0, 41_250.5, 20_000.0],
        "support_man": [12_000.0, 9_000.0, 15_500.0],
    }
)

FIRMS = pd.DataFrame(
    {
        "company_id": [f"C{i:03d}" for i in range(1, 8)],
        "company_name": ["가나", "다라", "마바", "사아", HOSTILE, "차카", "타파"],
        "industry": ["기계가공", "전자부품", "기계가공", "화학", "전자부품", "기계가공", HOSTILE],
        "cohorts": np.array([1, 2, 1, 3, 1, 2, 1], dtype="int64"),
        "support_man": [5_000.0, 12_000.0, 7_500.0, 30_000.0, 2_000.0, 9_000.0, 4_000.0],
        "outcome_man": [15_000.0, 8_000.0, 30_000.0, 61_000.0, 1_000.0, np.nan, 4_400.0],
        "outcome_multiple_x": [3.0, 0.6667, 4.0, 2.0333, 0.5, np.nan, 1.1],
    }
)

TASKS = pd.DataFrame(
    [
        ("제조", "설비", "done", 12),
        ("제조", "설비", "in_progress", 3),
        ("제조", "품질", "done", 7),
        ("제조", "품질", "planned", 2),
        ("경영", "원가", "on_hold", 1),
        ("경영", "원가", "done", 4),
        ("기술", "디지털", "in_progress", 5),
        (HOSTILE, "기타", "done", 1),
    ],
    columns=["domain", "area", "status", "tasks"],
).astype({"tasks": "int64"})

COMPLETION = pd.DataFrame(
    {
        "year": np.array([2016, 2017, 2019], dtype="int32"),
        "tasks_done": np.array([9, 40, 1], dtype="int64"),
        "tasks_total": np.array([10, 44, 7], dtype="int64"),
    }
).assign(task_completion_pct=lambda f: f["tasks_done"] / f["tasks_total"] * 100)


def _panels(n: int) -> pd.DataFrame:
    units = ["%", "일", "천원/개", "<b>%</b>", "분", "개/인·시", "건"]
    return pd.DataFrame(
        {
            "indicator": [f"지표{i}" if i != 1 else HOSTILE for i in range(n)],
            "unit": [units[i % len(units)] for i in range(n)],
            "higher_is_better": [i % 2 == 0 for i in range(n)],
            "measured_rows": np.array([0 if i == 2 else 10 + i for i in range(n)], dtype="int64"),
            "mean_baseline": [100.0 / (i + 1) for i in range(n)],
            "mean_result": [np.nan if i == 2 else 80.0 / (i + 1) + 0.1 for i in range(n)],
            "mean_improvement_pct": [np.nan if i == 2 else 20.0 - 7 * i for i in range(n)],
        }
    )


HISTOGRAM = pd.DataFrame(
    {
        "bin_from_pct": np.array([-20, -10, 0, 10, 20], dtype="int64"),
        "bin_to_pct": np.array([-10, 0, 10, 20, 30], dtype="int64"),
        "indicator_rows": np.array([2, 5, 40, 300, 1], dtype="int64"),
    }
)


def _improvement(n: int, category: str = "industry") -> pd.DataFrame:
    return pd.DataFrame(
        {
            category: [f"분야{i:02d}" if i else HOSTILE for i in range(n)],
            "firms": np.arange(n, dtype="int64") + 3,
            "measured_rows": np.arange(n, dtype="int64") * 4 + 1,
            "mean_improvement_pct": np.linspace(35.5, -4.25, n),
        }
    )


def _finished(fig, chosen: tuple | None = None):
    """As `charts.show` draws it: finished, and for a chart wired to filters highlighted."""
    charts.finish(fig)
    if chosen is not None:
        charts.highlight(fig, chosen)
    return fig


CASES: dict[str, Callable[[], object]] = {
    "yearly/empty": lambda: _finished(charts.support_vs_outcome_by_year(YEARLY.head(0)), ()),
    "yearly/one row": lambda: _finished(charts.support_vs_outcome_by_year(YEARLY.head(1)), ()),
    "yearly/gap, unmeasured, chosen year": lambda: _finished(
        charts.support_vs_outcome_by_year(YEARLY), ((2016, 2019),)
    ),
    "bars/empty": lambda: _finished(
        charts.grouped_bars(_bars(0), "industry", MONEY, category_title="업종", value_title="금액"), ()
    ),
    "bars/one row": lambda: _finished(
        charts.grouped_bars(_bars(1), "industry", MONEY, category_title="업종", value_title="금액"), ()
    ),
    "bars/capped, chosen": lambda: _finished(
        charts.grouped_bars(_bars(45), "industry", MONEY, category_title="업종", value_title="금액", height=300),
        (("업종002", "업종040"),),
    ),
    "bars/horizontal top firms by id, chosen": lambda: _finished(
        charts.grouped_bars(
            TOP,
            "company_name",
            {"outcome_man": "재무성과", "support_man": "지원금"},
            category_title="기업",
            value_title="금액",
            horizontal=True,
            height=420,
            value="company_id",
        ),
        (("C002",),),
    ),
    "bars/one series, no title": lambda: charts.finish(
        charts.grouped_bars(
            _bars(3, "지역"), "industry", {"outcome_eok": "재무성과"}, category_title="", value_title=""
        )
    ),
    "scatter/empty": lambda: _finished(charts.support_outcome_scatter(FIRMS.head(0)), ()),
    "scatter/one firm": lambda: _finished(charts.support_outcome_scatter(FIRMS.head(1)), ()),
    "scatter/firms by industry, chosen": lambda: _finished(charts.support_outcome_scatter(FIRMS), (("C004",),)),
    "tasks/one row": lambda: _finished(
        charts.tasks_by_area_status(TASKS.head(1), TASK_STATUS.labels, TASK_DOMAINS), ((), ())
    ),
    "tasks/domains, chosen area and status": lambda: _finished(
        charts.tasks_by_area_status(TASKS, TASK_STATUS.labels, TASK_DOMAINS), (("설비", "원가"), ("done",))
    ),
    "tasks/chosen status only": lambda: _finished(
        charts.tasks_by_area_status(TASKS, TASK_STATUS.labels, TASK_DOMAINS), ((), ("in_progress",))
    ),
    "completion/empty": lambda: _finished(charts.completion_by_cohort(COMPLETION.head(0)), ()),
    "completion/gap, chosen": lambda: _finished(charts.completion_by_cohort(COMPLETION), ((2017,),)),
    "panels/one": lambda: _finished(charts.before_after_panels(_panels(1)), ()),
    "panels/three rows, unmeasured, chosen": lambda: _finished(charts.before_after_panels(_panels(7)), (("지표3",),)),
    "panels/twelve": lambda: _finished(charts.before_after_panels(_panels(12)), ()),
    "histogram/empty": lambda: charts.finish(charts.improvement_histogram(HISTOGRAM.head(0))),
    "histogram/worse and better": lambda: charts.finish(charts.improvement_histogram(HISTOGRAM)),
    "improvement/empty": lambda: _finished(
        charts.improvement_bars(
            _improvement(0), "industry", title="업종", count_column="firms", count_label="기업(개사)"
        ),
        (),
    ),
    "improvement/one": lambda: _finished(
        charts.improvement_bars(
            _improvement(1), "industry", title="업종", count_column="firms", count_label="기업(개사)"
        ),
        (),
    ),
    "improvement/capped, chosen": lambda: _finished(
        charts.improvement_bars(
            _improvement(33, "area"), "area", title="과제 분야", count_column="firms", count_label="참여(건)"
        ),
        (("분야05",),),
    ),
    "compare/two sets": lambda: charts.finish(charts.compare_by_year(YEARLY, YEARLY.iloc[[1, 3]])),
    "compare/one set empty": lambda: charts.finish(charts.compare_by_year(YEARLY.head(2), YEARLY.head(0))),
}


def _sent(case: str) -> dict:
    return json.loads(charts.spec_of(CASES[case]()))


def _without_template(spec: dict) -> dict:
    return {**spec, "layout": {k: v for k, v in spec["layout"].items() if k != "template"}}


@pytest.mark.parametrize("case", CASES)
def test_a_chart_sends_what_plotly_makes_of_it(case: str):
    import plotly.graph_objects as go
    import plotly.io as pio

    fig = CASES[case]()
    sent = json.loads(charts.spec_of(fig))
    assert sent == json.loads(pio.to_json(go.Figure(fig), validate=False))
    assert sent["layout"]["template"] == json.loads(json.dumps(pio.templates[pio.templates.default].to_plotly_json()))


@pytest.mark.parametrize("case", CASES)
def test_a_chart_sends_what_the_graph_object_builders_sent(case: str):
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert sorted(expected) == sorted(CASES)
    assert _without_template(_sent(case)) == expected[case]


ARRAYS = {
    "float with NaN": pd.Series([1.5, np.nan, -2.25]),
    "int64 in int8": pd.Series([3, -128, 127]),
    "int64 in int16": np.array([300, -5], dtype="int64"),
    "int64 in int32": pd.Series([70_000, 1]),
    "int64 past int32": pd.Series([2**40, 1]),
    "int32": pd.Series([2016, 2020], dtype="int32"),
    "text": pd.Series(["가", None, "<b>"]),
    "object": pd.Series(["가", 1, None], dtype=object),
    "empty": pd.Series([], dtype="float64"),
    "bool": pd.Series([True, False]),
    "float32": np.array([0.5, 1.0], dtype="float32"),
    "uint8": np.array([1, 255], dtype="uint8"),
    "nullable int": pd.Series([1, None], dtype="Int64"),
    "two dimensions": np.arange(6.0).reshape(2, 3),
}


@pytest.mark.parametrize("values", ARRAYS.values(), ids=ARRAYS)
def test_an_array_is_sent_as_plotly_sends_it(values):
    import plotly.io as pio
    from _plotly_utils.utils import to_typed_array_spec

    def sent(encoded) -> object:
        return json.loads(pio.to_json({"data": [{"type": "bar", "y": encoded}], "layout": {}}, validate=False))

    assert sent(charts._typed(values)) == sent(to_typed_array_spec(values))


GRIDS = [
    # (rows, cols, column widths, shared y axes, horizontal spacing, vertical spacing)
    *((rows, 3, None, False, 0.09, min(0.25, 0.5 / rows)) for rows in range(1, 6)),
    *(
        (1, cols, widths, True, 0.03, None)
        for cols, widths in ((1, [4]), (2, [1, 7]), (3, [5, 3, 4]), (4, [2, 9, 1, 3]))
    ),
    (3, 4, [1, 2, 3, 4], True, 0.05, 0.1),
    (2, 2, None, False, 0.2, None),
]


@pytest.mark.parametrize(("rows", "cols", "widths", "shared", "across", "down"), GRIDS)
def test_a_grid_of_panels_is_laid_out_as_make_subplots_lays_it_out(rows, cols, widths, shared, across, down):
    from plotly.subplots import make_subplots

    titles = [f"패널{i}" if i % 5 != 3 else "" for i in range(rows * cols - 1)]
    # The same grid to both: only the titles' argument is named differently.
    grid = {
        "rows": rows,
        "cols": cols,
        "column_widths": widths,
        "shared_yaxes": shared,
        "horizontal_spacing": across,
        "vertical_spacing": down,
    }
    fig = charts._figure()
    charts._subplots(fig, titles=titles, **grid)
    made = make_subplots(subplot_titles=titles, **grid)
    expected = {k: v for k, v in made.layout.to_plotly_json().items() if k != "template"}
    assert json.loads(json.dumps(fig["layout"])) == json.loads(json.dumps(expected))


def test_building_leaves_its_frames_and_constants_alone():
    """Building, finishing and highlighting a figure change nothing it was made from: the frames, and
    NOTE_FONT, which several annotations of a figure start from."""
    frames = [YEARLY, TOP, FIRMS, TASKS, COMPLETION, HISTOGRAM]
    copies = [frame.copy() for frame in frames]
    for case in CASES:
        charts.spec_of(CASES[case]())
    for frame, copy in zip(frames, copies, strict=True):
        pd.testing.assert_frame_equal(frame, copy)
    assert charts.NOTE_FONT == {"size": 11}


if __name__ == "__main__":
    FIXTURE.write_text(
        json.dumps({case: _without_template(_sent(case)) for case in CASES}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    print(f"{FIXTURE}: {len(CASES)} specs")
