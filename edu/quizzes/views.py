from django.shortcuts import render

from edu.access import Rule, access


@access(Rule.PUBLIC)
def index(request):
    return render(request, "quizzes/index.html")


@access(Rule.SIGNED_IN)
def progress(request):
    return render(request, "quizzes/progress.html")
