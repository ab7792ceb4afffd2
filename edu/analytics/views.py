from django.shortcuts import render

from edu.access import Rule, access
from edu.accounts.models import Role
from edu.cohorts.models import Cohort

from .selectors import accounts_by_role


@access(Rule.PROGRAM_ADMIN)
def index(request):
    counts = accounts_by_role()
    roles = [(label, counts.get(value, 0)) for value, label in Role.choices]
    return render(
        request, "analytics/index.html", {"roles": roles, "cohort_count": Cohort.objects.count()}
    )
