"""Sign-in in Chromium against a real OIDC provider (PyPI `oidc-provider-mock`, started here on
127.0.0.1): a firm user, an executive and a data admin sign in, see their role, scope and controls, and
sign out; an authentication the provider refuses, an identity without a role and a tampered identity
cookie get no data; the cookie and client secrets appear in no page and no server log.

The mock provider has no passwords: its form takes a subject and offers "Deny", which answers the app
exactly as a failed sign-in does (`error=access_denied`), so that stands for the wrong password."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from itsdangerous import URLSafeTimedSerializer
from playwright.sync_api import BrowserContext, Page, expect

from dashboard import access
from dashboard.filters import Filters
from tests.e2e import browser
from tests.helpers import expected_cards
from tests.reference import load, read_frames

KMT_ID, KMT_NAME = "C161", "경민테크"
FIRM = {"sub": "kim@supplier.example.com", "email": "kim@supplier.example.com", "name": "김협력"}
EXECUTIVE = {"sub": "ceo@example.com", "email": "ceo@example.com", "name": "김대표"}
# The data admin's role comes from the [access] table: the provider gives no role claim.
ADMIN = {"sub": "data.team@example.com", "email": "data.team@example.com", "name": "데이터팀"}
USER_COOKIE = "_streamlit_user"
PROVIDER_TIMEOUT_S = 30


def provider_users() -> list[dict]:
    return [
        {**FIRM, "dashboard_role": "firm", "firm_id": KMT_ID},
        {**EXECUTIVE, "dashboard_role": "executive"},
        ADMIN,
    ]


@pytest.fixture(scope="session")
def provider(tmp_path_factory) -> Iterator[str]:
    """The OIDC provider on a free local port; yields its issuer URL."""
    port = browser.free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("oidc") / "provider.log"
    users = [arg for user in provider_users() for arg in ("--user-claims", json.dumps(user, ensure_ascii=False))]
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port), *users]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + PROVIDER_TIMEOUT_S
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"the OIDC provider did not start:\n{log_path.read_text()}") from None
                    time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=20)


@pytest.fixture(scope="session")
def auth_secrets() -> dict[str, str]:
    """Made up for this run, so a leak cannot hide behind a value kept in the repository."""
    return {"cookie_secret": secrets.token_hex(32), "client_secret": secrets.token_hex(16)}


@pytest.fixture(scope="session")
def signin_app(chromium, provider: str, auth_secrets, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The app on the sample with sign-in on: a secrets file of its own in a temporary folder (the
    project's .streamlit/secrets.toml, if any, is not read). Yields (base URL, server log)."""
    workdir = tmp_path_factory.mktemp("signin")
    secrets_file = workdir / "secrets.toml"
    secrets_file.write_text(
        f"""[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "{auth_secrets["cookie_secret"]}"
client_id = "innovation-dashboard"
client_secret = "{auth_secrets["client_secret"]}"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[access.users."{ADMIN["email"]}"]
role = "data_admin"
""",
        encoding="utf-8",
    )
    with browser.serve(workdir, secrets_file=secrets_file) as url:
        yield url, workdir / "streamlit.log"


@pytest.fixture
def visitor(new_context) -> Page:
    """A fresh browser (no cookies) that reaches nothing beyond this computer: the provider's form
    links a stylesheet on a public CDN."""
    return _local_only(new_context()).new_page()


def _local_only(context: BrowserContext) -> BrowserContext:
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
    return context


def expect_sign_in_screen(page: Page) -> None:
    expect(page.get_by_role("button", name="로그인")).to_be_visible()
    expect_no_data(page)


def expect_no_data(page: Page) -> None:
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(page.get_by_role("combobox")).to_have_count(0)
    expect(page.get_by_test_id("stApp")).not_to_contain_text(KMT_NAME)


def expect_no_secret(page: Page, auth_secrets: dict[str, str]) -> None:
    html = page.content()
    assert all(value not in html for value in auth_secrets.values())


def start_sign_in(page: Page, base_url: str, provider: str) -> None:
    browser.open_app(page, base_url)
    expect_sign_in_screen(page)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(f"{provider}/oauth2/authorize?*")


def sign_in(page: Page, base_url: str, provider: str, sub: str) -> None:
    start_sign_in(page, base_url, provider)
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base_url}/")
    browser.wait_idle(page)


def expect_identity(page: Page, name: str, role: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text(name)
    expect(sidebar).to_contain_text(access.ROLE_LABELS[role])


def sign_out(page: Page, base_url: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("button", name="로그아웃").click()
    # The provider's end-session page asks to confirm, then sends the browser back to the app.
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{base_url}/")
    browser.wait_idle(page)
    expect_sign_in_screen(page)


def open_data_page(page: Page, base_url: str) -> None:
    browser.nav_link(page, "데이터").click()
    page.wait_for_url(re.compile(rf"^{re.escape(base_url)}/data(\?.*)?$"))
    browser.wait_idle(page)


def tab_labels(page: Page) -> list[str]:
    return [t.strip() for t in page.get_by_role("tab").all_inner_texts()]


def test_signed_out_visitor_sees_only_the_sign_in_screen(visitor: Page, signin_app, auth_secrets):
    base_url, _ = signin_app
    for path in ("/", "/companies?company=C161", "/data"):
        browser.open_app(visitor, base_url, path)
        expect_sign_in_screen(visitor)
        expect(visitor.locator('input[type="file"]')).to_have_count(0)
        expect_no_secret(visitor, auth_secrets)


def test_firm_user_signs_in_sees_their_firm_only_and_signs_out(visitor: Page, signin_app, provider, auth_secrets):
    base_url, _ = signin_app
    sign_in(visitor, base_url, provider, FIRM["sub"])
    expect_identity(visitor, FIRM["name"], "firm")
    sidebar = visitor.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text(f"기업: {KMT_NAME}")
    expect(sidebar.get_by_role("combobox", name=browser.COMPANY_LABEL, exact=True)).to_have_count(0)
    expect(visitor.get_by_test_id("stMetric")).to_have_count(7)
    expect_no_secret(visitor, auth_secrets)

    open_data_page(visitor, base_url)
    assert tab_labels(visitor) == ["현재 데이터", "데이터 규격"]
    expect(visitor.locator('input[type="file"]')).to_have_count(0)

    browser.open_app(visitor, base_url, query="company=C002")
    expect(visitor.get_by_test_id("stAlertContentWarning")).to_contain_text("볼 수 없는 기업이어서 무시했습니다")
    assert "company" not in browser.query_of(visitor.url)
    sign_out(visitor, base_url)


def test_firm_user_cards_equal_the_reference_for_their_firm(visitor: Page, signin_app, provider):
    base_url, _ = signin_app
    frames = read_frames(browser.SAMPLE_DIR)
    years = frames["participations"]["year"]
    f = Filters(int(years.min()), int(years.max()), company_ids=(KMT_ID,))
    expected = expected_cards(load(browser.SAMPLE_DIR), f)
    sign_in(visitor, base_url, provider, FIRM["sub"])
    for label, value in expected.items():
        expect(browser.card_value(visitor, label)).to_have_text(value, timeout=5_000)


def test_executive_signs_in_sees_every_firm_without_data_controls(visitor: Page, signin_app, provider, auth_secrets):
    base_url, _ = signin_app
    sign_in(visitor, base_url, provider, EXECUTIVE["sub"])
    expect_identity(visitor, EXECUTIVE["name"], "executive")
    expect(browser.card_value(visitor, "지원 기업")).to_have_text("161개사")
    browser.choose(visitor, browser.COMPANY_LABEL, KMT_NAME)
    expect(browser.selected_tags(visitor, browser.COMPANY_LABEL)).to_have_text([KMT_NAME])

    open_data_page(visitor, base_url)
    assert tab_labels(visitor) == ["현재 데이터", "버전 기록", "데이터 규격"]
    expect(visitor.locator('input[type="file"]')).to_have_count(0)
    expect(visitor.get_by_role("button", name="이 버전으로 되돌리기")).to_have_count(0)
    expect_no_secret(visitor, auth_secrets)
    sign_out(visitor, base_url)


def test_data_admin_signs_in_and_has_upload_restore_and_the_audit_log(
    visitor: Page, signin_app, provider, auth_secrets
):
    base_url, _ = signin_app
    sign_in(visitor, base_url, provider, ADMIN["sub"])
    expect_identity(visitor, ADMIN["name"], "data_admin")
    open_data_page(visitor, base_url)
    assert tab_labels(visitor) == ["현재 데이터", "데이터 올리기", "버전 기록", "변경 기록", "데이터 규격"]
    visitor.get_by_role("tab", name="데이터 올리기").click()
    expect(visitor.locator('input[type="file"]')).to_have_count(1)
    visitor.get_by_role("tab", name="변경 기록").click()
    expect(visitor.get_by_test_id("stMain")).to_contain_text("audit.log")
    expect_no_secret(visitor, auth_secrets)
    sign_out(visitor, base_url)


def test_a_sign_in_the_provider_refuses_gets_no_data(visitor: Page, signin_app, provider):
    base_url, _ = signin_app
    start_sign_in(visitor, base_url, provider)
    visitor.get_by_role("button", name="Deny").click()
    visitor.wait_for_url(f"{base_url}/")
    browser.wait_idle(visitor)
    expect_sign_in_screen(visitor)
    assert USER_COOKIE not in {c["name"] for c in visitor.context.cookies()}


def test_an_identity_without_a_role_is_denied(visitor: Page, signin_app, provider):
    base_url, _ = signin_app
    sign_in(visitor, base_url, provider, "stranger@example.com")
    expect(visitor.get_by_test_id("stMain")).to_contain_text(access.DENIED_TITLE)
    expect(visitor.get_by_test_id("stMetric")).to_have_count(0)
    expect(visitor.get_by_role("combobox")).to_have_count(0)
    expect(visitor.get_by_test_id("stApp")).not_to_contain_text(KMT_NAME)


def admin_payload() -> str:
    return json.dumps({**ADMIN, "dashboard_role": "data_admin", "is_logged_in": True, "provider": "default"})


def signed_elsewhere() -> str:
    """A data admin's identity cookie signed with a key that is not the server's."""
    return URLSafeTimedSerializer("not-the-cookie-secret", salt=USER_COOKIE).dumps(admin_payload())


def forged(value: str) -> str:
    """The identity cookie's payload swapped for a data admin's, keeping the server's timestamp and signature."""
    payload = signed_elsewhere().rsplit(".", 2)[0]
    _, timestamp, signature = value.rsplit(".", 2)
    return f"{payload}.{timestamp}.{signature}"


@pytest.fixture(scope="module")
def executive_cookie(chromium, signin_app, provider) -> dict:
    """An executive's identity cookie from one real sign-in, shown to carry over: a fresh browser given
    only this cookie sees the data (so a tampered copy that does not is refused for the tampering)."""
    base_url, _ = signin_app
    signed_in, fresh = (_local_only(browser.new_context(chromium)) for _ in range(2))
    try:
        page = signed_in.new_page()
        sign_in(page, base_url, provider, EXECUTIVE["sub"])
        expect(page.get_by_test_id("stMetric")).to_have_count(7)
        cookie = next(c for c in signed_in.cookies() if c["name"] == USER_COOKIE)
        fresh.add_cookies([cookie])
        page = fresh.new_page()
        browser.open_app(page, base_url)
        expect_identity(page, EXECUTIVE["name"], "executive")
        expect(page.get_by_test_id("stMetric")).to_have_count(7)
    finally:
        signed_in.close()
        fresh.close()
    return cookie


@pytest.mark.parametrize("tamper", ["flipped", "forged", "wrong-key"])
def test_a_tampered_identity_cookie_gets_no_data(visitor: Page, signin_app, executive_cookie, tamper):
    base_url, _ = signin_app
    context = visitor.context
    cookie = executive_cookie
    value = cookie["value"]
    if tamper == "flipped":
        middle = len(value) // 2
        value = value[:middle] + ("A" if value[middle] != "A" else "B") + value[middle + 1 :]
    elif tamper == "forged":
        value = forged(value)
    else:
        value = signed_elsewhere()
    assert value != cookie["value"]
    context.add_cookies([{**cookie, "value": value}])
    browser.open_app(visitor, base_url)
    expect_sign_in_screen(visitor)


def test_the_secrets_are_in_no_server_log(signin_app, auth_secrets):
    """Runs after the sign-ins above (same session server): nothing they did wrote a secret to the log."""
    _, log = signin_app
    text = log.read_text(encoding="utf-8", errors="replace")
    assert text, "the server log is empty: nothing was checked"
    assert all(value not in text for value in auth_secrets.values())
