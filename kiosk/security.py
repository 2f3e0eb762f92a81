"""Security headers on every response."""

from flask import current_app, request

from kiosk.access import access_of

CSP = "; ".join(
    [
        "default-src 'self'",
        # 'wasm-unsafe-eval' lets the page compile WebAssembly (the vendored QR reader that
        # scan.js uses where the browser has no BarcodeDetector); it allows no JavaScript eval.
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "media-src 'self' blob:",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _console(endpoint: str | None) -> bool:
    """A staff page or download, or the sign-in page: never kept in any cache. Static
    assets keep their caching; the kiosk and patrol device faces set their own headers
    for the service worker (kiosk/blueprints/offline/http.py `no_store`)."""
    if endpoint is None:
        return False
    if endpoint.startswith("auth."):
        return True
    access = access_of(endpoint)
    return access is not None and access.kind == "staff"


def set_headers(response):
    headers = response.headers
    if _console(request.endpoint) and "no-store" not in headers.get("Cache-Control", ""):
        # Personal data (phones, names, ID numbers) must not stay in a shared desk's
        # browser cache or a proxy; send_file's default "no-cache" still stores.
        headers["Cache-Control"] = "no-store"
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    # The patrol tablets and the kiosk use the camera for photos and QR scans; nothing else may.
    headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config["HTTPS"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
