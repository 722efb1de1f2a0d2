import datetime
import zoneinfo
from typing import Any

from django.test import Client
from django.urls import reverse

from secretariat.governance import agenda
from secretariat.governance.models import Invitation, MeetingState
from tests import factories

LU = zoneinfo.ZoneInfo("Europe/Luxembourg")


def meeting_urls(slug: str, p: dict[str, Any]) -> list[str]:
    m = p["meeting"]
    return [
        reverse("meeting_list", args=[slug]),
        reverse("meeting_detail", args=[slug, m.pk]),
        reverse("meeting_edit", args=[slug, m.pk]),
        reverse("meeting_create", args=[slug, p["body"].pk]),
        reverse("date_finder", args=[slug, p["body"].pk]) + "?start=2027-01-04&end=2027-01-31",
        reverse("item_create", args=[slug, m.pk]),
        reverse("item_edit", args=[slug, m.pk, p["a"].pk]),
        reverse("body_rules", args=[slug, p["body"].pk]),
        reverse("meeting_letters", args=[slug, m.pk]),
    ]


def test_meeting_pages_render_for_staff(client: Client, org: Any, staff: Any, planned: Any) -> None:
    client.force_login(staff)
    for url in meeting_urls(org.slug, planned):
        assert client.get(url).status_code == 200, url
    start, end = factories.days_ahead(40).date(), factories.days_ahead(51).date()
    html = client.get(
        reverse("date_finder", args=[org.slug, planned["body"].pk]) + f"?start={start}&end={end}"
    ).content.decode()
    assert "free" in html


def test_meeting_pages_are_404_for_another_organisation(
    client: Client, other_org: Any, org: Any, planned: Any
) -> None:
    client.force_login(factories.member_of(other_org, "admin"))
    for url in meeting_urls(org.slug, planned):
        assert client.get(url).status_code == 404, url
    for url in (
        meeting_urls(other_org.slug, planned)[1:3] + meeting_urls(other_org.slug, planned)[5:]
    ):
        assert client.get(url).status_code == 404, url


def test_read_only_users_see_meetings_but_cannot_plan_or_convene(
    client: Client, org: Any, planned: Any
) -> None:
    client.force_login(factories.member_of(org, "readonly"))
    assert (
        client.get(reverse("meeting_detail", args=[org.slug, planned["meeting"].pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("meeting_edit", args=[org.slug, planned["meeting"].pk])).status_code
        == 403
    )
    assert (
        client.post(
            reverse("meeting_detail", args=[org.slug, planned["meeting"].pk]), {"action": "convene"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("body_rules", args=[org.slug, planned["body"].pk]), {}).status_code
        == 403
    )
    assert not Invitation.objects.exists()


def test_staff_reorder_the_agenda_without_reloading_and_convene(
    client: Client, org: Any, staff: Any, planned: Any
) -> None:
    client.force_login(staff)
    url = reverse("meeting_detail", args=[org.slug, planned["meeting"].pk])
    response = client.post(url, {"action": "up", "item": planned["b"].pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="agenda"' in response.content.decode()
    assert "<html" not in response.content.decode()
    numbers = agenda.numbering(planned["meeting"].items.all())
    assert numbers[planned["b"].pk] == "1" and numbers[planned["a"].pk] == "2"
    response = client.post(url, {"action": "convene"})
    assert response.status_code == 302
    planned["meeting"].refresh_from_db()
    assert planned["meeting"].state == MeetingState.CONVENED
    assert Invitation.objects.filter(meeting=planned["meeting"]).count() == 3


def test_planning_a_meeting_reads_times_in_the_meetings_time_zone(
    client: Client, org: Any, staff: Any, planned: Any
) -> None:
    client.force_login(staff)
    response = client.post(
        reverse("meeting_create", args=[org.slug, planned["body"].pk]),
        {
            "title__fr": "Séance",
            "title__de": "Sitzung",
            "start": "2027-03-04T18:00",
            "end": "2027-03-04T20:00",
            "timezone": "Europe/Brussels",
            "mode": "in_person",
            "place": "Kortrijk",
        },
    )
    assert response.status_code == 302
    meeting = planned["body"].meetings.get(place="Kortrijk")
    assert meeting.start == datetime.datetime(2027, 3, 4, 17, 0, tzinfo=datetime.UTC)


def test_a_member_answers_through_the_personal_link(
    client: Client, org: Any, staff: Any, planned: Any
) -> None:
    from secretariat.governance import convocation

    convocation.meeting_convene(meeting=planned["meeting"], by=None)
    first, second = Invitation.objects.filter(meeting=planned["meeting"])[:2]
    page = client.get(reverse("invitation", args=[first.token]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Budget" in html or "Haushalt" in html
    assert (
        client.post(reverse("invitation", args=[first.token]), {"answer": "in_person"}).status_code
        == 302
    )
    response = client.post(
        reverse("invitation", args=[second.token]), {"answer": "proxy", "proxy_to": first.pk}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.proxy_to == first
    assert client.get(reverse("invitation", args=["not-a-token"])).status_code == 404


def test_on_the_day_sign_in_vote_register_and_follow_up(
    client: Client, org: Any, staff: Any, planned: Any, time_machine: Any
) -> None:
    from secretariat.governance import convocation
    from secretariat.governance.models import Decision, Delivery

    meeting = planned["meeting"]
    convocation.meeting_convene(meeting=meeting, by=None)
    time_machine.move_to(meeting.start)
    Delivery.objects.update(status="sent")
    client.force_login(staff)
    session = reverse("meeting_session", args=[org.slug, meeting.pk])
    for invitation in Invitation.objects.filter(meeting=meeting):
        assert (
            client.post(session, {"action": "arrive", "invitation": invitation.pk}).status_code
            == 302
        )
    page = client.get(session + f"?item={planned['b'].pk}")
    assert page.status_code == 200 and page.context["quorum"].met
    response = client.post(
        session,
        {"action": "vote", "item": planned["b"].pk, "yes": "3", "no": "0", "abstain": "0"},
        follow=True,
    )
    assert (
        "adopted" in " ".join(str(m) for m in response.context["messages"])
        or Decision.objects.filter(status="adopted").exists()
    )
    decision = Decision.objects.get(item=planned["b"])
    too_many = client.post(
        session, {"action": "vote", "item": planned["b"].pk, "yes": "9"}, follow=True
    )
    assert any("more than" in str(m) for m in too_many.context["messages"])
    assert client.get(reverse("register", args=[org.slug])).status_code == 200
    detail = reverse("decision_detail", args=[org.slug, decision.pk])
    owner = planned["people"][0]
    response = client.post(
        detail,
        {
            "title__fr": "Publier",
            "title__de": "Veröffentlichen",
            "owner_person": owner.pk,
            "due": "2027-02-01",
            "status": "open",
            "progress": 0,
        },
    )
    assert response.status_code == 302
    action = decision.actions.get()
    assert client.get(reverse("follow_up", args=[org.slug])).status_code == 200
    response = client.post(
        reverse("action_edit", args=[org.slug, action.pk]),
        {"title__fr": "Publier", "owner_person": owner.pk, "status": "in_progress", "progress": 50},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.progress == 50


def test_decision_pages_are_isolated(
    client: Client, org: Any, other_org: Any, planned: Any, time_machine: Any
) -> None:
    from secretariat.governance import convocation, decisions
    from secretariat.governance.models import Decision

    meeting = planned["meeting"]
    convocation.meeting_convene(meeting=meeting, by=None)
    time_machine.move_to(meeting.start)
    for invitation in Invitation.objects.filter(meeting=meeting):
        decisions.invitation_arrive(invitation=invitation, by=None)
    decisions.vote_record(item=planned["b"], by=None, yes=3)
    decision = Decision.objects.get()
    action = decisions.action_create(
        decision=decision, by=None, title={"fr": "X"}, owner_person=planned["people"][0]
    )
    client.force_login(factories.member_of(other_org, "admin"))
    for slug in (org.slug, other_org.slug):
        for url in [
            reverse("decision_detail", args=[slug, decision.pk]),
            reverse("action_edit", args=[slug, action.pk]),
            reverse("meeting_session", args=[slug, meeting.pk]),
        ]:
            assert client.get(url).status_code == 404, url
    client.force_login(factories.member_of(org, "readonly"))
    assert client.get(reverse("decision_detail", args=[org.slug, decision.pk])).status_code == 200
    assert client.get(reverse("action_edit", args=[org.slug, action.pk])).status_code == 403
    assert (
        client.post(
            reverse("meeting_session", args=[org.slug, meeting.pk]), {"action": "vote"}
        ).status_code
        == 403
    )


def test_calendar_feeds_of_a_body_and_of_a_person_parse_back(
    client: Client, org: Any, staff: Any, planned: Any
) -> None:
    import icalendar

    from secretariat.governance import convocation, feeds

    convocation.meeting_convene(meeting=planned["meeting"], by=None)
    body_feed = feeds.feed_for_body(planned["body"])
    person_feed = feeds.feed_for_person(planned["people"][0])
    for feed in (body_feed, person_feed):
        response = client.get(reverse("calendar_feed", args=[feed.token]))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        assert [str(e["UID"]) for e in events] == [f"{planned['meeting'].uid}@secretariat"]
        assert events[0].decoded("DTSTART") == planned["meeting"].start
    outsider = factories.person(org)
    assert (
        icalendar.Calendar.from_ical(
            client.get(
                reverse("calendar_feed", args=[feeds.feed_for_person(outsider).token])
            ).content
        ).walk("VEVENT")
        == []
    )
    assert client.get(reverse("calendar_feed", args=["wrong"])).status_code == 404
    client.force_login(staff)
    assert (
        body_feed.token
        in client.get(reverse("body_detail", args=[org.slug, planned["body"].pk])).content.decode()
    )


def test_documents_with_a_file_per_language_reach_staff_and_convened_members_only(
    client: Client, org: Any, other_org: Any, staff: Any, planned: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secretariat.governance import convocation
    from secretariat.governance.models import DocumentFile

    meeting, item = planned["meeting"], planned["b"]
    client.force_login(staff)
    url = reverse("item_documents", args=[org.slug, meeting.pk, item.pk])
    response = client.post(
        url,
        {
            "doc_title__fr": "Budget détaillé",
            "doc_title__de": "Detaillierter Haushalt",
            "doc_file__fr": SimpleUploadedFile("budget-fr.pdf", b"%PDF-1.4 budget"),
            "doc_file__de": SimpleUploadedFile("haushalt-de.pdf", b"%PDF-1.4 Haushalt"),
        },
    )
    assert response.status_code == 302
    files = {f.language: f for f in DocumentFile.objects.all()}
    assert set(files) == {"fr", "de"}
    assert b"Haushalt" in b"".join(
        client.get(reverse("document_file", args=[org.slug, files["de"].pk])).streaming_content
    )
    convocation.meeting_convene(meeting=meeting, by=None)
    invitation = Invitation.objects.filter(meeting=meeting).first()
    client.logout()
    member_url = reverse("member_file", args=[invitation.token, files["fr"].pk])
    assert b"budget" in b"".join(client.get(member_url).streaming_content)
    assert member_url in client.get(reverse("invitation", args=[invitation.token])).content.decode()
    assert (
        client.get(
            reverse("member_file", args=[invitation.token, files["fr"].pk + 100])
        ).status_code
        == 404
    )
    client.force_login(factories.member_of(other_org, "admin"))
    assert client.get(reverse("document_file", args=[org.slug, files["fr"].pk])).status_code == 404
    assert (
        client.get(reverse("document_file", args=[other_org.slug, files["fr"].pk])).status_code
        == 404
    )
    empty = client.post(reverse("item_documents", args=[other_org.slug, meeting.pk, item.pk]), {})
    assert empty.status_code == 404


def test_staff_record_an_answer_given_by_phone(
    client: Client, org: Any, staff: Any, planned: Any
) -> None:
    from secretariat.governance import convocation

    convocation.meeting_convene(meeting=planned["meeting"], by=None)
    first, second = Invitation.objects.filter(meeting=planned["meeting"])[:2]
    client.force_login(staff)
    url = reverse("meeting_detail", args=[org.slug, planned["meeting"].pk])
    assert (
        client.post(
            url, {"action": "answer", "invitation": first.pk, "answer": "in_person"}
        ).status_code
        == 302
    )
    response = client.post(
        url,
        {"action": "answer", "invitation": second.pk, "answer": "proxy", "proxy_to": first.pk},
        follow=True,
    )
    second.refresh_from_db()
    assert second.answer == "proxy" and second.proxy_to == first
    refused = client.post(
        url,
        {"action": "answer", "invitation": first.pk, "answer": "proxy", "proxy_to": second.pk},
        follow=True,
    )
    assert any(
        "not attending" in str(m) or "own proxy" in str(m) for m in refused.context["messages"]
    )
    assert response.status_code == 200


def test_the_meeting_page_offers_every_document_in_each_language_and_side_by_side(
    client: Client, org: Any, staff: Any, planned: Any
) -> None:
    from secretariat.governance import convocation

    convocation.meeting_convene(meeting=planned["meeting"], by=None)
    client.force_login(staff)
    html = client.get(
        reverse("meeting_detail", args=[org.slug, planned["meeting"].pk])
    ).content.decode()
    for kind in ("convocation", "dossier", "minutes"):
        base = reverse("meeting_document", args=[org.slug, planned["meeting"].pk, kind, "pdf"])
        assert f"{base}?lang=fr" in html and f"{base}?lang=de" in html
        # Side by side: the pair is chosen in a form that sends it to the Word or PDF address.
        assert f'formaction="{base}"' in html
    assert 'name="answer"' in html and 'value="in_person"' in html


def test_members_of_bodies_read_public_decisions_only(
    client: Client, org: Any, planned: Any, time_machine: Any
) -> None:
    from secretariat.governance import convocation, decisions
    from secretariat.governance.models import Decision

    agenda.item_update(item=planned["b"], by=None, public=False)
    convocation.meeting_convene(meeting=planned["meeting"], by=None)
    time_machine.move_to(planned["meeting"].start)
    for invitation in Invitation.objects.filter(meeting=planned["meeting"]):
        decisions.invitation_arrive(invitation=invitation, by=None)
    decisions.vote_record(item=planned["b"], by=None, yes=3)
    decision = Decision.objects.get()
    assert not decision.public
    member = factories.member_of(org, "member")
    client.force_login(member)
    assert decision.number not in client.get(reverse("register", args=[org.slug])).content.decode()
    assert client.get(reverse("decision_detail", args=[org.slug, decision.pk])).status_code == 403
    # Nor its vote: on the day's page, or through the API.
    session = client.get(
        reverse("meeting_session", args=[org.slug, planned["meeting"].pk])
        + f"?item={planned['b'].pk}"
    ).content.decode()
    assert 'class="outcome"' not in session and "Adopted" not in session
    from secretariat.core.tokens import token_create

    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=member, name='t')[1]}"}
    url = (
        f"/api/v1/organisations/{org.slug}/meetings/{planned['meeting'].pk}/items/"
        f"{planned['b'].pk}/vote"
    )
    assert client.get(url, **bearer).status_code == 403
    client.force_login(factories.member_of(org, "readonly"))
    assert decision.number in client.get(reverse("register", args=[org.slug])).content.decode()


def test_the_retry_button_counts_every_failed_message_of_a_large_body(
    client: Client, org: Any, staff: Any, planned: Any
) -> None:
    from secretariat.governance import convocation
    from secretariat.governance.models import Delivery
    from secretariat.network.models import Person

    meeting = planned["meeting"]
    convocation.meeting_convene(meeting=meeting, by=None)
    people = Person.objects.bulk_create(
        Person(organisation=org, given_name="Membre", family_name=f"N{n}", languages=["fr"])
        for n in range(320)
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(organisation=org, meeting=meeting, person=p, language="fr") for p in people
    )
    Delivery.objects.bulk_create(
        Delivery(
            organisation=org,
            invitation=i,
            kind="convocation",
            status="failed",
            address=f"m{i.pk}@test.example",
        )
        for i in invitations
    )
    client.force_login(staff)
    html = client.get(reverse("meeting_detail", args=[org.slug, meeting.pk])).content.decode()
    assert "Retry 320 failed messages" in html


def test_cancelling_a_meeting_asks_first_shows_the_message_then_tells_the_members(
    client: Client, org: Any, staff: Any, planned: Any
) -> None:
    from secretariat.governance import convocation
    from secretariat.governance.models import Delivery

    meeting = planned["meeting"]
    convocation.meeting_convene(meeting=meeting, by=None)
    Delivery.objects.update(status="sent")
    client.force_login(staff)
    url = reverse("meeting_detail", args=[org.slug, meeting.pk])
    asked = client.post(url, {"action": "cancelled"})
    meeting.refresh_from_db()
    assert asked.status_code == 200 and meeting.state == MeetingState.CONVENED
    html = asked.content.decode()
    assert "3 members convened will be told at once" in html
    assert "This cannot be undone." in html and 'name="confirmed" value="yes"' in html
    assert "Annulation\xa0: Directoire de décembre" in html  # the French preview
    assert not Delivery.objects.filter(kind="cancellation").exists()
    done = client.post(url, {"action": "cancelled", "confirmed": "yes"})
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert Delivery.objects.filter(kind="cancellation").count() == 3


def test_send_the_changes_says_what_changed_and_previews_each_language_first(
    client: Client, org: Any, staff: Any, planned: Any
) -> None:
    from secretariat.governance import convocation
    from secretariat.governance.models import Delivery

    meeting = planned["meeting"]
    convocation.meeting_convene(meeting=meeting, by=None)
    Delivery.objects.update(status="sent")
    client.force_login(staff)
    url = reverse("meeting_detail", args=[org.slug, meeting.pk])
    nothing = client.post(url, {"action": "announce"}, follow=True)
    assert any(
        "Nothing visible to the members has changed" in str(m) for m in nothing.context["messages"]
    )
    assert not Delivery.objects.filter(kind="update").exists()
    agenda.meeting_update(meeting=meeting, by=None, room="Salle 3")
    page = client.get(url).content.decode()
    assert "The place is now: Maison de la Grande Région, Salle 3." in page
    asked = client.post(url, {"action": "announce"})
    html = asked.content.decode()
    assert asked.status_code == 200 and 'lang="fr"' in html and 'lang="de"' in html
    assert not Delivery.objects.filter(kind="update").exists()
    client.post(url, {"action": "announce", "confirmed": "yes"})
    assert Delivery.objects.filter(kind="update").count() == 3
    history = client.get(url).content.decode()
    assert (
        "The changes were sent to those convened: The place is now: Maison de la Grande Région, "
        "Salle 3." in history
    )


def test_removing_an_item_asks_first(client: Client, org: Any, staff: Any, planned: Any) -> None:
    client.force_login(staff)
    url = reverse("item_edit", args=[org.slug, planned["meeting"].pk, planned["b"].pk])
    asked = client.post(url, {"delete": "1"})
    assert (
        asked.status_code == 200 and "Remove this item from the agenda?" in asked.content.decode()
    )
    assert planned["meeting"].items.filter(pk=planned["b"].pk).exists()
    client.post(url, {"delete": "1", "confirmed": "yes"})
    assert not planned["meeting"].items.filter(pk=planned["b"].pk).exists()


def test_removing_a_presidency_term_asks_first_and_can_be_undone(
    client: Client, org: Any, admin: Any
) -> None:
    from secretariat.governance import services
    from secretariat.governance.models import Presidency

    partner = factories.partner(org)
    start, end = factories.days_ahead(-100).date(), factories.days_ahead(265).date()
    term = services.presidency_create(
        organisation=org, partner=partner, start=start, end=end, by=None
    )
    client.force_login(admin)
    url = reverse("presidency", args=[org.slug])
    asked = client.post(url, {"delete": term.pk})
    assert asked.status_code == 200 and Presidency.objects.filter(pk=term.pk).exists()
    assert "You can undo it afterwards." in asked.content.decode()
    client.post(url, {"delete": term.pk, "confirmed": "yes"})
    assert not Presidency.objects.exists()
    page = client.get(url).content.decode()
    assert "Undo: put it back" in page
    from tests.browser_forms import form_values

    undo = form_values(page, "//main//form[contains(@class, 'undo')]")
    client.post(url, undo)
    restored = Presidency.objects.get()
    assert (restored.partner, restored.start, restored.end) == (partner, start, end)
    assert "Undo: put it back" not in client.get(url).content.decode()
