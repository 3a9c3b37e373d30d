from django.urls import path

from jiandu.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    # 三员分立: each group of pages is one administrator's duty.
    path("admin/", views.admin_home, name="admin_home"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/orgs/", views.org_search_view, name="org_search"),
    path("users/<int:pk>/", views.user_detail_view, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit_view, name="user_edit"),
    path("users/<int:pk>/password/", views.user_password_reset_view, name="user_password_reset"),
    path("users/<int:pk>/disable/", views.user_disable_view, name="user_disable"),
    path("users/<int:pk>/enable/", views.user_enable_view, name="user_enable"),
    path("roles/", views.role_list_view, name="role_list"),
    path("roles/<int:pk>/", views.user_roles_view, name="user_roles"),
    path("security/lockouts/", views.lockout_list_view, name="lockout_list"),
    path("security/lockouts/unlock/", views.user_unlock_view, name="user_unlock"),
    path("security/signins/", views.signin_list_view, name="signin_list"),
]
