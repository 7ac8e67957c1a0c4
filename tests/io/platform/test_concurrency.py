"""Several processes write to one platform at once: nothing lost, nothing duplicated."""

import subprocess
import sys

from platform_helpers import report_body

from xpander_io.platform import LocalPlatform, serve

REPORTER = """
import sys, httpx, json
base, key, agent, who, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
body = json.loads(sys.argv[6])
with httpx.Client(base_url=base, headers={"x-api-key": key}) as http:
    for n in range(count):
        for task_id in (f"{who}-{n}", f"shared-{n}"):
            url = f"/agent-execution/{agent}/report_task"
            response = http.post(url, json={**body, "id": task_id})
            assert response.status_code == 200, response.text
"""

DIRECT_WRITER = """
import sys
from xpander_io.platform import LocalPlatform
platform = LocalPlatform(sys.argv[1])
for n in range(int(sys.argv[4])):
    platform.create_task(sys.argv[2], sys.argv[3], f"direct {n}")
platform.close()
"""


def test_concurrent_reports_and_writers_from_several_processes(
    platform: LocalPlatform, org: str, key: str, agent_id: str
) -> None:
    import json

    body = json.dumps(report_body(None))
    count = 15
    with serve(platform) as base_url:
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", REPORTER, base_url, key, agent_id, f"p{i}", str(count), body]
            )
            for i in range(3)
        ] + [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    DIRECT_WRITER,
                    platform.store.path,
                    org,
                    agent_id,
                    str(count),
                ]
            )
            for _ in range(2)
        ]
        codes = [process.wait(timeout=120) for process in processes]
    tasks = platform.list_tasks(org)
    reported = sorted(t.id for t in tasks if t.source == "external")
    expected = sorted(
        [f"p{i}-{n}" for i in range(3) for n in range(count)]
        + [f"shared-{n}" for n in range(count)]
    )
    direct = [t for t in tasks if t.source != "external"]
    assert (codes, reported, len(direct)) == ([0] * 5, expected, 2 * count)
