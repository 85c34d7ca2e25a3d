"""Sign-in, roles and the audit log, headless: each role (executive, firm, data admin, denied, signed
out) through app.py with `AppTest.user` and `AppTest.secrets`, on the sample and on the mini fixture;
the data-changing actions refused for anyone but a data admin, when they run; every change and refusal
in the append-only audit log; local and anonymous modes; bad settings named."""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import re
import secrets
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from dashboard import access, audit, changes
from dashboard.__main__ import main as cli
from dashboard.access import DATA_ADMIN, EXECUTIVE, FIRM, Refusal, Viewer
from dashboard.filters import Filters
from dashboard.reading import importer
from dashboard.reading.settings import SAMPLE_DIR
from dashboard.store import MANIFEST, Store, StoreError
from tests.conftest import DEFAULT_TIMEOUT
from tests.helpers import expected_cards, metrics, shown
from tests.reference import MINI_DIR, ROOT, load, read_frames

# Made up per test run: a test of "never shown" must not depend on a value kept in the repository.
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": secrets.token_hex(32),
    "client_id": "innovation-dashboard",
    "client_secret": secrets.token_hex(16),
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ADMIN_EMAIL = "data.team@example.com"
SECRETS = {"auth": AUTH, "access": {"users": {ADMIN_EMAIL: {"role": DATA_ADMIN}}}}
# The firm each data set's firm user belongs to, and another firm of that data.
FIRMS = {"sample": ("C161", "C002"), "mini": ("A1", "A2")}
DATA = {"sample": SAMPLE_DIR, "mini": MINI_DIR}
DATA_PAGE = "pages/data.py"


def executive() -> dict:
    return {"is_logged_in": True, "email": "ceo@example.com", "name": "김대표", "dashboard_role": EXECUTIVE}


def firm_user(firm_id: str) -> dict:
    return {
        "is_logged_in": True,
        "email": "kim@supplier.example.com",
        "name": "김협력",
        "dashboard_role": FIRM,
        "firm_id": firm_id,
    }


def data_admin() -> dict:
    # Mixed case on purpose: the [access] table is looked up by e-mail, case-insensitively.
    return {"is_logged_in": True, "email": "Data.Team@example.com", "name": "데이터팀"}


def stranger() -> dict:
    return {"is_logged_in": True, "email": "stranger@example.com", "name": "낯선 사람"}


SIGNED_OUT = {"is_logged_in": False}


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    monkeypatch.setenv("DASHBOARD_STORE_DIR", str(tmp_path / "store"))
    return Store.configured()


@pytest.fixture
def signed_in(monkeypatch, store):
    """`signed_in(user, data="sample", query_params=None, page=None, secrets=SECRETS)` -> AppTest of app.py
    run once as `user` (the sample comes from the empty store, so uploads stay possible)."""

    def make(user: dict, data: str = "sample", query_params: dict | None = None, page=None, secrets=SECRETS):
        if data == "sample":
            monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
        else:
            monkeypatch.setenv("DASHBOARD_DATA_DIR", str(DATA[data]))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=DEFAULT_TIMEOUT)
        at.secrets = secrets
        at.user = user
        for key, value in (query_params or {}).items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return make


def tree_text(node) -> str:
    """Every string the app sent, from every element in the main area and the sidebar."""
    parts = [str(node.proto)] if getattr(node, "proto", None) is not None else []
    for child in getattr(node, "children", {}).values():
        parts.append(tree_text(child))
    return "\n".join(parts)


def app_text(at: AppTest) -> str:
    return tree_text(at.main) + tree_text(at.sidebar)


def firm_names(data: str) -> list[str]:
    return read_frames(DATA[data])["companies"]["company_name"].tolist()


def expect_no_data(at: AppTest, data: str) -> None:
    """No card, table, chart, filter or firm: nothing from the data reached the browser."""
    assert not at.metric and not at.dataframe and not at.multiselect and not at.slider
    assert not at.get("plotly_chart")
    text = app_text(at)
    shown = [name for name in firm_names(data) if name in text]
    assert not shown, f"firm names on a screen without access: {shown[:5]}"


def expect_no_secret(at: AppTest) -> None:
    text = app_text(at)
    assert AUTH["cookie_secret"] not in text and AUTH["client_secret"] not in text


def tab_labels(at: AppTest) -> list[str]:
    return [t.label for t in at.tabs]


def sidebar_text(at: AppTest) -> str:
    return tree_text(at.sidebar)


# --- who gets in -------------------------------------------------------------------------------


@pytest.mark.parametrize("data", ["sample", "mini"])
def test_signed_out_visitor_sees_the_sign_in_screen_and_no_data(signed_in, data):
    at = signed_in(SIGNED_OUT, data)
    assert [b.label for b in at.button] == ["로그인"]
    assert "회사 계정으로 로그인하세요" in app_text(at)
    expect_no_data(at, data)
    expect_no_secret(at)


@pytest.mark.parametrize("data", ["sample", "mini"])
def test_signed_out_visitor_on_a_deep_link_sees_the_same(signed_in, data):
    at = signed_in(SIGNED_OUT, data, query_params={"company": FIRMS[data][0]})
    at.switch_page(DATA_PAGE).run()
    assert [b.label for b in at.button] == ["로그인"]
    expect_no_data(at, data)
    assert not at.file_uploader


@pytest.mark.parametrize("data", ["sample", "mini"])
@pytest.mark.parametrize(
    ("user", "reason"),
    [
        (stranger(), "정해진 역할이 없습니다"),
        ({**executive(), "dashboard_role": "admin"}, "dashboard_role 클레임: 역할 'admin'은(는) 알 수 없습니다"),
        ({**firm_user("C161"), "firm_id": ""}, "firm_id(company_id)가 필요합니다"),
        ({**firm_user("C161"), "firm_id": "NOPE"}, "firm_id 'NOPE'"),
    ],
    ids=["no-role", "unknown-role", "firm-without-firm", "firm-not-in-data"],
)
def test_denied_identity_gets_no_data(signed_in, data, user, reason, caplog):
    with caplog.at_level(logging.WARNING, logger="dashboard.access"):
        at = signed_in(user, data)
    assert access.DENIED_TITLE in [h.value for h in at.header]
    assert any(reason in shown(w.value) for w in at.warning), [w.value for w in at.warning]
    assert "로그아웃" in [b.label for b in at.button]
    expect_no_data(at, data)
    assert any("access denied" in r.getMessage() for r in caplog.records)


def test_email_verified_false_is_not_looked_up_in_the_access_table(signed_in):
    at = signed_in({**data_admin(), "email_verified": False})
    assert access.DENIED_TITLE in [h.value for h in at.header]
    expect_no_data(at, "sample")


@pytest.mark.parametrize("data", ["sample", "mini"])
def test_executive_sees_every_firm_read_only(signed_in, data):
    at = signed_in(executive(), data)
    frames = read_frames(DATA[data])
    years = frames["participations"]["year"]
    assert metrics(at) == expected_cards(load(DATA[data]), Filters(int(years.min()), int(years.max())))
    company = at.multiselect(key="f_company")
    assert sorted(company.options) == sorted(firm_names(data))
    assert "김대표" in sidebar_text(at) and "경영진" in sidebar_text(at)
    assert "로그아웃" in [b.label for b in at.sidebar.button]

    at.switch_page(DATA_PAGE).run()
    assert tab_labels(at) == ["현재 데이터", "버전 기록", "데이터 규격"]
    assert "검사 결과" in [h.value for h in at.subheader]
    assert not at.file_uploader
    assert not [b for b in at.button if b.key in ("apply", "restore")]
    assert not [s for s in at.selectbox if s.key == "restore_choice"]
    expect_no_secret(at)


@pytest.mark.parametrize("data", ["sample", "mini"])
def test_firm_user_sidebar_offers_their_own_firm_only(signed_in, data):
    own, _ = FIRMS[data]
    names = dict(read_frames(DATA[data])["companies"][["company_id", "company_name"]].values.tolist())
    at = signed_in(firm_user(own), data)
    assert not [m for m in at.multiselect if m.key == "f_company"], "no company selector for a firm user"
    assert not [t for t in at.text_input if t.key == "f_company_search"]
    text = sidebar_text(at)
    assert f"기업: {names[own]}" in text and "협력기업" in text
    assert [n for n in names.values() if n in text] == [names[own]]

    at.switch_page(DATA_PAGE).run()
    assert tab_labels(at) == ["현재 데이터", "데이터 규격"], "no upload, no version history (all firms' counts)"
    assert not at.file_uploader


@pytest.mark.parametrize("data", ["sample", "mini"])
@pytest.mark.parametrize("which", ["other", "unknown"])
def test_firm_users_url_naming_another_firm_warns_and_is_dropped(signed_in, data, which):
    own, other = FIRMS[data]
    named = other if which == "other" else "ZZZ9"
    at = signed_in(firm_user(own), data, query_params={"company": named, "tier": "2"})
    warnings = [w.value for w in at.warning]
    expected = (
        f"URL의 'company'(기업) 값 '{named}'은(는) 볼 수 없는 기업이어서 무시했습니다. 소속 기업의 자료만 보여 줍니다."
    )
    assert expected in warnings, "the same warning for a firm that exists and one that does not"
    assert "company" not in at.query_params and at.query_params.get("tier") == "2"
    assert at.session_state["f_company"] == []


def test_firm_user_cannot_widen_the_company_filter_through_session_state(signed_in):
    own, other = FIRMS["sample"]
    at = signed_in(firm_user(own))
    at.session_state["f_company"] = [other]
    at.run()
    assert at.session_state["f_company"] == []
    assert "company" not in at.query_params


@pytest.mark.parametrize("data", ["sample", "mini"])
def test_firm_user_cards_equal_the_reference_restricted_to_their_firm(signed_in, data):
    own, _ = FIRMS[data]
    frames = read_frames(DATA[data])
    years = frames["participations"]["year"]
    at = signed_in(firm_user(own), data)
    expected = expected_cards(load(DATA[data]), Filters(int(years.min()), int(years.max()), company_ids=(own,)))
    assert metrics(at) == expected


@pytest.mark.parametrize("data", ["sample", "mini"])
def test_only_the_data_admin_has_upload_restore_and_the_audit_log(signed_in, data):
    at = signed_in(data_admin(), data, page=DATA_PAGE)
    assert tab_labels(at) == ["현재 데이터", "데이터 올리기", "버전 기록", "변경 기록", "데이터 규격"]
    assert at.file_uploader
    assert "데이터팀" in sidebar_text(at) and "데이터 관리자" in sidebar_text(at)
    expect_no_secret(at)


# --- changes are checked when they run, and recorded ---------------------------------------------


def mini_result() -> importer.ImportResult:
    result = importer.load_paths([MINI_DIR])
    assert result.ok
    return result


def viewers() -> dict[str, Viewer]:
    return {
        "executive": Viewer("김대표", "ceo@example.com", EXECUTIVE),
        "firm": Viewer("김협력", "kim@supplier.example.com", FIRM, "A1"),
        "anonymous": Viewer("익명 사용자", "", EXECUTIVE, mode=access.ANONYMOUS),
    }


@pytest.mark.parametrize("who", ["executive", "firm", "anonymous"])
def test_calling_the_actions_directly_without_the_role_is_refused_and_logged(store, who, caplog):
    viewer = viewers()[who]
    admin = Viewer("데이터팀", ADMIN_EMAIL, DATA_ADMIN)
    changes.import_checked(mini_result(), store, admin)
    before = store.active_id()
    with caplog.at_level(logging.WARNING, logger="dashboard.changes"):
        with pytest.raises(changes.Refused, match="권한이 없습니다"):
            changes.import_checked(mini_result(), store, viewer)
        with pytest.raises(changes.Refused):
            changes.restore(store, "sample", viewer)
    assert [v.id for v in store.versions()] == ["v0001"] and store.active_id() == before
    refused = [e for e in audit.entries(store) if e.outcome == "refused"]
    assert [(e.who, e.role, e.action) for e in refused] == [
        (viewer.who, viewer.role, "import"),
        (viewer.who, viewer.role, "restore"),
    ]
    assert refused[0].files == ("companies.csv", "outcomes.csv", "participations.csv", "tasks.csv")
    assert refused[1].version == "sample"
    assert len([r for r in caplog.records if r.getMessage().startswith("refused")]) == 2


def test_a_button_drawn_for_the_admin_is_refused_when_the_session_is_no_longer_admin(signed_in, store):
    at = signed_in(data_admin(), page=DATA_PAGE)
    at.file_uploader[0].set_value(
        [(p.name, p.read_bytes(), "text/csv") for p in sorted(MINI_DIR.iterdir()) if p.suffix == ".csv"]
    ).run()
    apply = at.button(key="apply")
    at.user = executive()
    apply.click().run()
    assert not at.exception
    assert any("권한이 없습니다" in e.value for e in at.error)
    assert store.versions() == [] and store.active_id() is None
    [entry] = audit.entries(store)
    assert (entry.who, entry.role, entry.action, entry.outcome) == ("ceo@example.com", EXECUTIVE, "import", "refused")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_import_and_restore_are_recorded_append_only_and_survive_a_restart(store):
    admin = Viewer("데이터팀", ADMIN_EMAIL, DATA_ADMIN)
    version = changes.import_checked(mini_result(), store, admin)
    first = audit.path(store.root).read_bytes()
    changes.restore(store, "sample", admin)
    with pytest.raises(StoreError):
        changes.restore(store, "v0042", admin)
    assert audit.path(store.root).read_bytes().startswith(first), "earlier entries are never rewritten"

    done, restored, failed = audit.entries(Store.configured())  # read afresh, as after a restart
    assert (done.who, done.role, done.action, done.outcome, done.version) == (
        ADMIN_EMAIL,
        DATA_ADMIN,
        "import",
        "done",
        version.id,
    )
    assert done.files == ("companies.csv", "outcomes.csv", "participations.csv", "tasks.csv")
    manifest = json.loads((version.folder / MANIFEST).read_text(encoding="utf-8"))
    assert done.checksums == {name: sha256(version.folder / info["file"]) for name, info in manifest["tables"].items()}
    assert (restored.action, restored.outcome, restored.version) == ("restore", "done", "sample")
    assert (failed.action, failed.outcome, failed.version) == ("restore", "failed", "v0042")
    assert "v0042" in failed.detail
    assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", e.time) for e in (done, restored, failed))


def test_the_cli_records_the_os_user(store, capsys):
    assert cli(["import", str(MINI_DIR)]) == 0
    assert cli(["restore", "sample"]) == 0
    entries = audit.entries(store)
    assert [(e.who, e.role, e.action, e.outcome) for e in entries] == [
        (f"cli:{getpass.getuser()}", DATA_ADMIN, "import", "done"),
        (f"cli:{getpass.getuser()}", DATA_ADMIN, "restore", "done"),
    ]


def test_the_data_admin_sees_the_audit_log_on_the_data_page(signed_in, store):
    assert cli(["import", str(MINI_DIR)]) == 0
    with pytest.raises(changes.Refused):
        changes.restore(store, "sample", viewers()["firm"])
    at = signed_in(data_admin(), page=DATA_PAGE)
    log = next(d.value for d in at.dataframe if "SHA-256" in d.value.columns)
    assert list(log["사용자"]) == ["kim@supplier.example.com", f"cli:{getpass.getuser()}"]
    assert list(log["결과"]) == ["거부", "완료"] and list(log["작업"]) == ["되돌리기", "가져오기"]
    assert log.loc[1, "버전"] == "v0001" and "participations " in log.loc[1, "SHA-256"]
    # The manager's summary comes first: the whole data set, which version, as of when, loaded by whom.
    first = " ".join(shown(m.value) for m in at.markdown)
    assert "불러온 데이터 전체" in at.info[0].value
    assert "저장소 버전 v0001" in first and f"cli:{getpass.getuser()}(가져오기" in first


def test_a_damaged_audit_line_is_shown_not_dropped(store):
    admin = Viewer("데이터팀", ADMIN_EMAIL, DATA_ADMIN)
    changes.restore(store, "sample", admin)
    with open(audit.path(store.root), "a", encoding="utf-8") as f:
        f.write('{"who": "torn\n')
    changes.restore(store, "sample", admin)
    found = audit.entries(store)
    assert [e.outcome for e in found] == ["done", "?", "done"]
    assert "2번째 줄" in found[1].detail


# --- local and anonymous modes, settings -------------------------------------------------------


def test_local_mode_is_one_local_data_admin_with_a_notice(app):
    at = app(page=DATA_PAGE)
    assert access.LOCAL_NOTICE in [c.value for c in at.sidebar.caption]
    assert "데이터 올리기" in tab_labels(at) and at.file_uploader
    assert not [b for b in at.sidebar.button if b.label == "로그아웃"]


def test_local_mode_is_refused_when_the_server_listens_beyond_this_computer(monkeypatch):
    monkeypatch.delenv(access.ANONYMOUS_ENV, raising=False)
    with patch_config_options({"server.address": "0.0.0.0"}):
        refused = access.resolve()
    assert isinstance(refused, Refusal) and refused.kind == access.MISCONFIGURED
    assert "server.address" in refused.reason and access.ANONYMOUS_ENV in refused.reason
    with patch_config_options({"server.address": "127.0.0.1"}):
        local = access.resolve()
    assert isinstance(local, Viewer) and (local.mode, local.role) == (access.LOCAL, DATA_ADMIN)


def test_anonymous_mode_is_read_only_with_the_executive_scope(app, monkeypatch, store):
    monkeypatch.setenv(access.ANONYMOUS_ENV, "1")
    at = app(page=DATA_PAGE)
    assert access.ANONYMOUS_NOTICE in [c.value for c in at.sidebar.caption]
    assert tab_labels(at) == ["현재 데이터", "버전 기록", "데이터 규격"]
    assert not at.file_uploader
    with pytest.raises(changes.Refused):
        changes.import_checked(mini_result(), store, access.current_viewer())
    assert audit.entries(store)[0].who == "anonymous"


def test_a_bad_anonymous_setting_is_named_and_shows_no_data(app, monkeypatch):
    monkeypatch.setenv(access.ANONYMOUS_ENV, "yes")
    at = app()
    assert any(access.ANONYMOUS_ENV in e.value and "'yes'" in e.value for e in at.error)
    expect_no_data(at, "sample")


def test_incomplete_auth_settings_are_named_without_their_values(signed_in):
    broken = {"auth": {**AUTH, "cookie_secret": "short"}}
    del broken["auth"]["client_id"]
    at = signed_in(executive(), secrets=broken)
    [error] = at.error
    assert "client_id" in error.value and "cookie_secret" in error.value
    assert "short" not in error.value and AUTH["client_secret"] not in error.value
    expect_no_data(at, "sample")


def test_claims_win_over_the_access_table():
    found = access.identity(executive(), {"ceo@example.com": {"role": DATA_ADMIN}})
    assert isinstance(found, Viewer) and found.role == EXECUTIVE and found.scope_firm_ids is None
    firm = access.identity(firm_user(" C161 "), {})
    assert isinstance(firm, Viewer) and firm.scope_firm_ids == ("C161",)
    entry = access.identity({"is_logged_in": True, "email": "KIM@x.com"}, {"kim@X.com": "firm"})
    assert isinstance(entry, Refusal) and "role과 firm_id를 담은 표" in entry.reason


@pytest.mark.parametrize("table", [{"access": "x"}, {"access": {"users": ["kim@x.com"]}}])
def test_a_malformed_access_table_is_named_and_shows_no_data(signed_in, table):
    at = signed_in(data_admin(), secrets={"auth": AUTH, **table})
    assert any("[access.users]" in e.value for e in at.error)
    expect_no_data(at, "sample")


def test_secrets_stay_out_of_the_repository():
    example = (ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8")
    assert all(not line.strip() or line.startswith("#") for line in example.splitlines()), "example is all comments"
    for key in (*access.AUTH_KEYS, "client_kwargs", "[access.users."):
        assert key in example, key
    if (ROOT / ".git").exists():
        ignored = subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=ROOT, check=False)
        assert ignored.returncode == 0, ".streamlit/secrets.toml must be git-ignored"
