"""The Python client's smoke test against a live `steward serve` (scripts/clients-smoke runs it
with the other clients against one server):

    python clients/python/smoke.py http://127.0.0.1:8080 stw_...

Creates a subject, asks whether its name and address may go to a mailing partner (allowed),
records a choice with `Sec-GPC: 1` passed through and asks again (refused, with the reason),
submits an access request on the customer's behalf and follows it to its approval.
"""

import os
import sys
from uuid import UUID

from steward_client import AuthenticatedClient
from steward_client.api.choices import choices_record
from steward_client.api.decisions import decide
from steward_client.api.requests import approve, show, submit
from steward_client.api.subjects import subjects_create
from steward_client.models import (
    ApproveIn,
    ChoiceIn,
    CreateSubject,
    DecisionAnswer,
    IdentityIn,
    IdentityKindDto,
    IntakeAnswer,
    Problem,
    RecordChoices,
    Recorded,
    Request,
    RequesterDto,
    RequestOut,
    SubjectFacts,
    SubjectOut,
    SubmitIn,
)


def check(ok: bool, what: str) -> None:
    if not ok:
        raise AssertionError(f"not so: {what}")


def expect(value, kind):
    """The answer, if it is of the documented type; a problem document fails the test."""
    if isinstance(value, Problem):
        raise AssertionError(f"steward answered {value.status} {value.code}: {value.detail}")
    check(isinstance(value, kind), f"a {kind.__name__}, got {value!r}")
    return value


def smoke(steward: AuthenticatedClient) -> None:
    email = f"smoke-python-{os.getpid()}@example.test"
    subject = expect(
        subjects_create.sync(
            client=steward,
            body=CreateSubject(
                jurisdiction="US-CA",
                identities=[IdentityIn(kind=IdentityKindDto.EMAIL, value=email)],
            ),
        ),
        SubjectOut,
    )
    label = Request(
        op="can_disclose",
        subject=SubjectFacts(id=subject.id),
        categories=["name", "postal_address"],
        recipient="MP1",
        purpose="third_party_promotional_mail",
    )
    before = expect(decide.sync(client=steward, body=label), DecisionAnswer)
    print(
        f"decide: allow={before.allow} reason={before.reason} clause={before.clause!r} "
        f"record_disclosure={before.obligations.record_disclosure}"
    )
    check(before.allow, "the disclosure is allowed before any choice")

    recorded = expect(
        choices_record.sync(
            client=steward,
            body=RecordChoices(
                subject_id=UUID(subject.id),
                choices=[ChoiceIn(key="marketing:first_party:email", value=True, channel="web_form")],
            ),
            sec_gpc="1",
        ),
        Recorded,
    )
    print(f"choices: {len(recorded.choice_ids)} recorded")
    after = expect(decide.sync(client=steward, body=label), DecisionAnswer)
    print(f"decide: allow={after.allow} reason={after.reason}")
    check(not after.allow, "Sec-GPC: 1 opted the subject out of the sale")

    submitted = expect(
        submit.sync(
            client=steward,
            body=SubmitIn(
                kind="access",
                requester=RequesterDto.ADMIN,
                channel="support",
                email=email,
                subject_id=UUID(subject.id),
                preverified="support_call_kba",
            ),
        ),
        IntakeAnswer,
    )
    print(f"request {submitted.request_id}: {submitted.state}")
    followed = expect(show.sync(UUID(submitted.request_id), client=steward), RequestOut)
    check(followed.state == "verified", "the request is verified")
    check(followed.status == "ON_TRACK", "the request is on track")
    approved = expect(
        approve.sync(UUID(submitted.request_id), client=steward, body=ApproveIn()),
        RequestOut,
    )
    print(f"request {approved.id}: {approved.state} (due {approved.due})")
    check(approved.state == "approved", "the request is approved")

    missing = show.sync(UUID("00000000-0000-7000-8000-000000000000"), client=steward)
    check(isinstance(missing, Problem) and missing.code == "NOT_FOUND", f"404 NOT_FOUND, got {missing!r}")


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: smoke.py URL API_KEY", file=sys.stderr)
        return 2
    with AuthenticatedClient(base_url=sys.argv[1], token=sys.argv[2], raise_on_unexpected_status=True) as steward:
        try:
            smoke(steward)
        except AssertionError as e:
            print(f"python client: FAILED: {e}", file=sys.stderr)
            return 1
    print("python client: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
