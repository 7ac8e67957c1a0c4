"""Framework dispatch: warm get_args per framework against the official client's agno get_args.

Serves one local platform on 127.0.0.1 (uvicorn, ephemeral port), seeds an
organisation, a key, an agent and a task, then measures in child interpreters
(one for ours, one for the official client) so neither shares a process with
the server:

- ours, per framework: ``plan_args`` + ``materialize`` alone (no I/O; the
  ``PlanInput`` built once), and ``Backend.get_args(framework=...)`` warm
  (fetch agent, organisation headers, resolve key, plan, materialize);
- official: ``Backend.get_args`` (agno, the only framework it builds).

After 3 warm-up calls, the median of N calls. Ratios are ours ÷ official agno
get_args (below 1 = we are faster). The official client needs its own venv::

    python benchmarks/bench_frameworks.py --sdk-python .sdkvenv/bin/python
"""

from __future__ import annotations

import argparse
import platform as platform_info
import sys

from _support import OFFICIAL_SETUP, TIMING, child, served_platform

from xpander_pure import to_wire

FRAMEWORKS = ("agno", "open-ai-agents", "langchain", "google-adk", "strands-agents")

OURS = (
    TIMING
    + r"""
import json, sys
from xpander_io import Backend, Configuration
from xpander_io.frameworks import materialize
from xpander_pure import Agent, Deployment, Task, decode, resolve_model
from xpander_pure.frameworks import PlanInput, plan_args

n, agent_id, task_json, agent_json = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
frameworks = sys.argv[5].split(",")
task = decode(Task, task_json.encode()).unwrap()
agent = decode(Agent, agent_json.encode()).unwrap()
backend = Backend(Configuration())
model = resolve_model(agent, task, {}, Deployment.LOCAL, {}).unwrap()
plan_input = PlanInput(agent=agent, model=model, task=task)

out = {}
for fw in frameworks:
    out[f"plan+materialize {fw}"] = timed(
        lambda: materialize(plan_args(fw, plan_input).unwrap()), n)
    out[f"get_args {fw}"] = timed(
        lambda: backend.get_args(agent_id=agent_id, task=task, framework=fw), n)
print(json.dumps(out))
"""
)

OFFICIAL = (
    OFFICIAL_SETUP
    + r"""
agno = timed(lambda: backend.get_args(agent_id=agent_id, task=task), n)
print(json.dumps({"get_args agno": agno}))
"""
)

AGENT = {
    "name": "Support Bot",
    "framework": "agno",
    "model_provider": "openai",
    "model_name": "gpt-4o",
    "instructions": {"role": ["You help customers."], "goal": ["Answer well."], "general": "Help."},
    "llm_credentials": {"name": "key", "value": "sk-bench-not-a-real-key"},
    # The local platform serves no session database; the official client asks for one.
    "agno_settings": {"session_storage": False},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdk-python", default=".sdkvenv/bin/python")
    parser.add_argument("-n", type=int, default=30, help="timed calls per measurement")
    options = parser.parse_args()
    # LiteLLM (google-adk, openai-agents routes) fetches a price map on import.
    with served_platform(AGENT, extra_env={"LITELLM_LOCAL_MODEL_COST_MAP": "True"}) as seeded:
        agent, task = seeded.agent, seeded.task
        ours = child(
            sys.executable,
            OURS,
            [
                str(options.n),
                agent.id,
                to_wire(task).decode(),
                to_wire(agent).decode(),
                ",".join(FRAMEWORKS),
            ],
            seeded.env,
        )
        official = child(
            options.sdk_python, OFFICIAL, [str(options.n), agent.id, task.id], seeded.env
        )
    base = official["get_args agno"]
    print(f"Python {platform_info.python_version()}, {platform_info.machine()}, n={options.n}")
    print()
    print("| measurement (warm, median) | ms | ÷ official agno get_args |")
    print("|---|---:|---:|")
    print(f"| official xpander-sdk get_args (agno) | {base * 1000:.2f} | 1.00x |")
    for name, value in ours.items():
        print(f"| ours: {name} | {value * 1000:.2f} | {value / base:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
