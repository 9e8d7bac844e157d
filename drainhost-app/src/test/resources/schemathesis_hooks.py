"""ApiFuzzIT's one change to what Schemathesis sends.

GET /executions/{workflowId}?wait= holds a request until the run closes, and generated ids often
name a run the fuzzer just started (a Sleep of up to an hour): every valid wait would be waited out
in full, minutes per run. A valid wait longer than 1 s is sent as 1 s in the same unit, so it stays
valid and still waits; invalid ones are sent as generated. HostIT checks the bounds themselves
(60s and 60000ms accepted, 61s and 60001ms refused).
"""
import re

import schemathesis

VALID = re.compile(r"^(?:(?:0|[1-9][0-9]{0,3}|[1-5][0-9]{4}|60000)ms|(?:[0-9]|[1-5][0-9]|60)s)$")


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.operation.path != "/executions/{workflowId}" or not case.query:
        return
    wait = case.query.get("wait")
    if not isinstance(wait, str) or not VALID.search(wait):
        return
    if wait.endswith("ms") and int(wait[:-2]) > 1000:
        case.query["wait"] = "1000ms"
    elif not wait.endswith("ms") and int(wait.rstrip("s\n")) > 1:
        case.query["wait"] = "1s"
