from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "role", "is_author", "is_staff", "is_active", "last_login")
    list_filter = ("role", "is_author", "is_staff", "is_active")
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Role", {"fields": ("role", "is_author")}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, ("Role", {"fields": ("role", "is_author")}))
