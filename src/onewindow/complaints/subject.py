"""The "request" rating subject for feedback: a requester rates the answer to their own
request, once it is answered (or closed)."""

from __future__ import annotations

from django.urls import reverse

from onewindow.complaints.enums import ANSWERED_STATES
from onewindow.complaints.models import ServiceRequest
from onewindow.feedback.subjects import Subject


def resolve_request(user, object_id: int) -> Subject | None:
    request = (ServiceRequest.objects.select_related("lead_department", "window", "answered_by")
               .filter(pk=object_id, requester=user).first())
    if request is None or request.state not in ANSWERED_STATES:
        return None
    return Subject(obj=request, department=request.lead_department, window=request.window,
                   clerk=request.answered_by, title=f"{request.number} {request.title}",
                   url=reverse("complaints:detail", args=[request.pk]))
