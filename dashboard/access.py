"""Who is looking, and what they may see and do: identity → role and firm scope.

Nothing else decides scope. Three ways to run:
- **sign-in** when `st.secrets` has an `[auth]` section: the OIDC identity of `st.user` (Streamlit's
  `st.login`) gives the role and firm through the ID token's claims `dashboard_role` and `firm_id`, or,
  where the identity provider cannot add claims, through `[access.users."<e-mail>"]` in secrets;
- **local** without `[auth]`: one local user with `data_admin` rights, admitted only while the server
  listens on this computer alone (`make run` binds 127.0.0.1);
- **anonymous** without `[auth]` and with `DASHBOARD_ALLOW_ANONYMOUS=1`: anyone, read-only with the
  executive's scope. Unsafe on a network: documented as such.

Anything else is refused (deny by default): signed out, no role, an unknown role, a firm role without a
firm, a bad setting. Messages name the claim or setting, never a secret's value.
"""

from __future__ import annotations

import dataclasses
import getpass
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st
from streamlit import config

from dashboard import safe
from dashboard.db import Scope
from dashboard.filters import FIELD_LABELS, Options, reflected

EXECUTIVE, FIRM, DATA_ADMIN = "executive", "firm", "data_admin"
ROLES = (EXECUTIVE, FIRM, DATA_ADMIN)
ROLE_LABELS = {EXECUTIVE: "경영진", FIRM: "협력기업", DATA_ADMIN: "데이터 관리자"}
SIGNED_IN, LOCAL, ANONYMOUS, CLI = "signed_in", "local", "anonymous", "cli"
ROLE_CLAIM, FIRM_CLAIM = "dashboard_role", "firm_id"
ANONYMOUS_ENV = "DASHBOARD_ALLOW_ANONYMOUS"
# st.login() without a provider name uses these keys of [auth] itself (one OIDC provider).
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
MIN_COOKIE_SECRET = 32
LOOPBACK = ("127.0.0.1", "localhost", "::1")
LOCAL_NOTICE = "로컬 모드: 로그인 없이 이 컴퓨터에서만 열립니다"
ANONYMOUS_NOTICE = "익명 모드: 로그인 없이 누구나 읽기 전용으로 봅니다 (네트워크에서는 안전하지 않음)"
DENIED_TITLE = "접근 권한이 없습니다"
SIGNED_OUT, DENIED, MISCONFIGURED = "signed_out", "denied", "misconfigured"

_LOG = logging.getLogger(__name__)


class SettingError(Exception):
    """A setting has a value the dashboard cannot use; the Korean message names the setting."""


class AccessRefused(Exception):
    """Raised when something asks for the viewer of a run that was not admitted."""


@dataclass(frozen=True)
class Viewer:
    name: str
    email: str
    role: str
    firm_id: str | None = None
    mode: str = SIGNED_IN

    @property
    def scope_firm_ids(self) -> tuple[str, ...] | None:
        """The firms whose rows this viewer may see: None for every firm, else a tuple of company_ids."""
        return (self.firm_id,) if self.role == FIRM else None

    @property
    def scope(self) -> Scope:
        """What every query this viewer runs may see (applied in `dashboard/db.py`)."""
        return Scope(self.scope_firm_ids)

    @property
    def may_change_data(self) -> bool:
        """Upload, import and restore."""
        return self.role == DATA_ADMIN

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def who(self) -> str:
        """How the audit log names this viewer."""
        if self.mode in (LOCAL, CLI):
            return f"{self.mode}:{self.name}"
        if self.mode == ANONYMOUS:
            return ANONYMOUS
        return self.email or self.name


@dataclass(frozen=True)
class Refusal:
    kind: str  # SIGNED_OUT, DENIED or MISCONFIGURED
    reason: str = ""
    email: str = ""


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return f"uid{os.getuid()}"


def cli_viewer() -> Viewer:
    """The person at the command line: whoever can run the CLI on the server can already write the store."""
    return Viewer(_os_user(), "", DATA_ADMIN, mode=CLI)


def anonymous_allowed() -> bool:
    value = os.environ.get(ANONYMOUS_ENV, "").strip()
    if value in ("", "0"):
        return False
    if value == "1":
        return True
    raise SettingError(
        f"환경 변수 {ANONYMOUS_ENV}의 값 '{value}'은(는) 쓸 수 없습니다. 1(켜기) 또는 0(끄기)으로 두세요."
    )


def auth_section() -> Mapping | None:
    """The `[auth]` section of the secrets, or None when sign-in is not configured."""
    if not st.secrets.load_if_toml_exists():
        return None
    return st.secrets.get("auth")


def auth_problems(auth: Mapping) -> list[str]:
    """What keeps `[auth]` from working, each naming the key (never its value)."""
    problems = [f"[auth]에 {key} 값이 없습니다." for key in AUTH_KEYS if not str(auth.get(key, "")).strip()]
    redirect = str(auth.get("redirect_uri", ""))
    if redirect and not redirect.rstrip("/").endswith("/oauth2callback"):
        problems.append("[auth]의 redirect_uri는 …/oauth2callback 으로 끝나야 합니다.")
    secret = str(auth.get("cookie_secret", ""))
    if secret and len(secret) < MIN_COOKIE_SECRET:
        problems.append(f"[auth]의 cookie_secret은 {MIN_COOKIE_SECRET}자 이상의 무작위 문자열이어야 합니다.")
    return problems


def _served_beyond_this_computer() -> bool:
    # AppTest runs the script with no server at all, so nothing is listening.
    if config.get_option("global.appTest"):
        return False
    return config.get_option("server.address") not in LOOPBACK


def _role_from(source: Mapping, role_key: str, where: str, email: str) -> Viewer | Refusal:
    role, firm_id = source.get(role_key), source.get(FIRM_CLAIM)
    if role not in ROLES:
        known = ", ".join(ROLES)
        return Refusal(DENIED, f"{where}: 역할 '{role}'은(는) 알 수 없습니다 ({known} 중 하나여야 합니다).", email)
    if role == FIRM and not (isinstance(firm_id, str) and firm_id.strip()):
        return Refusal(DENIED, f"{where}: firm 역할에는 소속 기업의 firm_id(company_id)가 필요합니다.", email)
    return Viewer("", email, role, firm_id.strip() if role == FIRM else None)


def access_users() -> Mapping:
    """`[access.users]` of the secrets: e-mail -> {role, firm_id}; empty when there is none."""
    table = st.secrets.get("access", {})
    users = table.get("users", {}) if isinstance(table, Mapping) else None
    if not isinstance(users, Mapping):
        raise SettingError('secrets의 [access]와 [access.users]는 표여야 합니다 ([access.users."e-mail"] role = …).')
    return users


def identity(user: Mapping, users: Mapping) -> Viewer | Refusal:
    """The role of a signed-in identity: the token's claims, else `[access.users]` by e-mail."""
    email = str(user.get("email") or "")
    name = str(user.get("name") or email or "사용자")
    if ROLE_CLAIM in user:
        found = _role_from(user, ROLE_CLAIM, f"ID 토큰의 {ROLE_CLAIM} 클레임", email)
    else:
        entry = {key.casefold(): value for key, value in users.items()}.get(email.casefold()) if email else None
        if entry is None:
            found = Refusal(
                DENIED,
                f"{email or '이 계정'}에 정해진 역할이 없습니다. 관리자에게 ID 토큰의 {ROLE_CLAIM} 클레임이나 "
                f'secrets의 [access.users."{email or "e-mail"}"] 항목을 요청하세요.',
                email,
            )
        elif user.get("email_verified") is False:
            unverified = "이메일 주소가 확인되지 않은 계정(email_verified = false)은 [access] 표로 들일 수 없습니다."
            found = Refusal(DENIED, unverified, email)
        elif not isinstance(entry, Mapping):
            found = Refusal(DENIED, f'secrets의 access.users."{email}"는 role과 firm_id를 담은 표여야 합니다.', email)
        else:
            found = _role_from(entry, "role", f'secrets의 [access.users."{email}"]', email)
    return dataclasses.replace(found, name=name) if isinstance(found, Viewer) else found


def resolve() -> Viewer | Refusal:
    """The viewer of this script run, or why there is none. Draws nothing."""
    try:
        anonymous = anonymous_allowed()
        auth = auth_section()
        users = access_users() if auth is not None else {}
    except SettingError as exc:
        return Refusal(MISCONFIGURED, str(exc))
    if auth is None:
        if anonymous:
            return Viewer("익명 사용자", "", EXECUTIVE, mode=ANONYMOUS)
        if _served_beyond_this_computer():
            return Refusal(
                MISCONFIGURED,
                "로그인 설정([auth])이 없는데 서버가 이 컴퓨터 밖에서도 열려 있습니다 "
                f"(server.address = '{config.get_option('server.address') or '모든 주소'}'). "
                "`make run`처럼 --server.address 127.0.0.1 로 실행하거나, secrets에 [auth]를 설정하거나, "
                f"읽기 전용 익명 모드({ANONYMOUS_ENV}=1)를 켜세요.",
            )
        return Viewer(_os_user(), "", DATA_ADMIN, mode=LOCAL)
    if problems := auth_problems(auth):
        return Refusal(MISCONFIGURED, " ".join(problems))
    if not st.user.get("is_logged_in"):
        return Refusal(SIGNED_OUT)
    return identity(st.user, users)


def current_viewer() -> Viewer:
    """The admitted viewer of this run; raises AccessRefused when there is none (fail closed)."""
    found = resolve()
    if isinstance(found, Refusal):
        raise AccessRefused(found.reason or found.kind)
    return found


def _show_refusal(refusal: Refusal) -> None:
    st.title("산업혁신운동 성과 대시보드")
    if refusal.kind == SIGNED_OUT:
        st.markdown("한국서부발전 산업혁신운동 성과를 보려면 회사 계정으로 로그인하세요.")
        if st.button("로그인", type="primary", icon=":material/login:", key="sign_in"):
            st.login()
        return
    if refusal.kind == MISCONFIGURED:
        _LOG.error("dashboard settings refused: %s", refusal.reason)
        # markdown: the reason quotes the operator's settings, with `code` marks of its own.
        st.error(f"설정 문제로 대시보드를 열 수 없습니다. {refusal.reason}", icon=":material/error:")
        return
    _LOG.warning("access denied for %s: %s", refusal.email or "(no e-mail)", refusal.reason)
    st.header(DENIED_TITLE)
    st.warning(safe.md(refusal.reason), icon=":material/block:")
    if refusal.email:
        st.caption(f"로그인한 계정: {safe.md(refusal.email)}")
    if st.button("로그아웃", key="sign_out_denied", icon=":material/logout:"):
        st.logout()


def admit(found: Viewer | Refusal | None = None) -> Viewer:
    """The viewer of this run; otherwise draw the sign-in, refusal or settings screen and stop the run.
    Runs before the data is opened and before the sidebar, so a refused visitor sees neither."""
    found = resolve() if found is None else found
    if isinstance(found, Viewer):
        return found
    _show_refusal(found)
    st.stop()


def show_identity(viewer: Viewer) -> None:
    """Sidebar: who is signed in and as what, with sign-out; or which sign-in-less mode this is."""
    bar = st.sidebar
    if viewer.mode == LOCAL:
        bar.caption(LOCAL_NOTICE)
    elif viewer.mode == ANONYMOUS:
        bar.caption(ANONYMOUS_NOTICE)
    else:
        bar.markdown(f":material/account_circle: **{safe.md(viewer.name)}** · {viewer.role_label}")
        if bar.button("로그아웃", key="sign_out", icon=":material/logout:"):
            st.logout()


def scoped_options(options: Options, viewer: Viewer) -> Options:
    """What the sidebar may offer this viewer: a firm user's own firm only. A firm user whose firm is not
    in the data is refused here (the screen is drawn and the run stops)."""
    if viewer.scope_firm_ids is None:
        return options
    if viewer.firm_id not in options.companies:
        admit(Refusal(DENIED, f"소속 기업(firm_id '{viewer.firm_id}')이 지금 데이터에 없습니다.", viewer.email))
    return dataclasses.replace(options, companies={viewer.firm_id: options.companies[viewer.firm_id]})


def narrow_url(query: Mapping[str, list[str]], viewer: Viewer) -> tuple[dict[str, list[str]], list[str]]:
    """A firm user's URL cannot choose firms: `company` is dropped, with a warning when it named another
    firm (the same warning whether that firm exists or not, so the URL cannot probe for firms)."""
    narrowed = dict(query)
    if viewer.scope_firm_ids is None or "company" not in narrowed:
        return narrowed, []
    others = [v for v in narrowed.pop("company") if v != viewer.firm_id]
    if not others:
        return narrowed, []
    return narrowed, [
        f"URL의 'company'({FIELD_LABELS['company']}) 값 {reflected(others)}은(는) 볼 수 없는 기업이어서 무시했습니다. "
        "소속 기업의 자료만 보여 줍니다."
    ]
