"""Small helpers for views that answer htmx requests with a partial."""


def is_htmx(request) -> bool:
    """An htmx request that wants a partial. A history restore, and a boosted link or form
    (`hx-boost`: the staff's actions), ask for the whole page even though they come from htmx."""
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true"
            and request.headers.get("HX-Boosted") != "true")
