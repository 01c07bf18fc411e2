"""/api/v1/networks/<network_slug>/proposals/…"""

from django.urls import path

from decisions import api_views as api

proposal = "<int:proposal_id>/"

urlpatterns = [
    path("", api.ProposalList.as_view(), name="proposals"),
    path(proposal, api.ProposalDetail.as_view(), name="proposal"),
    path(f"{proposal}positions/", api.PositionList.as_view(), name="proposal_positions"),
    path(f"{proposal}vote/", api.OpenVote.as_view(), name="proposal_open_vote"),
]
