from django.contrib import admin

from .models import Cohort, Enrolment


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    raw_id_fields = ("learner",)


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "created_at")
    search_fields = ("name", "code")
    filter_horizontal = ("instructors",)
    inlines = [EnrolmentInline]
