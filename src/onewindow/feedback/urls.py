from django.urls import path

from onewindow.feedback import views

app_name = "feedback"
urlpatterns = [
    path("rate/<slug:kind>/<int:object_id>/", views.rate, name="rate"),
    path("mine/", views.my_ratings, name="mine"),
    path("rectifications/", views.rectification_queue, name="queue"),
    path("rectifications/review/", views.review_queue, name="review"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path("rectifications/<int:pk>/<slug:action>/", views.rectification_act,
         name="rectification_action"),
    path("ranking/", views.ranking, name="ranking"),
    path("surveys/import/", views.survey_import_page, name="survey_import"),
    path("surveys/template.xlsx", views.survey_template, name="survey_template"),
]
