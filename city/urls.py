from django.urls import include, path

from city import views

app_name = "city"
urlpatterns = [
    path("execution/city/", views.execution, name="execution"),
    path("city/", include("reports.city_urls")),  # city:briefing, the city briefing (reports builds workbooks)
]
