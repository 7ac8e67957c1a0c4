"""Calls per second of the pure core's hot paths, each against a baseline in the same run.

    python benchmarks/bench_core.py

- agent decoding: ``decode(Agent, payload)`` against ``msgspec.json.decode(payload)``
  (to a plain dict: no validation, no Structs) and ``json.loads``;
- key resolution: ``resolve_llm_key`` and ``resolve_model`` against a plain
  ``environment.get(name)`` (what a naive client does).

Ratios (baseline time / our time) are what to compare across machines.
"""

from __future__ import annotations

import json
import platform
import sys
import timeit
from collections.abc import Callable

import msgspec

from xpander_pure import (
    Agent,
    Deployment,
    decode,
    resolve_llm_key,
    resolve_model,
)

AGENT_PAYLOAD = msgspec.json.encode(
    {
        "id": "a-1",
        "organization_id": "org-1",
        "name": "Support Bot",
        "unique_name": "support-bot",
        "framework": "agno",
        "model_provider": "openai",
        "model_name": "gpt-5",
        "description": "Answers support questions",
        "instructions": {"role": ["helpful"], "goal": ["answer"], "general": "Be brief."},
        "version": 3,
        "status": "ACTIVE",
        "llm_credentials": {"name": "key", "value": "sk-bench"},
        "llm_extra_headers": {"X-Team": "support"},
        "llm_reasoning_effort": "high",
        "graph": [
            {"item_id": f"tool-{i}", "targets": [], "type": "tool", "name": f"t{i}"}
            for i in range(10)
        ],
        "agno_settings": {"session_storage": True, "num_history_runs": 20},
        "unknown_field_the_platform_added": {"nested": [1, 2, 3]},
        "created_at": "2025-01-01T00:00:00Z",
    }
)
AGENT = decode(Agent, AGENT_PAYLOAD).unwrap()
ENV = {"PATH": "/usr/bin", "HOME": "/root", "OPENAI_API_KEY": "sk-env", "AWS_REGION": "eu"}


def rate(fn: Callable[[], object], seconds: float = 0.5) -> float:
    """Best calls per second over 5 runs of about ``seconds`` each."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(1, int(number * seconds / 0.2))
    best = min(timer.repeat(repeat=5, number=number))
    return number / best


def row(name: str, ours: float, baseline_name: str, baseline: float) -> str:
    return f"| {name} | {ours:,.0f} | {baseline_name} | {baseline:,.0f} | {baseline / ours:.1f}x |"


def main() -> None:
    decode_agent = rate(lambda: decode(Agent, AGENT_PAYLOAD))
    msgspec_dict = rate(lambda: msgspec.json.decode(AGENT_PAYLOAD))
    json_loads = rate(lambda: json.loads(AGENT_PAYLOAD))
    lookup = rate(lambda: ENV.get("OPENAI_API_KEY"))
    key_local = rate(lambda: resolve_llm_key(AGENT, None, ENV, Deployment.LOCAL, {}))
    key_cloud = rate(lambda: resolve_llm_key(AGENT, None, ENV, Deployment.CLOUD, {}))
    model = rate(lambda: resolve_model(AGENT, None, ENV, Deployment.LOCAL, {"X-Org": "1"}))

    print(f"Python {sys.version.split()[0]}, msgspec {msgspec.__version__}, {platform.machine()}")
    print(f"agent payload: {len(AGENT_PAYLOAD)} bytes\n")
    print("| operation | calls/s | baseline | baseline calls/s | our time ÷ baseline time |")
    print("|---|---:|---|---:|---:|")
    print(row("decode(Agent, bytes)", decode_agent, "msgspec.json.decode → dict", msgspec_dict))
    print(row("decode(Agent, bytes)", decode_agent, "json.loads → dict", json_loads))
    print(row("resolve_llm_key (local)", key_local, "dict.get", lookup))
    print(row("resolve_llm_key (cloud)", key_cloud, "dict.get", lookup))
    print(row("resolve_model (local)", model, "dict.get", lookup))


if __name__ == "__main__":
    main()
