#!/usr/bin/env python3
"""Write a batch body: N decision requests, a mix of operations; with IDS_FILE, stored
subjects by id, otherwise inline facts (usage: gen_batch.py N [ids_file] > body.json)."""
import json, sys

n = int(sys.argv[1])
ids = [l.strip() for l in open(sys.argv[2])] if len(sys.argv) > 2 else []
juris = ["US-CA", "US-TX", "DE", "FR", "GB", "US-NV"]
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
json.dump({"requests": reqs}, sys.stdout, separators=(",", ":"))
