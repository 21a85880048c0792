from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from onewindow.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
def profile(request):
    user = request.user
    return render(request, "accounts/profile.html", {
        "profile_user": user,
        "memberships": user.memberships.select_related("enterprise"),
    })
