"""/api/v1/networks/<network_slug>/commissions/…"""

from django.urls import path

from commissions import api_views as api

commission = "<int:commission_id>/"

urlpatterns = [
    path("", api.CommissionList.as_view(), name="commissions"),
    path(commission, api.CommissionDetail.as_view(), name="commission"),
    path(f"{commission}members/", api.CommissionMemberList.as_view(), name="commission_members"),
    path(
        f"{commission}promoter-terms/",
        api.PromoterTermList.as_view(),
        name="commission_promoter_terms",
    ),
    path(f"{commission}work-plan/", api.WorkPlan.as_view(), name="commission_work_plan"),
    path(f"{commission}updates/", api.ProgressUpdateList.as_view(), name="commission_updates"),
    path(
        f"{commission}updates/<int:update_id>/comments/",
        api.CommentList.as_view(),
        name="commission_update_comments",
    ),
    path(
        f"{commission}state-changes/",
        api.StateChangeList.as_view(),
        name="commission_state_changes",
    ),
    path(f"{commission}join/", api.Join.as_view(), name="commission_join"),
    path(f"{commission}leave/", api.Leave.as_view(), name="commission_leave"),
    path(f"{commission}step-up/", api.StepUp.as_view(), name="commission_step_up"),
    path(f"{commission}step-down/", api.StepDown.as_view(), name="commission_step_down"),
    path(f"{commission}close/", api.Close.as_view(), name="commission_close"),
    path(f"{commission}reopen/", api.Reopen.as_view(), name="commission_reopen"),
]
