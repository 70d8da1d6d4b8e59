from django.urls import path

from city import pace, views

app_name = "city"
urlpatterns = [path("execution/city/", views.execution, name="execution")]

# the city's pace targets (the budget office's): city/pace.py
urlpatterns += [path("city/pace/", pace.city_pace, name="pace")]
