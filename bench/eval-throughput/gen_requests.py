#!/usr/bin/env python3
"""Generate decision requests for `steward policy eval`, one JSON object a line.

A realistic mix for the shipped policy (policies/stamps-2020-01-17.toml):
can_use, can_disclose, can_send, can_set_tracker and effective_choices, subjects
from the US (California, Nevada, Texas, ...), the EU/UK and elsewhere, about
40% of them with a small choices ledger (1-4 entries), a few unknown names
(which are decisions that fail closed, not errors) and about 1% malformed
lines (which get an error line). Deterministic for a given seed.

usage: gen_requests.py N [SEED] > requests.jsonl
"""

import json
import random
import sys

JURISDICTIONS = ["US-CA"] * 6 + ["US-TX", "US-NY", "US-NV", "US-WA", "US-FL"] * 2 + ["DE", "FR", "UK", "IE", "NL", "CH", "CA", "JP"]
KINDS = ["customer_account_holder"] * 8 + ["visitor", "authorized_user"]

USES = [
    ("email", "support"), ("name", "service_provision"), ("postal_address", "service_provision"),
    ("email", "marketing_first_party"), ("phone", "marketing_first_party"), ("ip_login", "login_security"),
    ("device_id", "security_fraud"), ("usps_regulatory_data", "usps_regulatory_oversight"),
    ("usps_regulatory_data", "security_fraud"), ("pages_viewed", "personalization"),
    ("gps_location", "service_improvement"), ("survey_answer", "feedback_analysis"),
    ("cookie_id", "ad_customization"), ("billing_info", "service_provision"), ("email", "unknown_purpose"),
]
DISCLOSURES = [
    (["name", "postal_address"], "MP1", "third_party_promotional_mail"),
    (["name", "postal_address", "email"], "MP1", "third_party_promotional_mail"),
    (["name", "email"], "SP_EMAIL", "important_communications"),
    (["name", "email"], "SP_EMAIL", "marketing_first_party"),
    (["name", "phone"], "SP_SMS", "important_communications"),
    (["usage_data"], "SP_ANALYTICS", "service_improvement"),
    (["usps_regulatory_data", "transaction_history"], "USPS_AUDITOR", "usps_regulatory_oversight"),
    (["usps_tracking_data", "email"], "USPS", "usps_tracking_status"),
    (["recipient_data", "postal_address"], "CAR_UPS", "transaction_completion"),
    (["name", "email"], "TP_Y", "marketing_third_party_offers"),
    (["cookie_id", "device_id"], "SP_ADS", "ad_customization"),
    (["name", "billing_info"], "SP_PAY", "service_provision"),
    (["name", "postal_address"], "ACME_BROKER", "third_party_promotional_mail"),
]
SENDS = [
    ("transactional", "email"), ("policy_change", "email"), ("support_followup", "email"),
    ("marketing_first_party", "email"), ("marketing_first_party", "sms"), ("marketing_first_party", "postal"),
    ("marketing_third_party_offer", "email"), ("marketing_third_party_offer", "phone"),
]
TRACKERS = ["session_cookie", "csrf_cookie", "lb_cookie", "recognition_cookie", "content_personalization",
            "analytics_uid", "promo_tracker", "ads_pixel_3p", "unknown_tracker"]
LEDGER_KEYS = ["sale_opt_out", "share_opt_out", "third_party_sharing_opt_out", "gpc", "limit_spi",
               "marketing:first_party:email", "marketing:first_party:sms", "marketing:third_party_offers:email",
               "consent:third_party_sharing", "cookie:analytics", "cookie:advertising",
               "cookie:preferences_recognition", "location_services", "consent:recipient:TP_Y"]
SOURCES = ["user"] * 6 + ["gpc", "default", "admin", "support"]
MALFORMED = [
    '{"op":"can_use","subject":{"jurisdiction":"US-CA"},"category":"email","purpose":"support"',
    '{"op":"can_disclose","recipient":"MP1","categories":"name"}',
    '{"op":"can_use","subject":{"jurisdiction":"XX-1234"},"category":"email","purpose":"support"}',
    '{"op":"can_fly","category":"email"}',
    '{"op":"can_use","colour":"blue"}',
    'not json at all',
    '{"op":"effective_choices","subject":{"ledger":[{"key":"no_such_choice","value":true,"at":"2024-03-01T00:00:00Z"}]}}',
]


def subject(rng):
    s = {"jurisdiction": rng.choice(JURISDICTIONS)}
    k = rng.choice(KINDS)
    if k != "customer_account_holder":
        s["kind"] = k
    if rng.random() < 0.1:
        s["age"] = rng.randint(12, 80)
    if rng.random() < 0.4:
        s["ledger"] = [
            {
                "key": rng.choice(LEDGER_KEYS),
                "value": rng.random() < 0.6,
                "source": rng.choice(SOURCES),
                "at": "2024-0%d-%02dT%02d:%02d:00Z" % (rng.randint(1, 3), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)),
            }
            for _ in range(rng.randint(1, 4))
        ]
    return s


def request(rng, i):
    r = rng.random()
    if r < 0.01:
        return rng.choice(MALFORMED)
    req = {"id": "r%d" % i}
    if r < 0.31:
        cat, purpose = rng.choice(USES)
        req.update(op="can_use", category=cat, purpose=purpose)
    elif r < 0.61:
        cats, rec, purpose = rng.choice(DISCLOSURES)
        req.update(op="can_disclose", categories=cats, recipient=rec, purpose=purpose)
    elif r < 0.76:
        kind, channel = rng.choice(SENDS)
        req.update(op="can_send", message_kind=kind, channel=channel)
    elif r < 0.91:
        req.update(op="can_set_tracker", tracker=rng.choice(TRACKERS))
    else:
        req.update(op="effective_choices")
    req["subject"] = subject(rng)
    ctx = {}
    if rng.random() < 0.2:
        ctx["now"] = "2024-03-04T17:00:00Z"
    if rng.random() < 0.1:
        ctx["gpc"] = True
    if req["op"] == "can_send" and req["message_kind"] != "transactional":
        ctx["template"] = {"has_unsubscribe": True, "has_postal_address": True, "has_promo": rng.random() < 0.2}
    if req["op"] == "can_disclose" and req["recipient"].startswith("CAR_"):
        ctx["carrier_selected"] = True
    if ctx:
        req["context"] = ctx
    return json.dumps(req, separators=(",", ":"))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    rng = random.Random(seed)
    out = sys.stdout
    buf = []
    for i in range(n):
        buf.append(request(rng, i))
        if len(buf) == 10_000:
            out.write("\n".join(buf) + "\n")
            buf.clear()
    if buf:
        out.write("\n".join(buf) + "\n")


if __name__ == "__main__":
    main()
