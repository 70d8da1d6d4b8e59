from django.urls import path

from worklist import views

app_name = "worklist"
urlpatterns = [path("my/", views.my_work_page, name="my_work")]
