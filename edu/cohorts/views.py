from django.shortcuts import render

from edu.access import Rule, access

from .selectors import cohorts_for


@access(Rule.INSTRUCTOR)
def index(request):
    return render(request, "cohorts/index.html", {"cohorts": cohorts_for(request.user)})
