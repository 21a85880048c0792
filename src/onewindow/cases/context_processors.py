from onewindow.accounts.enums import APPLICANT_ROLES
from onewindow.cases import notify


def unread(request):
    """`unread_notifications`: the signed-in user's unread count, counted only if a template
    uses it (templates call callables); `may_apply`: whether 在线申请 leads anywhere for this
    user (a visitor is taken to the login first; staff may not apply)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"may_apply": True}
    return {"unread_notifications": lambda: notify.unread_count(user),
            "may_apply": user.role in APPLICANT_ROLES}
