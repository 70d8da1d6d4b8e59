from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The 2022 report as the portal's demo: the loader and the demo logins (no models of its own)."""

    name = "demo"
