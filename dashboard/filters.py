"""The shared filters: their values, the one SQL parameter `$f` they bind as, and their round trip
through the URL.

URL keys: from, to, phase, company (company_id), industry, region, tier; a key repeats for several
values. Beside them a page keeps its own choices under PAGE_URL_KEYS (`dashboard/view/local.py`), and
the 비교 mode of 개요 adds a second set under the same keys prefixed `vs_` (vs_from, vs_tier, …) and
`compare=1` (COMPARE_URL_KEYS), read by the same parser (`parse_url(..., prefix=VS_PREFIX)`); neither is
called unknown. Parsing never raises: an invalid value is dropped and described in a Korean warning,
which echoes it short and as literal text (`safe.reflect`): a shared URL cannot put a link or image in it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace

from dashboard.db import Scope, run_query
from dashboard.safe import reflect

REFLECT_VALUES = 5  # a warning names this many invalid values, then counts the rest
# The firms the options hold by name (queries/filter_options.sql, $listed_firms): what the company
# selector lists before a search. Beyond them a firm's name is looked up by id when it is needed, so
# what a process holds does not grow with the number of firms.
LISTED_FIRMS = 1000
# Looked-up names kept per data version, for the firms chosen in recent runs.
KEPT_NAMES = 10_000
URL_KEYS = ("from", "to", "phase", "company", "industry", "region", "tier")
PAGE_URL_KEYS = (
    "firm_search",
    "task_search",
    "task_status",
    "task_domain",
    "task_area",
    "outcomes_tab",
    "indicator",
    # a table's order (dashboard/tables.py SORTINGS): the column, then the direction
    "firm_sort",
    "firm_order",
    "task_sort",
    "task_order",
    "indicator_sort",
    "indicator_order",
)
# Keys of choices the app no longer offers, accepted in old links without a warning and not acted on:
# `overview_tab` chose 업종별 or 지역별 on 개요, which now shows both, so every value shows the same view.
RETIRED_URL_KEYS = ("overview_tab",)
LIST_FIELDS = {
    "phase": "phases",
    "company": "company_ids",
    "industry": "industries",
    "region": "regions",
    "tier": "tiers",
}
# The 비교 mode's second filter set: the same keys with this prefix, and the mode itself.
VS_PREFIX = "vs_"
COMPARE_KEY = "compare"
COMPARE_URL_KEYS = (COMPARE_KEY, *(VS_PREFIX + key for key in URL_KEYS))
FIELD_LABELS = {
    "from": "시작 연도",
    "to": "끝 연도",
    "phase": "단계",
    "company": "기업",
    "industry": "업종",
    "region": "지역",
    "tier": "협력 차수",
}


class FirmNames(Mapping[str, str]):
    """company_id -> name of every firm of data with more firms than LISTED_FIRMS, without holding them:
    `listed` holds the first ones by name, any other is looked up by id through `lookup` (ids -> the
    names of those the data holds) and kept. Its length is every firm; it cannot be iterated whole."""

    def __init__(self, listed: Mapping[str, str], count: int, lookup: Callable[[list[str]], Mapping[str, str]]):
        self.listed = dict(listed)
        self.count = count
        self._lookup = lookup
        self._known: dict[str, str | None] = {}

    def names(self, company_ids: Collection[str]) -> dict[str, str]:
        """The names of those of `company_ids` the data holds, looked up together."""
        wanted = [c for c in dict.fromkeys(company_ids) if c not in self.listed and c not in self._known]
        if wanted:
            found = self._lookup(wanted)
            if len(self._known) > KEPT_NAMES:
                self._known.clear()
            self._known.update({c: found.get(c) for c in wanted})
        names = {c: self.listed.get(c) or self._known.get(c) for c in company_ids}
        return {c: n for c, n in names.items() if n is not None}

    def __getitem__(self, company_id: str) -> str:
        names = self.names([company_id]) if isinstance(company_id, str) else {}
        if company_id not in names:
            raise KeyError(company_id)
        return names[company_id]

    def __contains__(self, company_id: object) -> bool:
        return isinstance(company_id, str) and company_id in self.names([company_id])

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[str]:
        raise TypeError(f"{self.count:,}개 기업의 이름은 한꺼번에 읽지 않습니다: 검색하거나 id로 찾으세요.")


@dataclass(frozen=True)
class Options:
    """What the data offers to filter on."""

    years: tuple[int, ...]
    phases: tuple[str, ...]
    companies: Mapping[str, str]  # company_id -> company_name; a FirmNames beyond LISTED_FIRMS firms
    industries: tuple[str, ...]
    regions: tuple[str, ...]
    tiers: tuple[int, ...]
    phase_years: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # each phase's cohort years
    measured_years: tuple[int, ...] = ()  # cohorts with a measured financial outcome

    @classmethod
    def from_rows(cls, rows, lookup: Callable[[list[str]], Mapping[str, str]] | None = None) -> Options:
        """The options from the rows of `queries/filter_options.sql` (field, value, label); `lookup`
        finds firms' names by id (ids -> names) when the data has more firms than the rows list."""
        fields = rows["field"].to_numpy()

        def values(f: str, column: str = "value") -> list:
            return rows.loc[fields == f, column].tolist()

        listed = dict(zip(values("company"), values("company", "label"), strict=True))
        count = int(next(iter(values("firms")), len(listed)))
        if count > len(listed):
            if lookup is None:
                raise ValueError("filter_options listed only some firms: their names need a lookup")
            companies: Mapping[str, str] = FirmNames(listed, count, lookup)
        else:
            companies = listed
        return cls(
            years=tuple(sorted(int(y) for y in values("year"))),
            phases=tuple(values("phase")),
            companies=companies,
            industries=tuple(values("industry")),
            regions=tuple(values("region")),
            tiers=tuple(sorted(int(t) for t in values("tier"))),
            phase_years={
                phase: tuple(
                    sorted(
                        int(y)
                        for y, p in zip(values("phase_year", "label"), values("phase_year"), strict=True)
                        if p == phase
                    )
                )
                for phase in values("phase")
            },
            measured_years=tuple(sorted(int(y) for y in values("measured_year"))),
        )

    @classmethod
    def read(cls, con, scope: Scope) -> Options:
        """The options of the data open on `con` as `scope` sees it, names beyond the listed firms
        looked up by id (queries/company_names.sql)."""

        def lookup(company_ids: list[str]) -> dict[str, str]:
            rows = run_query(con, "company_names", {"company_ids": company_ids}, scope=scope)
            return dict(zip(rows["company_id"], rows["company_name"], strict=True))

        return cls.from_rows(run_query(con, "filter_options", {"listed_firms": LISTED_FIRMS}, scope=scope), lookup)

    def names(self, company_ids: Collection[str]) -> dict[str, str]:
        """The names of those of `company_ids` the data holds (looked up together when not held)."""
        if isinstance(self.companies, FirmNames):
            return self.companies.names(company_ids)
        return {c: self.companies[c] for c in company_ids if c in self.companies}

    def choices(self, key: str) -> Collection:
        """The values offered for a URL key; the firms as a view, not a copy, since there may be millions."""
        if key == "company":
            return self.companies.keys()
        return {"phase": self.phases, "industry": self.industries, "region": self.regions, "tier": self.tiers}[key]

    def resolve(self, key: str, text: str):
        """The offered value that `text` (from a URL) names, or None."""
        if key == "company":
            return text if text in self.companies else None
        return next((v for v in self.choices(key) if str(v) == text), None)


@dataclass(frozen=True)
class Filters:
    year_from: int
    year_to: int
    phases: tuple[str, ...] = ()
    company_ids: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    tiers: tuple[int, ...] = ()

    def previous(self) -> Filters:
        """The same filters over the period of the same length just before (2016-2017 -> 2014-2015)."""
        length = self.year_to - self.year_from + 1
        return replace(self, year_from=self.year_from - length, year_to=self.year_from - 1)

    def without(self, key: str, options: Options) -> Filters:
        """The same filters with one of them ("year" or a key of LIST_FIELDS) back to its default: what a
        chart standing for that filter draws, so the values not chosen stay there to click."""
        if key == "year":
            return replace(self, year_from=min(options.years), year_to=max(options.years))
        return replace(self, **{LIST_FIELDS[key]: ()})

    def sql(self) -> dict:
        """These filters as the one STRUCT a query binds as `$f`, every field by its name (the macro
        `participation_facts` in queries/setup applies them); an empty sidebar selection binds NULL,
        meaning no restriction. A field added here reaches every query and the query cache's key."""
        selections = set(LIST_FIELDS.values())
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {
            k: (list(v) or None) if k in selections else list(v) if isinstance(v, tuple) else v
            for k, v in values.items()
        }

    def params(self) -> dict:
        """The SQL parameters: `$f`, and `$f_previous` for the deltas against the previous period."""
        return {"f": self.sql(), "f_previous": self.previous().sql()}

    def to_url(self, options: Options, prefix: str = "") -> dict[str, str | list[str]]:
        """Query parameters for this view, each key after `prefix`; defaults (whole range, no selection)
        are left out."""
        url: dict[str, str | list[str]] = {}
        if self.year_from != min(options.years):
            url[prefix + "from"] = str(self.year_from)
        if self.year_to != max(options.years):
            url[prefix + "to"] = str(self.year_to)
        for key, field_name in LIST_FIELDS.items():
            values = getattr(self, field_name)
            if values:
                url[prefix + key] = [str(v) for v in values]
        return url


@dataclass
class Parsed:
    filters: Filters
    warnings: list[str] = field(default_factory=list)


def _as_list(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def reflected(values: Sequence[str], *, quote: str = "'") -> str:
    """URL values for a warning: the first few, each short and literal, and how many more."""
    shown = ", ".join(f"{quote}{reflect(v)}{quote}" for v in values[:REFLECT_VALUES])
    more = len(values) - REFLECT_VALUES
    return f"{shown} 외 {more}개" if more > 0 else shown


def _label(key: str, prefix: str) -> str:
    """How a warning names a URL key: `'tier'(협력 차수)`, `'vs_tier'(비교 협력 차수)`."""
    return f"'{prefix}{key}'({'비교 ' if prefix else ''}{FIELD_LABELS[key]})"


def _years(query: Mapping[str, str | Sequence[str]], options: Options, prefix: str, warnings: list[str]) -> dict:
    lo, hi = min(options.years), max(options.years)
    years = {"from": lo, "to": hi}
    for key in ("from", "to"):
        if prefix + key not in query:
            continue
        raw = _as_list(query[prefix + key])
        text = raw[-1] if raw else ""
        # int() also reads '٢٠١٦' and '２０１６'; only ASCII digits make a year.
        if not (text.isascii() and text.isdigit()):
            warnings.append(f"URL의 {_label(key, prefix)} 값 '{reflect(text)}'은(는) 연도가 아니어서 무시했습니다.")
            continue
        year = int(text)
        if not lo <= year <= hi:
            warnings.append(
                f"URL의 {_label(key, prefix)} 값 {year}은(는) 데이터의 기수 범위({lo}–{hi}) 밖이어서 무시했습니다."
            )
            continue
        years[key] = year
    if years["from"] > years["to"]:
        which = "비교 집단의 " if prefix else ""
        warnings.append(
            f"URL의 {which}시작 연도({years['from']})가 끝 연도({years['to']})보다 늦어서 연도 조건을 무시했습니다."
        )
        years = {"from": lo, "to": hi}
    return years


def parse_url(query: Mapping[str, str | Sequence[str]], options: Options, prefix: str = "") -> Parsed:
    """Filters from URL query parameters (the keys after `prefix`: "" for the sidebar's, VS_PREFIX for
    the 비교 set); every invalid value is dropped with a warning. Unknown keys are reported by the
    unprefixed parse only."""
    warnings: list[str] = []
    years = _years(query, options, prefix, warnings)
    chosen: dict[str, tuple] = {}
    for key, field_name in LIST_FIELDS.items():
        if prefix + key not in query:
            continue
        values, bad = [], []
        for text in _as_list(query[prefix + key]):
            value = options.resolve(key, text)
            if value is None:
                bad.append(text)
            elif value not in values:
                values.append(value)
        if bad:
            warnings.append(f"URL의 {_label(key, prefix)} 값 {reflected(bad)}은(는) 데이터에 없어서 무시했습니다.")
        chosen[field_name] = tuple(values)
    known = {*URL_KEYS, *PAGE_URL_KEYS, *COMPARE_URL_KEYS, *RETIRED_URL_KEYS}
    unknown = sorted(set(query) - known) if not prefix else []
    if unknown:
        warnings.append(f"알 수 없는 URL 매개변수 {reflected(unknown, quote='')}은(는) 무시했습니다.")
    return Parsed(Filters(years["from"], years["to"], **chosen), warnings)
