"""``materialize`` returns a real dict whose repr and str show no value (canaries)."""

from __future__ import annotations

import pytest

from xpander_io.frameworks import FrameworkArgs, materialize
from xpander_pure import Agent, Deployment, LLMCredentials, Secret, resolve_model
from xpander_pure.frameworks import PlanInput, plan_args

FRAMEWORKS = ("agno", "open-ai-agents", "langchain", "google-adk", "strands-agents")
KEY_CANARY = "sk-canary-args-9d41"
HEADER_CANARY = "hdr-canary-args-0e52"


def args_for(framework: str) -> FrameworkArgs:
    agent = Agent(
        id="a-1",
        organization_id="org-1",
        name="Canary",
        unique_name="canary",
        framework=framework,
        model_provider="openai",
        model_name="gpt-4o",
        llm_credentials=LLMCredentials(value=Secret(KEY_CANARY)),
        llm_extra_headers={"X-Gateway": HEADER_CANARY},
    )
    model = resolve_model(agent, None, {}, Deployment.LOCAL, {}).unwrap()
    return materialize(plan_args(framework, PlanInput(agent=agent, model=model)).unwrap())


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_repr_and_str_show_no_key_or_header_value(framework: str) -> None:
    args = args_for(framework)
    text = repr(args) + str(args) + f"{args}"
    assert (KEY_CANARY in text, HEADER_CANARY in text) == (False, False)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_repr_lists_every_argument_name(framework: str) -> None:
    args = args_for(framework)
    assert all(f"{name}: " in repr(args) for name in args)


def test_the_arguments_are_a_real_dict_equal_to_a_plain_one() -> None:
    args = args_for("agno")
    assert isinstance(args, dict) and args == dict(args)


def test_the_arguments_unpack_into_a_call() -> None:
    args = FrameworkArgs(name="bot", markdown=True)

    def build(**kwargs: object) -> dict[str, object]:
        return kwargs

    assert build(**args) == {"name": "bot", "markdown": True}


def test_repr_names_the_value_types() -> None:
    assert repr(FrameworkArgs(name="bot", api_key=KEY_CANARY)) == (
        "FrameworkArgs(api_key: str, name: str)"
    )


def test_a_copy_keeps_the_safe_repr() -> None:
    assert KEY_CANARY not in repr(FrameworkArgs(api_key=KEY_CANARY).copy())
