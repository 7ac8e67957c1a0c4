from datetime import datetime, timezone
from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st
from returns.result import Failure

from xpander_pure import (
    Agent,
    ConflictError,
    DecodeError,
    EventType,
    InvalidInputError,
    McpAuthResultType,
    McpAuthType,
    McpServer,
    Secret,
    TaskStatus,
    TaskUpdateEvent,
    UnknownResourceError,
)
from xpander_pure.platform import (
    END_STATES,
    LOCAL_ENVIRONMENT_ID,
    ExistingTask,
    InvokeRequest,
    LoginPending,
    ReportBody,
    TaskUpdate,
    TokenIssued,
    apply_task_update,
    check_organization,
    check_pushed_events,
    check_transition,
    decide_invoke,
    decide_report,
    decode_invoke_request,
    mcp_token_step,
    prepare_agent,
    report_fingerprint,
    visit_login,
)

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
DEFINITION = {
    "name": "Support Bot",
    "framework": "agno",
    "model_provider": "openai",
    "model_name": "m",
}
OAUTH = McpServer(url="https://mcp.example", name="notes", auth_type=McpAuthType.OAUTH2)


def agent(version: int = 1) -> Agent:
    return prepare_agent(
        DEFINITION, organization_id="o", new_id="a", previous=None, now=NOW
    ).unwrap()


def report(task_id: str = "t", **changes: object) -> ReportBody:
    fields: dict[str, object] = {"id": task_id, "input": "in", "result": "out", **changes}
    return ReportBody(**fields)  # type: ignore[arg-type]


def decide(body: ReportBody, existing: ExistingTask | None = None):  # type: ignore[no-untyped-def]
    return decide_report(
        body,
        existing=existing,
        task_id="t",
        agent_id="a",
        organization_id="o",
        agent_version=1,
        now=NOW,
    )


@given(st.sampled_from(list(END_STATES)), st.sampled_from(list(TaskStatus)))
def test_an_end_state_only_allows_itself(current: TaskStatus, new: TaskStatus) -> None:
    assert check_transition(current, new).map(lambda _: True).value_or(False) == (current == new)


@given(st.sampled_from(list(TaskStatus)))
def test_pending_may_go_anywhere(new: TaskStatus) -> None:
    assert check_transition(TaskStatus.PENDING, new).unwrap() == new


def test_new_report_builds_a_completed_task() -> None:
    decision = decide(report()).unwrap()
    assert (decision.is_new, decision.task.status) == (True, TaskStatus.COMPLETED)


def test_unsuccessful_report_builds_a_failed_task() -> None:
    assert decide(report(is_success=False)).unwrap().task.status == TaskStatus.FAILED


def test_retried_report_answers_the_stored_task_without_storing() -> None:
    stored = decide(report()).unwrap().task
    existing = ExistingTask(task=stored, report_fingerprint=report_fingerprint("a", report()))
    assert decide(report(), existing).unwrap() == type(decide(report()).unwrap())(
        task=stored, is_new=False
    )


def test_same_id_with_another_body_is_a_conflict() -> None:
    stored = decide(report()).unwrap().task
    existing = ExistingTask(task=stored, report_fingerprint=report_fingerprint("a", report()))
    assert isinstance(decide(report(result="else"), existing).failure(), ConflictError)


def test_a_report_conflict_is_a_validation_error_on_the_id() -> None:
    stored = decide(report()).unwrap().task
    existing = ExistingTask(task=stored, report_fingerprint=report_fingerprint("a", report()))
    error = decide(report(result="else"), existing).failure()
    assert (isinstance(error, InvalidInputError), error.field, error.reason) == (
        True,
        "id",
        "already reported with a different body",
    )


def test_changing_an_ended_task_says_it_has_ended() -> None:
    error = check_transition(TaskStatus.FAILED, TaskStatus.EXECUTING).failure()
    assert (error.field, error.reason) == ("status", "task has ended (failed)")


def test_report_over_an_invoked_task_is_a_conflict() -> None:
    stored = decide(report()).unwrap().task
    assert isinstance(decide(report(), ExistingTask(task=stored)).failure(), ConflictError)


def test_prepare_agent_fills_unique_name_from_name() -> None:
    assert agent().unique_name == "support-bot"


def test_prepare_agent_bumps_the_version_of_the_previous() -> None:
    nxt = prepare_agent(DEFINITION, organization_id="o", new_id="b", previous=agent(), now=NOW)
    assert (nxt.unwrap().id, nxt.unwrap().version) == ("a", 2)


def test_prepare_agent_refuses_another_organisation() -> None:
    result = prepare_agent(
        {**DEFINITION, "organization_id": "x"},
        organization_id="o",
        new_id="a",
        previous=None,
        now=NOW,
    )
    assert result.failure().field == "$.organization_id"


def test_prepare_agent_reports_the_path_of_a_wrong_type() -> None:
    result = prepare_agent(
        {**DEFINITION, "agno_settings": {"num_history_runs": "x"}},
        organization_id="o",
        new_id="a",
        previous=None,
        now=NOW,
    )
    assert result.failure().field == "$.agno_settings.num_history_runs"


def test_path_organisation_other_than_the_keys_is_not_found() -> None:
    assert isinstance(check_organization("o", "p").failure(), UnknownResourceError)


def test_invoking_a_running_task_is_a_conflict() -> None:
    running = decide_invoke(InvokeRequest(), existing=None, task_id="t", agent=agent(), now=NOW)
    again = decide_invoke(
        InvokeRequest(), existing=running.unwrap(), task_id="u", agent=agent(), now=NOW
    )
    assert isinstance(again.failure(), ConflictError)


def test_update_to_an_end_state_sets_finished_at() -> None:
    task = decide_invoke(
        InvokeRequest(), existing=None, task_id="t", agent=agent(), now=NOW
    ).unwrap()
    done = apply_task_update(task, TaskUpdate(status=TaskStatus.COMPLETED), now=NOW).unwrap()
    assert done.finished_at == NOW


def test_first_token_ask_starts_a_login() -> None:
    decision = mcp_token_step(
        None,
        OAUTH,
        generate_login_url=True,
        force_refresh=False,
        new_login_id="L",
        login_url_prefix="http://p/login/",
    )
    assert (decision.state, decision.answer.data.url) == (
        LoginPending(login_id="L"),
        "http://p/login/L",
    )


def test_issued_token_is_ready() -> None:
    issued = visit_login(LoginPending(login_id="L"), "L", "tok").unwrap()
    decision = mcp_token_step(
        issued,
        OAUTH,
        generate_login_url=False,
        force_refresh=False,
        new_login_id="M",
        login_url_prefix="",
    )
    assert decision.answer.type == McpAuthResultType.TOKEN_READY


def test_visiting_an_unknown_login_is_not_found() -> None:
    assert isinstance(
        visit_login(LoginPending(login_id="L"), "X", "tok").failure(), UnknownResourceError
    )


def test_server_without_oauth_is_not_supported() -> None:
    decision = mcp_token_step(
        None,
        McpServer(url="u"),
        generate_login_url=True,
        force_refresh=False,
        new_login_id="L",
        login_url_prefix="",
    )
    assert decision.answer.type == McpAuthResultType.NOT_SUPPORTED


@given(
    st.sampled_from([None, LoginPending(login_id="L"), TokenIssued(access_token=Secret("t"))]),
    st.sampled_from(list(McpAuthType)),
    st.sampled_from([None, "https://mcp.example"]),
    st.booleans(),
    st.booleans(),
)
def test_token_step_answers_every_input(
    state: object, auth: McpAuthType, url: str | None, generate: bool, force: bool
) -> None:
    server = McpServer(url=url, auth_type=auth)
    decision = mcp_token_step(
        state,  # type: ignore[arg-type]
        server,
        generate_login_url=generate,
        force_refresh=force,
        new_login_id="N",
        login_url_prefix="",
    )
    assert decision.answer.type in set(McpAuthResultType)


def test_decode_invoke_request_reads_null_files_as_none() -> None:
    body = b'{"input": {"text": "hi", "files": null}}'
    assert decode_invoke_request(body).unwrap().input.files == []


def test_decode_invoke_request_reads_an_empty_body_as_an_empty_request() -> None:
    assert decode_invoke_request(b"  ").unwrap() == InvokeRequest()


def test_decode_invoke_request_names_a_bad_field() -> None:
    body = b'{"input": {"text": 3}}'
    assert decode_invoke_request(body).failure().field == "$.input.text"


def test_prepare_agent_defaults_the_environment_id() -> None:
    assert agent().environment_id == LOCAL_ENVIRONMENT_ID


def test_prepare_agent_keeps_a_given_environment_id() -> None:
    definition = {**DEFINITION, "environment_id": "env-1"}
    made = prepare_agent(definition, organization_id="o", new_id="a", previous=None, now=NOW)
    assert made.unwrap().environment_id == "env-1"


def test_invoked_task_carries_the_agent_version_as_a_string() -> None:
    task = decide_invoke(InvokeRequest(), existing=None, task_id="t", agent=agent(), now=NOW)
    assert task.unwrap().agent_version == "1"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
AGENT_FIELDS = st.sampled_from(
    (
        *("id", "name", "unique_name", "organization_id", "framework", "model_provider"),
        *("model_name", "environment_id", "created_at", "version", "graph", "mcp_servers"),
    )
)


@settings(max_examples=200)
@given(body=st.binary(max_size=80) | json_values.map(lambda v: msgspec.json.encode({"input": v})))
def test_decode_invoke_request_is_total(body: bytes) -> None:
    result = decode_invoke_request(body)
    if isinstance(result, Failure):
        assert isinstance(result.failure(), DecodeError)
    else:
        assert isinstance(result.unwrap(), InvokeRequest)


@settings(max_examples=200)
@given(definition=st.dictionaries(AGENT_FIELDS, json_values, max_size=8) | json_values)
def test_prepare_agent_is_total(definition: Any) -> None:
    result = prepare_agent(definition, organization_id="o", new_id="n", previous=None, now=NOW)
    if isinstance(result, Failure):
        assert isinstance(result.failure(), InvalidInputError)
    else:
        assert result.unwrap().organization_id == "o"


@settings(max_examples=100)
@given(key_org=st.text(max_size=8), requested=st.none() | st.text(max_size=8))
def test_check_organization_answers_the_keys_org_or_not_found(
    key_org: str, requested: str | None
) -> None:
    result = check_organization(key_org, requested)
    if isinstance(result, Failure):
        assert isinstance(result.failure(), UnknownResourceError)
    else:
        assert result.unwrap() == key_org


@settings(max_examples=100)
@given(pending=st.none() | st.text(max_size=6), visited=st.text(max_size=6))
def test_visit_login_issues_only_for_the_pending_login(pending: str | None, visited: str) -> None:
    state = LoginPending(login_id=pending) if pending is not None else None
    result = visit_login(state, visited, "tok")
    assert isinstance(result, Failure) != (pending == visited)


# --- pushed events ---


def pushed(task_id: str = "t", org: str = "o") -> TaskUpdateEvent:
    return TaskUpdateEvent(task_id=task_id, organization_id=org, time=NOW, type=EventType.CHUNK)


def test_events_of_this_task_and_organisation_are_accepted() -> None:
    events = [pushed(), pushed()]
    assert check_pushed_events(events, "t", "o").unwrap() == events


def test_an_event_for_another_task_is_refused_with_its_path() -> None:
    error = check_pushed_events([pushed(), pushed(task_id="x")], "t", "o").failure()
    assert (error.field, error.reason) == ("$[1].task_id", "not this task")


def test_an_event_of_another_organisation_is_refused_with_its_path() -> None:
    error = check_pushed_events([pushed(org="p")], "t", "o").failure()
    assert (error.field, error.reason) == ("$[0].organization_id", "not the key's organisation")


@given(st.lists(st.tuples(st.sampled_from(["t", "x"]), st.sampled_from(["o", "p"]))))
def test_a_push_is_accepted_exactly_when_every_event_is_this_tasks(
    pairs: list[tuple[str, str]],
) -> None:
    events = [pushed(task_id, org) for task_id, org in pairs]
    accepted = not isinstance(check_pushed_events(events, "t", "o"), Failure)
    assert accepted == all(pair == ("t", "o") for pair in pairs)
