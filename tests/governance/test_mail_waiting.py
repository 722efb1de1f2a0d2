"""Staff see when convocations have waited too long for the background worker."""

import datetime
from typing import Any

from django.core import mail
from django.utils import timezone

from secretariat.governance import convocation
from tests import factories


def test_messages_queued_too_long_are_announced_to_staff_until_they_are_sent(
    client: Any, org: Any, planned: dict[str, Any], time_machine: Any
) -> None:
    meeting = planned["meeting"]
    convocation.meeting_convene(meeting=meeting, by=None)  # the worker is not running
    staff, member = factories.member_of(org, "staff"), factories.member_of(org, "member")
    pages = [f"/o/{org.slug}/", f"/o/{org.slug}/meetings/{meeting.pk}/"]
    client.force_login(staff)
    for page in pages:
        assert "waiting to be sent" not in client.get(page).content.decode()

    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=6))
    for page in pages:
        html = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "3 messages have been waiting to be sent since" in html
        assert "secretariat worker" in html
    client.force_login(member)
    assert "waiting to be sent" not in client.get(pages[1]).content.decode()

    convocation.deliver_pending(meeting=meeting)  # the worker runs again
    assert len(mail.outbox) == 3
    client.force_login(staff)
    for page in pages:
        assert "waiting to be sent" not in client.get(page).content.decode()


def test_the_warning_concerns_the_meeting_shown(
    client: Any, org: Any, planned: dict[str, Any], time_machine: Any
) -> None:
    convocation.meeting_convene(meeting=planned["meeting"], by=None)
    other = factories.meeting(planned["body"], title={"fr": "Autre réunion"})
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=10))
    client.force_login(factories.member_of(org, "staff"))
    html = client.get(f"/o/{org.slug}/meetings/{other.pk}/").content.decode()
    assert "waiting to be sent" not in html
