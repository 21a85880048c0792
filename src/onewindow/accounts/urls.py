from django.contrib.auth import views as auth_views
from django.urls import path

from onewindow.accounts import views, views_agents

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("authorisations/", views_agents.authorisations, name="authorisations"),
    path("authorisations/<int:pk>/revoke/", views_agents.authorisation_revoke,
         name="authorisation_revoke"),
    path("agents/", views_agents.assignments, name="agent_assignments"),
    path("agents/<int:pk>/end/", views_agents.assignment_end, name="agent_assignment_end"),
]
