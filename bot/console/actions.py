"""What a leader does in the console, through the very steps the chat's buttons take: the same
campaign functions, the same audit rows, the same messages to participants, and every chat copy
of a card updated afterwards."""

from __future__ import annotations

import html
import re
from typing import Any

from aiohttp import web

from bot.campaign import approval, risk_reports, signup
from bot.campaign import participants_admin as admin
from bot.campaign import review as review_rules
from bot.campaign.approval import Decision
from bot.campaign.conversation import Expecting
from bot.campaign.review import Outcome
from bot.campaign.risk_reports import Outcome as RiskOutcome
from bot.client_input import parse_int
from bot.console.state import language_of, opener_of, state_of
from bot.notices import decisions, participant_status, revocations, risk_news

MAX_BODY_TEXT = 1000


def answer(outcome: str, **extra: Any) -> web.Response:
    """``done``: it happened now; ``unchanged``: someone was first; ``unknown``: no such thing;
    ``invalid``: the typed text cannot be used (``message`` says why)."""
    return web.json_response({"outcome": outcome, **extra})


async def invalid(request: web.Request, key: str, **args: str | int) -> web.Response:
    """The typed text cannot be used: say why, in the leader's language."""
    state = state_of(request)
    language = await language_of(state, opener_of(request))
    translator = state.services.translator
    assert translator is not None
    message = html.unescape(re.sub(r"<[^>]+>", "", translator(language, key, **args)))
    return answer("invalid", message=message)


async def _text(request: web.Request, field: str) -> str:
    try:
        body = await request.json()
    except ValueError:
        return ""
    value = body.get(field, "") if isinstance(body, dict) else ""
    return value.strip()[:MAX_BODY_TEXT] if isinstance(value, str) else ""


def _id(request: web.Request, name: str) -> int | None:
    return parse_int(request.match_info[name])


async def decide(request: web.Request) -> web.Response:
    """Approve, or reject with an optional reason: as the card's buttons do."""
    state, leader = state_of(request), opener_of(request)
    applicant_id = _id(request, "user_id")
    approve = request.match_info["verb"] == "approve"
    reason = None if approve else (await _text(request, "reason")) or None
    if reason is not None and len(reason) > approval.MAX_REASON_LENGTH:
        return await invalid(request, "web-too-long")
    if applicant_id is None:
        return answer("unknown")
    context = state.context()
    result = await approval.decide(
        context.db,
        applicant_id,
        leader.user_id,
        approve=approve,
        now=context.now(),
        reason=reason,
        notice=decisions.notice_of(context),
    )
    await decisions.announce_decision(context, result)
    outcome = {
        Decision.DECIDED: "done",
        Decision.ALREADY_DECIDED: "unchanged",
        Decision.UNKNOWN: "unknown",
    }[result.decision]
    return answer(outcome)


async def review(request: web.Request) -> web.Response:
    """Revoke with a reason, or restore: the review feed's buttons."""
    state, leader = state_of(request), opener_of(request)
    cert_id = _id(request, "cert_id")
    if cert_id is None:
        return answer("unknown")
    context = state.context()
    if request.match_info["verb"] == "revoke":
        reason = await _text(request, "reason")
        if not reason:
            return await invalid(request, "web-reason-needed")
        if len(reason) > review_rules.MAX_REASON_LENGTH:
            return await invalid(request, "web-too-long")
        result = await revocations.revoke(context, cert_id, leader.user_id, reason)
        await revocations.after_revoke(context, result)
    else:
        result = await revocations.restore(context, cert_id, leader.user_id)
        await revocations.after_restore(context, result)
    return answer(
        {Outcome.DONE: "done", Outcome.UNCHANGED: "unchanged", Outcome.UNKNOWN: "unknown"}[
            result.outcome
        ]
    )


TEXT_ACTIONS = {
    "pause": Expecting.PAUSE_REASON,
    "remove": Expecting.REMOVE_REASON,
    "name": Expecting.FIX_NAME,
    "volunteer-id": Expecting.FIX_VOLUNTEER_ID,
}


async def manage(request: web.Request) -> web.Response:
    """/participant's actions: pause, resume, remove (with a reason), fix the name or ID."""
    state, leader = state_of(request), opener_of(request)
    user_id = _id(request, "user_id")
    verb = request.match_info["verb"]
    if user_id is None:
        return answer("unknown")
    context = state.context()
    if verb == "resume":
        if not await admin.resume(context.db, user_id, context.now()):
            return answer("unchanged")
        await participant_status.after_resume(context, user_id)
        return answer("done")
    kind = TEXT_ACTIONS.get(verb)
    if kind is None:
        return answer("unknown")
    text = await _text(request, "text")
    try:
        changed = await admin.apply_text(
            context.db, leader.user_id, kind, user_id, text, context.now()
        )
    except signup.InvalidAnswer as problem:
        return await invalid(request, problem.reason, **problem.args_for_message)
    if changed is None:
        return answer("unchanged")
    await participant_status.after_change(context, kind, user_id, text)
    return answer("done")


async def risk(request: web.Request) -> web.Response:
    """Forward to an agency of the campaign file, resolve with a note, reject with a reason."""
    state, leader = state_of(request), opener_of(request)
    report_id = _id(request, "report_id")
    verb = request.match_info["verb"]
    context = state.context()
    if verb == "forward":
        try:
            body = await request.json()
        except ValueError:
            body = {}
        choice = body.get("agency") if isinstance(body, dict) else None
        shown = body.get("name") if isinstance(body, dict) else None
        agency = risk_reports.agency_at(
            context.campaign.risk_agencies, choice if isinstance(choice, int) else None
        )
        if agency is None or shown != agency:
            # The campaign file's list changed since the page was loaded.
            return await invalid(request, "web-agencies-changed")
        done = await risk_news.forward_report(context, report_id, agency, leader.user_id)
    else:
        text = await _text(request, "text")
        if not text:
            return await invalid(request, "web-reason-needed")
        if len(text) > risk_reports.MAX_NOTE:
            return await invalid(request, "web-too-long")
        kind = Expecting.RISK_RESOLVE_NOTE if verb == "resolve" else Expecting.RISK_REJECT_REASON
        if report_id is None:
            return answer("unknown")
        done = await risk_news.close_report(context, report_id, kind, leader.user_id, text)
    return answer(
        {
            RiskOutcome.DONE: "done",
            RiskOutcome.CLOSED: "unchanged",
            RiskOutcome.UNKNOWN: "unknown",
        }[done.outcome]
    )


async def hand_out(request: web.Request) -> web.Response:
    """Mark a reward handed out: the badge or doll of a milestone reached, or the chief's
    letter (the chat's buttons under /top and the milestone notice)."""
    state, leader = state_of(request), opener_of(request)
    user_id = _id(request, "user_id")
    reward = await _text(request, "reward")
    if user_id is None or not (reward == "letter" or reward.startswith("milestone:")):
        return answer("unknown")
    if reward.startswith("milestone:") and not reward.removeprefix("milestone:").isdigit():
        return answer("unknown")
    context = state.context()
    done = await admin.hand_out(
        context.db, context.campaign, user_id, reward, leader.user_id, context.now()
    )
    return answer({True: "done", False: "unchanged", None: "unknown"}[done])


def routes(app: web.Application, api: str) -> None:
    app.router.add_post(api + r"/applications/{user_id}/{verb:approve|reject}", decide)
    app.router.add_post(api + r"/certifications/{cert_id}/{verb:revoke|restore}", review)
    app.router.add_post(
        api + r"/participants/{user_id}/{verb:pause|resume|remove|name|volunteer-id}", manage
    )
    app.router.add_post(api + r"/risks/{report_id}/{verb:forward|resolve|reject}", risk)
    app.router.add_post(api + r"/participants/{user_id}/handout", hand_out)
