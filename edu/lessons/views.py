from django.shortcuts import render

from edu.access import Rule, access


@access(Rule.PUBLIC)
def index(request):
    return render(request, "lessons/index.html")
