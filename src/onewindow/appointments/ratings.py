"""The "visit" rating subject for feedback: a served queue ticket, attributed to the window
and the clerk that served it and to the item's department (which a bad review sends the
rectification to). feedback owns ratings; this module only speaks its contract: a resolver
registered in AppConfig.ready(), and `rating_invite` when a ticket is served."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from onewindow.appointments import selectors
from onewindow.appointments.models import QueueTicket
from onewindow.feedback.selectors import ratings_by_subject
from onewindow.feedback.services import rating_invite
from onewindow.feedback.subjects import Subject

KIND = "visit"


def visit_title(ticket: QueueTicket) -> str:
    day = ticket.day
    return _("%(month)s月%(day)s日 %(hall)s %(window)s号窗口 %(item)s（%(number)s）") % {
        "month": day.month, "day": day.day, "hall": ticket.hall.name,
        "window": ticket.window.number if ticket.window else "", "item": ticket.booking.item.name,
        "number": ticket.number}


def resolve_visit(user, object_id: int) -> Subject | None:
    """The ticket when `user` is the person served on it; else None."""
    ticket = selectors.served_ticket_for_rating(user=user, ticket_id=object_id)
    if ticket is None:
        return None
    return Subject(obj=ticket, department=ticket.booking.item.department, window=ticket.window,
                   clerk=ticket.served_by, title=visit_title(ticket),
                   url=reverse("appointments:mine"))


def invite(booking) -> None:
    """Invite the person just served to rate the visit (once; feedback reminds once)."""
    ticket = (QueueTicket.objects.select_related("hall", "window", "booking__item")
              .get(booking=booking))
    rating_invite(kind=KIND, object_id=ticket.pk, users=[booking.applicant],
                  title=visit_title(ticket))


def rate_url(ticket_id: int) -> str:
    return reverse("feedback:rate", kwargs={"kind": KIND, "object_id": ticket_id})


def attach_rate_links(bookings) -> None:
    """Set `rate_url` and `rating` on served bookings (for 我的预约)."""
    served = [b for b in bookings if b.state == "served" and hasattr(b, "ticket")]
    ratings = ratings_by_subject(model=QueueTicket, ids=[b.ticket.pk for b in served])
    for booking in served:
        booking.rate_url = rate_url(booking.ticket.pk)
        booking.rating = ratings.get(booking.ticket.pk)

