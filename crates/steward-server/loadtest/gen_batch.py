#!/usr/bin/env python3
"""Write a batch body of N decisions (usage: gen_batch.py N [ids_file] [--template] > body.json).

Without ids_file: N requests with inline facts, a mix of operations. With ids_file: N requests
about stored subjects (cycling over the ids). With --template: one question (`can_disclose`
to a mailing partner) for N stored subjects."""
import json, sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
template = "--template" in sys.argv
n = int(args[0])
ids = [l.strip() for l in open(args[1])] if len(args) > 1 else []
juris = ["US-CA", "US-TX", "DE", "FR", "GB", "US-NV"]
if template:
    body = {
        "template": {"op": "can_disclose", "categories": ["name", "postal_address"],
                     "recipient": "MP1", "purpose": "third_party_promotional_mail"},
        "subjects": [ids[i % len(ids)] for i in range(n)],
    }
else:
    reqs = []
    for i in range(n):
        subject = {"id": ids[i % len(ids)]} if ids else {"jurisdiction": juris[i % len(juris)]}
        k = i % 4
        if k == 0:
            r = {"op": "can_disclose", "categories": ["name", "postal_address"], "recipient": "MP1",
                 "purpose": "third_party_promotional_mail"}
        elif k == 1:
            r = {"op": "can_use", "category": "email", "purpose": "support"}
        elif k == 2:
            r = {"op": "can_use", "category": "usps_regulatory_data", "purpose": "marketing_first_party"}
        else:
            r = {"op": "can_send", "message_kind": "marketing_first_party", "channel": "email"}
        r["subject"] = subject
        reqs.append(r)
    body = {"requests": reqs}
json.dump(body, sys.stdout, separators=(",", ":"))
