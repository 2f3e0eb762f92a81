"""Security headers on every response (CSP without inline script, framing, sniffing, referrer, cookies)."""


def test_headers_on_a_page(client):
    headers = client.get("/auth/login").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval';" in csp
    assert "unsafe-inline" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_script_src_allows_webassembly_and_nothing_more(client):
    """The QR reader (scan.js, vendored polyfill) compiles WebAssembly: 'wasm-unsafe-eval'
    allows that and no JavaScript eval, no inline script, no other origin."""
    csp = client.get("/auth/login").headers["Content-Security-Policy"]
    script_src = next(d.strip() for d in csp.split(";") if d.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'", "'wasm-unsafe-eval'"]


def test_no_inline_script_in_the_layout(client):
    page = client.get("/auth/login").text
    assert "<script>" not in page
    for line in page.splitlines():
        if "<script" in line:
            assert 'src="/static/' in line  # only our own origin's vendored files


def test_cookies_are_http_only_and_lax_by_default(world, client):
    response = client.login("reception")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_secure_cookies_and_hsts_over_https(tmp_path):
    from kiosk import create_app
    from tests.conftest import make_config

    app = create_app(make_config(tmp_path, HTTPS=True, SESSION_COOKIE_SECURE=True))
    response = app.test_client().get("/auth/login?lang=en", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
