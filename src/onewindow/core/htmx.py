"""Small helpers for views that answer htmx requests with a partial."""


def is_htmx(request) -> bool:
    """An htmx request that wants a partial. A history restore asks for the whole page even
    though it comes from htmx."""
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true")
