from django.urls import path

from commissions import views

app_name = "commissions"

urlpatterns = [
    path("", views.commission_list, name="list"),
    path("nueva/", views.propose, name="propose"),
    path("<int:commission_id>/", views.commission_detail, name="detail"),
    path("<int:commission_id>/unirse/", views.join, name="join"),
    path("<int:commission_id>/salir/", views.leave, name="leave"),
    path("<int:commission_id>/seguir/", views.follow, name="follow"),
    path("<int:commission_id>/dejar-de-seguir/", views.unfollow, name="unfollow"),
    path("<int:commission_id>/promover/", views.step_up, name="step_up"),
    path("<int:commission_id>/dejar-de-promover/", views.step_down, name="step_down"),
    path("<int:commission_id>/avances/", views.post_update, name="post_update"),
    path("<int:commission_id>/avances/<int:update_id>/comentar/", views.comment, name="comment"),
    path("<int:commission_id>/conversacion/", views.converse, name="converse"),
    path(
        "<int:commission_id>/conversacion/<int:post_id>/editar/",
        views.edit_post,
        name="edit_post",
    ),
    path(
        "<int:commission_id>/conversacion/<int:post_id>/retirar/",
        views.withdraw_post,
        name="withdraw_post",
    ),
    path(
        "<int:commission_id>/conversacion/<int:post_id>/ocultar/",
        views.hide_post,
        name="hide_post",
    ),
    path("<int:commission_id>/temas/", views.add_topic, name="add_topic"),
    path("<int:commission_id>/temas/<int:topic_id>/mover/", views.move_topic, name="move_topic"),
    path("<int:commission_id>/acciones/", views.add_action, name="add_action"),
    path(
        "<int:commission_id>/acciones/<int:action_id>/estado/",
        views.change_action_status,
        name="action_status",
    ),
    path("<int:commission_id>/cerrar/", views.close, name="close"),
    path("<int:commission_id>/reabrir/", views.reopen, name="reopen"),
    path("<int:commission_id>/ficha/", views.closing_sheet, name="sheet"),
]
