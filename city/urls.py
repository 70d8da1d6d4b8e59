from django.urls import path

from city import extract, pace, views

app_name = "city"
urlpatterns = [
    path("city/", views.home, name="home"),
    path("execution/city/", views.execution, name="execution"),
    # the budget office's city extract (city/extract.py)
    path("city/extract/", extract.extract_upload, name="extract"),
    path("city/extract/apply/", extract.extract_apply, name="extract_apply"),
]

# the city's pace targets (the budget office's): city/pace.py
urlpatterns += [path("city/pace/", pace.city_pace, name="pace")]
