"""Rewrite expected/<case>.<framework>.json from the current planners (after an intended change)."""

from __future__ import annotations

import importlib.util
import json
import pathlib
import sys

_spec = importlib.util.spec_from_file_location(
    "cases", pathlib.Path(__file__).with_name("cases.py")
)
assert _spec is not None and _spec.loader is not None
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

from returns.result import Failure  # noqa: E402

from xpander_pure.frameworks import plan_args  # noqa: E402


def main() -> int:
    cases.EXPECTED.mkdir(exist_ok=True)
    for case in cases.CASES:
        plan_input = cases.load_case(case)
        for framework in cases.FRAMEWORKS:
            result = plan_args(framework, plan_input)
            path = cases.expected_path(case, framework)
            if isinstance(result, Failure):
                error = result.failure()
                record = {"error": type(error).__name__, "message": str(error)}
                path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
            else:
                path.write_text(cases.golden_text(result.unwrap()))
            print(path.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
