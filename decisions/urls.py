from django.urls import path

from decisions import views

app_name = "decisions"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("nueva/", views.proposal_create, name="create"),
    path("reglas/", views.governance, name="governance"),
    path("comisiones/<int:commission_id>/", views.proposal_list, name="commission_list"),
    path("<int:proposal_id>/", views.proposal_detail, name="detail"),
    path("<int:proposal_id>/posicion/", views.take_position, name="position"),
    path("<int:proposal_id>/voto/", views.cast_vote, name="vote"),
    path("<int:proposal_id>/plenaria/", views.record_in_plenary, name="plenary"),
    path("<int:proposal_id>/enmienda/", views.amend, name="amend"),
    path("<int:proposal_id>/votacion/", views.open_vote, name="open_vote"),
    path("<int:proposal_id>/revision/", views.review_date, name="review"),
    path("<int:proposal_id>/retirar/", views.withdraw, name="withdraw"),
    path("<int:proposal_id>/acta/", views.carry_into_minutes, name="carry"),
]
