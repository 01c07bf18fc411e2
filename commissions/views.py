"""The commission pages: the archive, a commission's timeline, and one view per action.

Views stay thin: they look the commission up in the request's network (another
network's id is a 404), ask the rules registry whether this person may act
(403 otherwise; a facilitator, who never acts for a member entity, too), check
the input with a form, and call one service, which decides again and is the
last line. A `DomainError` from the service becomes a message on the form and
nothing changes. Each action also answers GET with its form alone, which is
where a form with errors comes back, keeping what was typed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from commissions import acts, forms, selectors, services
from commissions.hooks import commission_sections
from commissions.models import ClosingSheet
from core.errors import DomainError
from members.decorators import verified_required
from members.reach import acting_entity_ids
from members.rules import entity_roles
from networks.acts import Act
from networks.rules import is_facilitator


def _commission(request, commission_id):
    commission = selectors.get_commission(network=request.network, commission_id=commission_id)
    if commission is None:
        raise Http404
    return commission


def _require(request, permission, obj, *, neutral=True):
    """The permission the service asks too; member acts are refused to the facilitator (4.2 a)."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied
    if neutral and is_facilitator(request.user, obj):
        raise PermissionDenied


def _may_act(user, permission, obj):
    """What a page offers: the permission, and never an entity's voice to a facilitator."""
    return user.has_perm(permission, obj) and not is_facilitator(user, obj)


def _entities(ids):
    return list(selectors.entities_by_id(ids).values())


def _detail_url(commission, anchor=""):
    url = reverse(
        "commissions:detail",
        kwargs={"network_slug": commission.network.slug, "commission_id": commission.pk},
    )
    return f"{url}#{anchor}" if anchor else url


@require_safe
def commission_list(request, network_slug):
    network = request.network
    search = forms.ArchiveSearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    open_commissions, closed = selectors.archive(network=network, query=query)
    page = selectors.closed_page(network=network, closed=closed, number=request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "commissions/list.html",
        {
            "network": network,
            "open_commissions": open_commissions,
            "page": page,
            "search": search,
            "query": query,
            "query_without_page": query_without_page.urlencode(),
            "can_propose": _may_act(request.user, "commissions.propose", network),
        },
    )


@require_safe
def commission_detail(request, network_slug, commission_id):
    network = request.network
    page = selectors.commission_page(
        network=network, commission_id=commission_id, timeline_page=request.GET.get("page")
    )
    if page is None:
        raise Http404
    commission = page.commission
    # What the person is in this commission, from the page itself: the rules below read it.
    selectors.standing_on_page(request.user, page)
    context = {
        "network": network,
        "page": page,
        "commission": commission,
        "sheet_due": selectors.sheet_due(commission),
        "can_fill_sheet": _may_act(request.user, "commissions.fill_sheet", commission),
        "can_close": _may_act(request.user, "commissions.close", commission),
        "can_reopen": commission.is_reopenable
        and request.user.has_perm("commissions.reopen", commission),
        "can_hide": request.user.has_perm("networks.run_network", request.network),
        "extra_sections": commission_sections(request=request, commission=commission),
    }
    if request.user.is_authenticated and commission.is_open:
        context.update(_member_forms(request, page))
    return render(request, "commissions/detail.html", context)


def _member_forms(request, page):
    """The forms this person may use on the page, each offering only the entities that fit."""
    commission = page.commission
    user = request.user
    standing = selectors.standing_of(user, commission)
    if not standing.entity_ids or standing.facilitates:
        return {}
    entities = selectors.entities_on_page(page, standing.entity_ids)

    def pick(ids):
        return [entity for pk, entity in entities.items() if pk in ids]

    sitting = pick(standing.sitting)
    promoting = pick(standing.promoting)
    found = {"standing": standing, "my_entities": list(entities.values())}
    not_sitting = pick(standing.entity_ids - standing.sitting)
    if not_sitting and user.has_perm("commissions.join", commission):
        found["join_form"] = forms.EntityOnlyForm(entities=not_sitting)
    # An entity that sits follows no more (`services._ensure_member`): only the others may.
    following = selectors.following(
        commission=commission, entity_ids=standing.entity_ids - standing.sitting
    )
    may_follow = pick(standing.entity_ids - standing.sitting - following)
    if may_follow and user.has_perm("commissions.follow", commission):
        found["follow_form"] = forms.EntityOnlyForm(entities=may_follow)
    if following and user.has_perm("commissions.unfollow", commission):
        found["unfollow_form"] = forms.EntityOnlyForm(entities=pick(following))
    not_promoting = pick(standing.entity_ids - standing.promoting)
    if not_promoting and user.has_perm("commissions.promote", commission):
        found["promote_form"] = forms.EntityOnlyForm(entities=not_promoting)
    if user.has_perm("commissions.leave", commission):
        found["leave_form"] = forms.EntityOnlyForm(entities=sitting)
    if user.has_perm("commissions.step_down", commission):
        found["step_down_form"] = forms.StepDownForm(entities=promoting)
    if user.has_perm("commissions.comment", commission):
        found["comment_form"] = forms.CommentForm(entities=sitting)
        found["post_form"] = forms.PostForm(entities=sitting)
    if user.has_perm("commissions.post_update", commission):
        found["update_form"] = forms.ProgressUpdateForm(entities=promoting, actions=page.actions)
    if user.has_perm("commissions.plan", commission):
        found["topic_form"] = forms.TopicForm(entities=promoting)
        found["move_form"] = forms.TopicMoveForm(entities=promoting)
        found["action_form"] = forms.ActionForm(
            entities=promoting, topics=page.topics, promoters=page.promoter_entities
        )
        found["status_form"] = forms.ActionStatusForm(entities=promoting)
    return found


def _nothing_to_do(request, reason):
    """A form without choices that says why there is nothing to choose."""
    form = forms.EntityOnlyForm(request.POST or None, entities=[])
    form.reason = reason
    if request.method == "POST":
        form.is_valid()
        form.add_error(None, reason)
    return form


def _action_page(request, commission, form, *, title, intro="", submit, status=200, **extra):
    return render(
        request,
        "commissions/action.html",
        {
            "network": request.network,
            "commission": commission,
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit,
            **extra,
        },
        status=status,
    )


def _run(request, commission, form, perform, *, success, next_url=None, **page):
    """Check the form, call the service, and either say what happened or show why not."""
    if request.method == "POST" and form.is_valid():
        try:
            perform(form)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            selectors.forget_standing(request.user)
            messages.success(request, success)
            return redirect(next_url or _detail_url(commission))
    status = 400 if request.method == "POST" else 200
    return _action_page(request, commission, form, status=status, **page)


def _act_page(request, act: Act, commission, *, empty=None, data=None, next_url=None, **page):
    """The page of one act: its form, with the entities the person may act for, and its service."""
    if act.refusal(request.user, commission) is not None:
        raise PermissionDenied
    entities = _entities(act.entities_for(request.user, commission))
    form = act.form(commission, request.POST or None, request.FILES or None, entities=entities)
    if empty and not form.entities:
        form = _nothing_to_do(request, empty)
    return _run(
        request,
        commission,
        form,
        lambda form: act.run(commission, form.act_data(**(data or {})), by=request.user),
        success=act.message(),
        next_url=next_url,
        **page,
    )


@verified_required
def propose(request, network_slug):
    network = request.network
    _require(request, "commissions.propose", network)
    entity_ids = acting_entity_ids(entity_roles(request.user), network)
    form = forms.ProposeForm(request.POST or None, entities=_entities(entity_ids))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commission = services.propose_commission(
                network=network,
                entity=form.acting_entity,
                name=data["name"],
                kind=data["kind"],
                purpose=data["purpose"].strip(),
                topics=data["topics"].strip(),
                by=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            commission.network = network
            messages.success(
                request,
                _("%(entity)s proposed the commission and is its first promoter.")
                % {"entity": form.acting_entity},
            )
            return redirect(_detail_url(commission))
    return render(
        request,
        "commissions/propose.html",
        {"network": network, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@verified_required
def join(request, network_slug, commission_id):
    return _act_page(
        request,
        acts.JOIN,
        _commission(request, commission_id),
        empty=_("Every entity you act for already sits in this commission."),
        title=gettext_lazy("Join the commission"),
        intro=gettext_lazy(
            "Your entity takes part in the commission's work and may comment on its progress."
        ),
        submit=gettext_lazy("Join"),
    )


@verified_required
def follow(request, network_slug, commission_id):
    return _act_page(
        request,
        acts.FOLLOW,
        _commission(request, commission_id),
        empty=_("Every entity you act for sits in this commission or follows it already."),
        title=gettext_lazy("Follow the commission"),
        intro=gettext_lazy(
            "Your entity hears of the commission's progress updates without joining it."
        ),
        submit=gettext_lazy("Follow"),
    )


@verified_required
def unfollow(request, network_slug, commission_id):
    return _act_page(
        request,
        acts.UNFOLLOW,
        _commission(request, commission_id),
        empty=_("None of the entities you act for follows this commission."),
        title=gettext_lazy("Stop following the commission"),
        intro=gettext_lazy("Your entity will no longer hear of the commission's progress updates."),
        submit=gettext_lazy("Stop following"),
    )


@verified_required
def leave(request, network_slug, commission_id):
    return _act_page(
        request,
        acts.LEAVE,
        _commission(request, commission_id),
        title=gettext_lazy("Leave the commission"),
        intro=gettext_lazy(
            "If your entity promotes the commission, leaving also ends its promoter term."
        ),
        submit=gettext_lazy("Leave"),
    )


@verified_required
def step_up(request, network_slug, commission_id):
    return _act_page(
        request,
        acts.STEP_UP,
        _commission(request, commission_id),
        empty=_("Every entity you act for already promotes this commission."),
        title=gettext_lazy("Step up as promoter"),
        intro=gettext_lazy(
            "Promoters keep the work plan, post progress and report results. "
            "It is not a permanent post: your entity may step down at any moment."
        ),
        submit=gettext_lazy("Step up as promoter"),
    )


@verified_required
def step_down(request, network_slug, commission_id):
    return _act_page(
        request,
        acts.STEP_DOWN,
        _commission(request, commission_id),
        title=gettext_lazy("Step down as promoter"),
        intro=gettext_lazy(
            "If no promoter remains, the facilitator invites other entities; without one, "
            "the commission closes by itself after the network's grace period."
        ),
        submit=gettext_lazy("Step down"),
    )


@verified_required
def post_update(request, network_slug, commission_id):
    commission = _commission(request, commission_id)
    return _act_page(
        request,
        acts.POST_UPDATE,
        commission,
        next_url=_detail_url(commission, "timeline"),
        title=gettext_lazy("Post a progress update"),
        submit=gettext_lazy("Post the update"),
        multipart=True,
    )


@verified_required
def comment(request, network_slug, commission_id, update_id):
    commission = _commission(request, commission_id)
    update = selectors.update_of(commission=commission, update_id=update_id)
    if update is None:
        raise Http404
    return _act_page(
        request,
        acts.COMMENT,
        commission,
        data={"update": update},
        next_url=_detail_url(commission, f"update-{update.pk}"),
        title=gettext_lazy("Comment on a progress update"),
        submit=gettext_lazy("Comment"),
        update=update,
    )


@verified_required
def add_topic(request, network_slug, commission_id):
    commission = _commission(request, commission_id)
    _require(request, "commissions.plan", commission)
    standing = selectors.standing_of(request.user, commission)
    form = forms.TopicForm(request.POST or None, entities=_entities(standing.promoting))
    return _run(
        request,
        commission,
        form,
        lambda form: services.add_topic(
            commission=commission,
            entity=form.acting_entity,
            title=form.cleaned_data["title"],
            by=request.user,
        ),
        success=_("The topic is added at the end of the priority order."),
        next_url=_detail_url(commission, "plan"),
        title=gettext_lazy("Add a topic of interest"),
        submit=gettext_lazy("Add the topic"),
    )


@verified_required
def move_topic(request, network_slug, commission_id, topic_id):
    commission = _commission(request, commission_id)
    topics = selectors.topics_of(commission)
    order = [topic.pk for topic in topics]
    if topic_id not in order:
        raise Http404
    _require(request, "commissions.plan", commission)
    standing = selectors.standing_of(request.user, commission)
    form = forms.TopicMoveForm(request.POST or None, entities=_entities(standing.promoting))

    def perform(form):
        position = order.index(topic_id)
        other = position - 1 if form.cleaned_data["direction"] == "up" else position + 1
        if 0 <= other < len(order):
            order[position], order[other] = order[other], order[position]
        services.reorder_topics(
            commission=commission, entity=form.acting_entity, topic_ids=order, by=request.user
        )

    return _run(
        request,
        commission,
        form,
        perform,
        success=_("The priority order of the topics is saved."),
        next_url=_detail_url(commission, "plan"),
        title=gettext_lazy("Change a topic's priority"),
        submit=gettext_lazy("Move"),
        topic=topics[order.index(topic_id)],
    )


@verified_required
def add_action(request, network_slug, commission_id):
    commission = _commission(request, commission_id)
    _require(request, "commissions.plan", commission)
    standing = selectors.standing_of(request.user, commission)
    form = forms.ActionForm(
        request.POST or None,
        entities=_entities(standing.promoting),
        topics=selectors.topics_of(commission),
        promoters=selectors.current_promoters(commission),
    )

    def perform(form):
        data = form.cleaned_data
        services.add_action(
            commission=commission,
            entity=form.acting_entity,
            title=data["title"],
            responsible=data["responsible"],
            due_on=data["due_on"],
            topic=data["topic"],
            by=request.user,
        )

    return _run(
        request,
        commission,
        form,
        perform,
        success=_("The action is in the work plan."),
        next_url=_detail_url(commission, "plan"),
        title=gettext_lazy("Add an action to the work plan"),
        submit=gettext_lazy("Add the action"),
    )


@verified_required
def change_action_status(request, network_slug, commission_id, action_id):
    commission = _commission(request, commission_id)
    action = selectors.action_of(commission=commission, action_id=action_id)
    if action is None:
        raise Http404
    _require(request, "commissions.plan", commission)
    standing = selectors.standing_of(request.user, commission)
    form = forms.ActionStatusForm(
        request.POST or None,
        entities=_entities(standing.promoting),
        initial={"status": action.status},
    )
    return _run(
        request,
        commission,
        form,
        lambda form: services.change_action_status(
            action=action,
            entity=form.acting_entity,
            status=form.cleaned_data["status"],
            by=request.user,
        ),
        success=_("The action's status is saved."),
        next_url=_detail_url(commission, "plan"),
        title=gettext_lazy("Change an action's status"),
        submit=gettext_lazy("Save"),
        action=action,
    )


@verified_required
def close(request, network_slug, commission_id):
    commission = _commission(request, commission_id)
    return _act_page(
        request,
        acts.CLOSE,
        commission,
        next_url=reverse(
            "commissions:sheet",
            kwargs={"network_slug": network_slug, "commission_id": commission.pk},
        ),
        title=gettext_lazy("Close the commission as completed"),
        intro=gettext_lazy(
            "Its promoters close it when its objectives are met or its members' interest has "
            "ended. Nothing is deleted: the commission becomes a read-only archive, its "
            "promoters fill in its closing sheet, and every member entity and the facilitator "
            "are told, with your note. If it is closed by mistake, the facilitator can reopen "
            "it within 30 days."
        ),
        submit=gettext_lazy("Close the commission"),
        danger=True,
    )


@verified_required
def reopen(request, network_slug, commission_id):
    """The facilitator reopens a commission closed by mistake, within 30 days, with a reason."""
    commission = _commission(request, commission_id)
    _require(request, "networks.run_network", request.network, neutral=False)
    title = gettext_lazy("Reopen the commission")
    # The state is asked apart: a site admin holds every permission, whatever the state.
    if not (commission.is_reopenable and request.user.has_perm("commissions.reopen", commission)):
        if commission.is_open:
            reason = _("This commission is open: there is nothing to reopen.")
        else:
            reason = _(
                "A commission can be reopened only within 30 days of its closing; this one "
                "closed on %(date)s."
            ) % {"date": date_format(commission.closed_on, "DATE_FORMAT")}
        return _action_page(
            request,
            commission,
            None,
            title=title,
            intro=reason,
            submit="",
            status=400 if request.method == "POST" else 200,
        )
    form = forms.ReopenForm(request.POST or None)

    def perform(form):
        services.reopen_commission(
            commission=commission, by=request.user, reason=form.cleaned_data["reason"]
        )

    return _run(
        request,
        commission,
        form,
        perform,
        success=_("The commission is open again; its members are told."),
        title=title,
        intro=_(
            "Reopen it if it was closed by mistake, until %(date)s. The promoters whose terms "
            "the closing ended promote it again and it is active; if it had none, it is "
            "without promoter and closes by itself after the network's grace period unless "
            "an entity steps up."
        )
        % {"date": date_format(commission.reopen_deadline, "DATE_FORMAT")},
        submit=gettext_lazy("Reopen the commission"),
    )


@verified_required
def closing_sheet(request, network_slug, commission_id):
    commission = _commission(request, commission_id)
    _require(request, "commissions.fill_sheet", commission)
    standing = selectors.standing_of(request.user, commission)
    due = selectors.sheet_due(commission)
    if due is None:
        return _action_page(
            request,
            commission,
            None,
            title=gettext_lazy("Yearly evaluation sheet"),
            intro=gettext_lazy(
                "No sheet is due yet: the yearly sheet is filled in once the commission is a "
                "year old, and the closing sheet once it closes."
            ),
            submit="",
        )
    occasion, year = due
    existing = selectors.sheet_of(commission=commission, occasion=occasion, year=year)
    initial = None
    if existing is not None:
        initial = {name: getattr(existing, name) for name in forms.ClosingSheetForm.FIELDS}
    form = forms.ClosingSheetForm(
        request.POST or None, entities=_entities(standing.ever_promoted), initial=initial
    )
    title = (
        gettext_lazy("Closing sheet")
        if occasion == ClosingSheet.Occasion.CLOSING
        else gettext_lazy("Yearly evaluation sheet")
    )
    return _run(
        request,
        commission,
        form,
        lambda form: services.fill_closing_sheet(
            commission=commission,
            entity=form.acting_entity,
            occasion=occasion,
            year=year,
            by=request.user,
            **{name: form.cleaned_data[name] for name in forms.ClosingSheetForm.FIELDS},
        ),
        success=_("The sheet is saved; the archive shows it to everyone."),
        next_url=_detail_url(commission, "sheets"),
        title=title,
        intro=gettext_lazy(
            "Systematise what the commission lived, so that other commissions and networks "
            "can learn from it. Every part is needed."
        ),
        submit=gettext_lazy("Save the sheet"),
        year=year,
    )


def _post(request, commission_id, post_id):
    commission = _commission(request, commission_id)
    post = selectors.get_post(commission=commission, post_id=post_id)
    if post is None:
        raise Http404
    return commission, post


def _to_post(commission, post):
    return redirect(f"{_detail_url(commission)}#post-{post.pk}")


@verified_required
@require_http_methods(["GET", "POST"])
def converse(request, network_slug, commission_id):
    """Post to the commission's conversation, or reply to a message (`parent`).

    The commission's page carries the form; this page holds it too, for a
    message that needs room or a browser without the page's disclosure.
    """
    commission = _commission(request, commission_id)
    _require(request, "commissions.comment", commission)
    standing = selectors.standing_of(request.user, commission)
    entities = list(selectors.entities_by_id(standing.sitting).values())
    form = forms.PostForm(request.POST or None, entities=entities)
    if request.method == "POST" and form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = selectors.get_post(commission=commission, post_id=form.cleaned_data["parent"])
            if parent is None:
                raise Http404
        try:
            post = services.post_to_conversation(
                commission=commission,
                entity=form.acting_entity,
                by=request.user,
                text=form.cleaned_data["text"],
                parent=parent,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your message is in the conversation."))
            return _to_post(commission, post)
    return render(
        request,
        "commissions/post_form.html",
        {
            "network": request.network,
            "commission": commission,
            "form": form,
            "title": _("Write to the conversation"),
            "button": _("Post the message"),
        },
        status=400 if request.method == "POST" else 200,
    )


@verified_required
@require_http_methods(["GET", "POST"])
def edit_post(request, network_slug, commission_id, post_id):
    commission, post = _post(request, commission_id, post_id)
    if post.author_id != request.user.pk or not post.is_shown:
        raise PermissionDenied
    form = forms.EditPostForm(request.POST or None, initial={"text": post.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(post=post, by=request.user, text=form.cleaned_data["text"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your message was edited."))
            return _to_post(commission, post)
    return render(
        request,
        "commissions/post_form.html",
        {
            "network": request.network,
            "commission": commission,
            "post": post,
            "form": form,
            "title": _("Edit your message"),
            "button": _("Save the message"),
        },
    )


@verified_required
@require_http_methods(["GET", "POST"])
def withdraw_post(request, network_slug, commission_id, post_id):
    """Its author withdraws a message; a GET asks first."""
    commission, post = _post(request, commission_id, post_id)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    if request.method == "GET":
        return render(
            request,
            "commissions/post_form.html",
            {
                "network": request.network,
                "commission": commission,
                "post": post,
                "form": None,
                "title": _("Withdraw your message?"),
                "button": _("Withdraw the message"),
            },
        )
    try:
        services.withdraw_post(post=post, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your message was withdrawn."))
    return _to_post(commission, post)


@verified_required
@require_http_methods(["GET", "POST"])
def hide_post(request, network_slug, commission_id, post_id):
    commission, post = _post(request, commission_id, post_id)
    if not request.user.has_perm("networks.run_network", request.network):
        raise PermissionDenied
    form = forms.HidePostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_post(post=post, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The message is hidden; its text and the reason are kept."))
            return _to_post(commission, post)
    return render(
        request,
        "commissions/post_form.html",
        {
            "network": request.network,
            "commission": commission,
            "post": post,
            "form": form,
            "title": _("Hide a message"),
            "button": _("Hide the message"),
        },
    )
