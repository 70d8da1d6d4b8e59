"""내 할 일 (/my/): the page every signed-in person lands on; reads through worklist.selectors."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from staffing.permissions import can_read_named_bureau
from worklist.selectors import my_work


@login_required
def my_work_page(request):
    if not can_read_named_bureau(request):  # 내 할 일 under another bureau's address: not found
        raise Http404
    work = my_work(user=request.user, today=timezone.localdate())
    return render(request, "worklist/my_work.html", {"work": work})
