from django.urls import path

from city import views

app_name = "city"
urlpatterns = [path("city/", views.home, name="home"), path("execution/city/", views.execution, name="execution")]
