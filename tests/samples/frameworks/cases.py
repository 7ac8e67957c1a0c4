"""The framework sample cases as ``PlanInput`` values (tests and regenerate.py)."""

from __future__ import annotations

import json
import pathlib
from typing import Any

import msgspec

from xpander_pure import Agent, Deployment, Task, decode, resolve_model, to_redacted_builtins
from xpander_pure.frameworks import AgentPlan, PlanInput

HERE = pathlib.Path(__file__).parent
EXPECTED = HERE / "expected"
CASES = ("plain", "json_schema", "task_overrides", "mcp", "team")
FRAMEWORKS = ("agno", "open-ai-agents", "langchain", "google-adk", "strands-agents")


def plan_input_for(
    agent: Agent, task: Task | None, environment: dict[str, str], subs: list[Agent]
) -> PlanInput:
    model = resolve_model(agent, task, environment, Deployment.LOCAL, {}).unwrap()
    return PlanInput(
        agent=agent,
        model=model,
        task=task,
        sub_agents=[plan_input_for(sub, task, environment, []) for sub in subs],
    )


def load_case(name: str) -> PlanInput:
    raw: dict[str, Any] = json.loads((HERE / f"{name}.json").read_text())
    agent = decode(Agent, raw["agent"]).unwrap()
    task = decode(Task, raw["task"]).unwrap() if raw.get("task") else None
    subs = [decode(Agent, sub).unwrap() for sub in raw.get("sub_agents", [])]
    return plan_input_for(agent, task, raw.get("environment", {}), subs)


def golden_text(plan: AgentPlan) -> str:
    """The redacted plan as stable, indented JSON."""
    builtins = to_redacted_builtins(plan)
    return json.dumps(builtins, indent=2, sort_keys=True) + "\n"


def expected_path(case: str, framework: str) -> pathlib.Path:
    return EXPECTED / f"{case}.{framework}.json"


__all__ = ["CASES", "FRAMEWORKS", "expected_path", "golden_text", "load_case", "msgspec"]
