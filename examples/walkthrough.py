"""A core-only walkthrough: decode an agent, show that its key never leaks.

Run: python examples/walkthrough.py
"""

from xpander_pure import Agent, Tokens, decode, to_redacted_builtins

AGENT_JSON = b"""{
  "id": "agent-123", "organization_id": "org-1", "name": "Support Bot",
  "unique_name": "support-bot", "framework": "agno",
  "model_provider": "openai", "model_name": "gpt-4o",
  "llm_credentials": {"name": "team key", "value": "sk-walkthrough-secret"},
  "a_field_this_library_does_not_know": true
}"""


def main() -> None:
    agent = decode(Agent, AGENT_JSON).unwrap()
    print("decoded:", agent)
    print("credentials:", agent.llm_credentials)
    print("redacted:", to_redacted_builtins(agent)["llm_credentials"])
    print("bad input:", decode(Agent, b'{"id": 1}').failure())
    print("tokens:", Tokens(prompt_tokens=50, completion_tokens=150))


if __name__ == "__main__":
    main()
