"""Messages with no word in them, through the chat API: a thumbs-up after an answer is thanks (it was answered
"Hello! How can I help you?"), an angry face after one says it did not help and offers a person, a thumbs-up to
that offer is a yes, "???" asks for a few words, and the conversation's language stays."""

from tests.integration.chat.conftest import ChatClient


def test_a_thumbs_up_thanks_an_angry_face_gets_a_person_offered_and_a_thumbs_up_accepts(chat: ChatClient) -> None:
    session = chat.start()
    first = chat.say(session, "👍")  # nothing said yet: a hello
    assert first["reply"].startswith("Hello! How can I help you?"), first
    assert first["actions"] == []

    answered = chat.say(session, "How do I reset my password?")
    assert answered["actions"] == ["answered"], answered
    thanks = chat.say(session, "👍🏽")
    assert thanks["reply"] == "You're welcome! Is there anything else I can help you with?", thanks
    assert (thanks["citations"], thanks["actions"]) == ([], [])

    unclear = chat.say(session, "???")
    assert unclear["reply"].startswith("Could you tell me in a few words what you need?"), unclear
    assert unclear["actions"] == []

    angry = chat.say(session, "😡😡")  # after an answer: about the answer, as "Not helpful" under it
    assert angry["reply"].startswith("I'm sorry that did not answer your question."), angry
    assert angry["actions"] == ["offer_ticket"]
    yes = chat.say(session, "👍")  # the answer to the offer: a yes
    assert yes["actions"] == ["ask_email"], yes
    done = chat.say(session, "dana@example.com")
    assert "ticket_created" in done["actions"], done


def test_a_thumbs_down_to_the_offer_is_a_no_and_a_face_before_any_answer_is_about_the_problem(
        chat: ChatClient) -> None:
    session = chat.start()
    chat.say(session, "Hello")
    sad = chat.say(session, "😢")
    assert sad["reply"].startswith("I'm sorry to hear that. Tell me what went wrong"), sad
    assert sad["actions"] == ["offer_ticket"]
    declined = chat.say(session, "👎")
    assert declined["reply"] == "All right. Is there anything else I can help you with?", declined
    assert "ticket_created" not in declined["actions"]
    # Both kinds at once say nothing clear; and a message with a word in it goes the usual way.
    assert chat.say(session, "👍👎")["reply"].startswith("Could you tell me in a few words"), "mixed"
    assert chat.say(session, "thanks 👍")["reply"].startswith("You're welcome!")


def test_the_conversations_language_stays_for_an_emoji(chat: ChatClient) -> None:
    session = chat.start()
    german = chat.say(session, "Ich möchte mit einem Menschen sprechen")
    assert german["language"] == "de", german
    declined = chat.say(session, "👎")
    assert declined["reply"] == "In Ordnung. Kann ich Ihnen sonst noch helfen?", declined
    thanks = chat.say(session, "🙏")
    assert thanks["reply"] == "Gern geschehen! Kann ich Ihnen sonst noch helfen?", thanks
    assert thanks["language"] == "de"
