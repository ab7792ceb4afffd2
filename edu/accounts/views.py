"""Sign-up, sign-in, sign-out and password change: Django's views with our access rules."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from edu.access import Rule, access
from edu.cohorts.services import join_after_sign_up, join_preview

from .forms import SignUpForm


@access(Rule.PUBLIC)
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    join_code = request.GET.get("join", "")  # from a cohort's join link
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.display_name}. Your learner account is ready.")
        if join_code:
            joined = join_after_sign_up(code=join_code, learner=user)
            (messages.success if joined.ok else messages.warning)(request, joined.message)
        return redirect("home")
    if join_code and request.method == "GET":
        messages.info(request, join_preview(code=join_code))
    return render(request, "accounts/sign_up.html", {"form": form})


@access(Rule.PUBLIC)
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


@access(Rule.PUBLIC)
class SignOutView(auth_views.LogoutView):
    pass


@access(Rule.SIGNED_IN)
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response
