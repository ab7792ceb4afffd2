from django.shortcuts import render

from edu.access import Rule, access


@access(Rule.PUBLIC)
def library(request):
    return render(request, "cases/library.html")
