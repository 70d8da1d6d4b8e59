from django.urls import path

from city import views

app_name = "city"
urlpatterns = [path("execution/city/", views.execution, name="execution")]
