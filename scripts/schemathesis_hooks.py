"""Schemathesis hooks for Convivio's device API (see scripts/schemathesis.sh).

A sync request names its device twice: by the bearer token and by `device_id` in the body, and a
token may only speak for its own device (403 otherwise). Generated bodies carry random device
ids, so without this every sync would stop at that check and nothing behind it would be tested.
A well-formed `device_id` is replaced by the enrolled device's; a malformed one (a negative test)
is left as it is, so it is still refused.
"""

import os
import uuid

import schemathesis

DEVICE_ID = os.environ["CONVIVIO_ST_DEVICE_ID"]


@schemathesis.hook
def map_body(ctx, body):
    if isinstance(body, dict) and isinstance(body.get("device_id"), str):
        try:
            uuid.UUID(body["device_id"])
        except ValueError:
            return body
        body["device_id"] = DEVICE_ID
    return body
