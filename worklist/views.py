"""내 할 일 (/my/): the page every signed-in person lands on; reads through worklist.selectors."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from worklist.selectors import my_work


@login_required
def my_work_page(request):
    work = my_work(user=request.user, today=timezone.localdate())
    return render(request, "worklist/my_work.html", {"work": work})
