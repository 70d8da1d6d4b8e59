from django.core.management.base import BaseCommand

from demo.logins import demo_users_ensure


class Command(BaseCommand):
    help = "Create the demo logins (one per role) and print them. Run load_demo first."

    def handle(self, *args, **options):
        self.stdout.write("Demo logins, one per role (http://127.0.0.1:8000/accounts/login/):")
        for login in demo_users_ensure():
            self.stdout.write(f"  login {login.username:<9} password {login.password:<20} {login.description}")
