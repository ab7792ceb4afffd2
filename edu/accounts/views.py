"""Sign-up, sign-in, sign-out, password change and password reset by e-mail: Django's views with
our access rules and templates."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from edu.access import Rule, accepts_get, access
from edu.cohorts.services import join_after_sign_up, join_preview

from .forms import BoundedPasswordChangeForm, BoundedSetPasswordForm, SignInForm, SignUpForm


@access(Rule.PUBLIC)
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    join_code = request.GET.get("join", "")  # from a cohort's join link
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="edu.accounts.backends.CachedUserBackend")
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
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        """Django's safe `next`, dropped when it names a URL that only accepts POST (signing in
        would land on an error instead of the page the learner wanted)."""
        url = super().get_redirect_url()
        return url if url and accepts_get(url) else ""


@access(Rule.PUBLIC)
class SignOutView(auth_views.LogoutView):
    pass


@access(Rule.SIGNED_IN)
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = BoundedPasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response


@access(Rule.PUBLIC)
class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail. The same answer whether or not the address is known, so
    the form cannot be used to find out who has an account."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


@access(Rule.PUBLIC)
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


@access(Rule.PUBLIC)
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    form_class = BoundedSetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")


@access(Rule.PUBLIC)
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
