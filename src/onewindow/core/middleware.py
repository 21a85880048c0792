"""Middleware of our own."""

from csp.constants import HEADER
from csp.middleware import CSPMiddleware as BaseCSPMiddleware

# Nothing in a JSON answer may load, run or frame anything (the OWASP REST advice).
API_POLICY = "default-src 'none'; frame-ancestors 'none'"


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, except for the API's JSON answers, which get one fixed policy.

    django-csp builds the pages' policy and its report-only twin from the settings on every
    response, a noticeable part of the API's most frequent call (the case status). A JSON
    answer needs no page policy: it gets `API_POLICY`, written once. The API's
    HTML (its documentation page) is a page like any other."""

    def process_response(self, request, response):
        if request.path_info.startswith("/api/") \
                and response.get("Content-Type", "").startswith("application/json"):
            if HEADER not in response:
                response[HEADER] = API_POLICY
            return response
        return super().process_response(request, response)
