"""The local platform's rules: pure decisions its ASGI app persists.

These are the server side of the wire contract (what the platform stores,
refuses and answers), used by ``xpander_io.platform``. A client or an SDK
embedding the core does not need them; the two that clients use as well,
``END_STATES`` (when a task has ended) and ``InvokeRequest`` (the body of an
invoke), are also exported by ``xpander_pure``. The errors these rules return
(``ConflictError``, ``InvalidTransitionError``, ``UnknownResourceError``, ...)
are exported by ``xpander_pure``, since clients receive them.

Like the rest of the core, nothing here reads the environment, the clock, a
file or the network: identifiers, tokens and the time are passed in.
"""

from ._claims import Claim, is_claimable, tasks_to_deliver
from ._rules import (
    END_STATES,
    LOCAL_ENVIRONMENT_ID,
    TASK_TRANSITIONS,
    ExistingTask,
    InvokeRequest,
    LoginPending,
    LoginState,
    McpTokenDecision,
    ReportBody,
    ReportDecision,
    TaskUpdate,
    TokenIssued,
    apply_task_update,
    check_organization,
    check_pushed_events,
    check_transition,
    decide_invoke,
    decide_report,
    decode_invoke_request,
    mcp_token_owner,
    mcp_token_step,
    prepare_agent,
    report_fingerprint,
    unique_name_for,
    visit_login,
)
from ._workers import apply_worker_message

__all__ = [
    "Claim",
    "END_STATES",
    "ExistingTask",
    "InvokeRequest",
    "LOCAL_ENVIRONMENT_ID",
    "LoginPending",
    "LoginState",
    "McpTokenDecision",
    "ReportBody",
    "ReportDecision",
    "TASK_TRANSITIONS",
    "TaskUpdate",
    "TokenIssued",
    "apply_task_update",
    "apply_worker_message",
    "check_organization",
    "check_pushed_events",
    "check_transition",
    "decide_invoke",
    "decide_report",
    "decode_invoke_request",
    "is_claimable",
    "mcp_token_owner",
    "mcp_token_step",
    "prepare_agent",
    "report_fingerprint",
    "tasks_to_deliver",
    "unique_name_for",
    "visit_login",
]
