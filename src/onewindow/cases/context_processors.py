from onewindow.cases import notify


def unread(request):
    """`unread_notifications`: the signed-in user's unread count, counted only if a template
    uses it (templates call callables)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: notify.unread_count(user)}
