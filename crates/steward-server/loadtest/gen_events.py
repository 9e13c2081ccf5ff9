#!/usr/bin/env python3
"""A batch of usage events for POST /v1/events, like the core ingest bench: N events over
2,000 cookies in six jurisdictions, 60% through the analytics tracker, 20% through the
strictly necessary session cookie, 20% through the third-party ad pixel; IPv4 addresses.

    gen_events.py N > events.json
"""
import json
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
places = ["US-CA", "US-TX", "US-NY", "FR", "DE", "US-WA"]
trackers = ["analytics_uid", "analytics_uid", "analytics_uid", "session_cookie", "ads_pixel_3p"]
events = []
for i in range(n):
    d = i % 2000
    events.append({
        "type": "click" if i % 5 == 0 else "page_view",
        "tracker": trackers[i % len(trackers)],
        "cookie_id": f"ck-{d:06d}",
        "ip": f"203.0.{(d // 250) % 256}.{d % 250 + 1}",
        "page": f"/shop/item/{i % 97}",
        "link": "/offer" if i % 5 == 0 else None,
        "browser": "firefox",
        "registered": i % 4 == 0,
        "jurisdiction": places[d % len(places)],
    })
json.dump(events, sys.stdout, separators=(",", ":"))
