"""What the chat says in its own words, in the five languages the helpdesk writes.

A customer who asks in German is answered in German (the offline answer's lead, Claude's answer); the chat's
own turns (the greeting, "I don't know", the offer of a ticket, the request for an address, the ticket it
opened) follow the conversation's language too, so a German customer is not asked in English to answer "yes"
and then not understood saying "ja". Quoted articles stay in their own language.
"""

from helpdesk.kernel.i18n import localised

_SENTENCES: dict[str, dict[str, str]] = {
    "welcome": {
        "en": "Hello! How can I help you? Ask me a question, check a ticket (for example “where is my ticket "
              "T-000123?”) or ask to talk to a person.",
        "de": "Hallo! Wie kann ich Ihnen helfen? Stellen Sie mir eine Frage, fragen Sie nach einem Ticket (zum "
              "Beispiel „Wo ist mein Ticket T-000123?“) oder bitten Sie darum, mit einer Person zu sprechen.",
        "es": "¡Hola! ¿En qué puedo ayudarle? Hágame una pregunta, consulte un ticket (por ejemplo, «¿dónde está "
              "mi ticket T-000123?») o pida hablar con una persona.",
        "fr": "Bonjour ! Comment puis-je vous aider ? Posez-moi une question, demandez où en est un ticket (par "
              "exemple « où en est mon ticket T-000123 ? ») ou demandez à parler à une personne.",
        "pt": "Olá! Como posso ajudar? Faça uma pergunta, consulte um ticket (por exemplo, “onde está o meu "
              "ticket T-000123?”) ou peça para falar com uma pessoa.",
    },
    "you_are_welcome": {
        "en": "You're welcome! Is there anything else I can help you with?",
        "de": "Gern geschehen! Kann ich Ihnen sonst noch helfen?",
        "es": "¡De nada! ¿Puedo ayudarle en algo más?",
        "fr": "Avec plaisir ! Puis-je vous aider pour autre chose ?",
        "pt": "De nada! Posso ajudar em mais alguma coisa?",
    },
    "anything_else": {
        "en": "All right. Is there anything else I can help you with?",
        "de": "In Ordnung. Kann ich Ihnen sonst noch helfen?",
        "es": "De acuerdo. ¿Puedo ayudarle en algo más?",
        "fr": "D'accord. Puis-je vous aider pour autre chose ?",
        "pt": "Tudo bem. Posso ajudar em mais alguma coisa?",
    },
    "not_helpful": {
        "en": "I'm sorry that did not answer your question. Would you like me to create a ticket so that a person "
              "from our team can help?",
        "de": "Das tut mir leid, das hat Ihre Frage nicht beantwortet. Soll ich ein Ticket erstellen, damit Ihnen "
              "eine Person aus unserem Team hilft?",
        "es": "Siento que eso no haya respondido a su pregunta. ¿Quiere que cree un ticket para que una persona de "
              "nuestro equipo le ayude?",
        "fr": "Désolé, cela n'a pas répondu à votre question. Voulez-vous que je crée un ticket pour qu'une "
              "personne de notre équipe vous aide ?",
        "pt": "Lamento que isso não tenha respondido à sua pergunta. Quer que eu crie um ticket para que uma "
              "pessoa da nossa equipe ajude você?",
    },
    "sorry_to_hear": {
        "en": "I'm sorry to hear that. Tell me what went wrong, or would you like me to create a ticket so that a "
              "person from our team can help?",
        "de": "Das tut mir leid. Schreiben Sie mir, was nicht geklappt hat, oder soll ich ein Ticket erstellen, damit "
              "Ihnen eine Person aus unserem Team hilft?",
        "es": "Lamento oírlo. Cuénteme qué ha fallado, o ¿quiere que cree un ticket para que una persona de nuestro "
              "equipo le ayude?",
        "fr": "Je suis désolé de l'apprendre. Dites-moi ce qui n'a pas fonctionné, ou voulez-vous que je crée un "
              "ticket pour qu'une personne de notre équipe vous aide ?",
        "pt": "Lamento saber disso. Diga-me o que correu mal, ou quer que eu crie um ticket para que uma pessoa da "
              "nossa equipe ajude você?",
    },
    "say_more": {
        "en": "Could you tell me in a few words what you need? I can answer questions from our help articles, check "
              "a ticket or put you in touch with a person.",
        "de": "Können Sie mir in ein paar Worten sagen, was Sie brauchen? Ich beantworte Fragen aus unseren "
              "Hilfeartikeln, sehe nach einem Ticket oder verbinde Sie mit einer Person.",
        "es": "¿Puede decirme en pocas palabras qué necesita? Puedo responder preguntas con nuestros artículos de "
              "ayuda, consultar un ticket o ponerle en contacto con una persona.",
        "fr": "Pouvez-vous me dire en quelques mots ce dont vous avez besoin ? Je peux répondre à vos questions à "
              "partir de nos articles d'aide, vérifier un ticket ou vous mettre en relation avec une personne.",
        "pt": "Pode dizer-me em poucas palavras do que precisa? Posso responder a perguntas com os nossos artigos "
              "de ajuda, consultar um ticket ou pôr você em contato com uma pessoa.",
    },
    "no_ticket": {
        "en": "All right, no ticket. Is there anything else I can help you with?",
        "de": "In Ordnung, kein Ticket. Kann ich Ihnen sonst noch helfen?",
        "es": "De acuerdo, sin ticket. ¿Puedo ayudarle en algo más?",
        "fr": "D'accord, pas de ticket. Puis-je vous aider pour autre chose ?",
        "pt": "Tudo bem, sem ticket. Posso ajudar em mais alguma coisa?",
    },
    "cannot_search": {
        "en": "I can't search our help articles right now. Would you like me to create a ticket so that a person "
              "from our team can help you?",
        "de": "Ich kann unsere Hilfeartikel gerade nicht durchsuchen. Soll ich ein Ticket erstellen, damit Ihnen "
              "eine Person aus unserem Team hilft?",
        "es": "Ahora mismo no puedo buscar en nuestros artículos de ayuda. ¿Quiere que cree un ticket para que una "
              "persona de nuestro equipo le ayude?",
        "fr": "Je ne peux pas consulter nos articles d'aide pour le moment. Voulez-vous que je crée un ticket pour "
              "qu'une personne de notre équipe vous aide ?",
        "pt": "Não consigo pesquisar os nossos artigos de ajuda agora. Quer que eu crie um ticket para que uma "
              "pessoa da nossa equipe ajude você?",
    },
    "dont_know": {
        "en": "I'm sorry, I don't know the answer to that, and I'd rather not guess. Would you like me to create a "
              "ticket so that a person from our team can help?",
        "de": "Das weiß ich leider nicht, und raten möchte ich nicht. Soll ich ein Ticket erstellen, damit Ihnen "
              "eine Person aus unserem Team hilft?",
        "es": "Lo siento, no sé la respuesta y prefiero no adivinar. ¿Quiere que cree un ticket para que una "
              "persona de nuestro equipo le ayude?",
        "fr": "Désolé, je ne connais pas la réponse et je préfère ne pas deviner. Voulez-vous que je crée un "
              "ticket pour qu'une personne de notre équipe vous aide ?",
        "pt": "Desculpe, não sei a resposta e prefiro não adivinhar. Quer que eu crie um ticket para que uma "
              "pessoa da nossa equipe ajude você?",
    },
    "confirm_handoff": {
        "en": "I can pass this conversation to a person from our team: that opens a ticket with this chat's "
              "transcript. Shall I do that? Please answer yes or no.",
        "de": "Ich kann dieses Gespräch an eine Person aus unserem Team übergeben: Dafür wird ein Ticket mit dem "
              "Verlauf dieses Chats erstellt. Soll ich das tun? Bitte antworten Sie mit Ja oder Nein.",
        "es": "Puedo pasar esta conversación a una persona de nuestro equipo: así se abre un ticket con la "
              "transcripción de este chat. ¿Lo hago? Responda sí o no.",
        "fr": "Je peux transmettre cette conversation à une personne de notre équipe : cela ouvre un ticket avec "
              "la transcription de ce chat. Voulez-vous que je le fasse ? Répondez par oui ou par non.",
        "pt": "Posso passar esta conversa para uma pessoa da nossa equipe: isso abre um ticket com a transcrição "
              "deste chat. Quer que eu faça isso? Responda sim ou não.",
    },
    "confirm_ticket": {
        "en": "Shall I open a ticket with our team for this? Please answer yes or no.",
        "de": "Soll ich dafür ein Ticket bei unserem Team erstellen? Bitte antworten Sie mit Ja oder Nein.",
        "es": "¿Abro un ticket con nuestro equipo para esto? Responda sí o no.",
        "fr": "Voulez-vous que j'ouvre un ticket auprès de notre équipe pour cela ? Répondez par oui ou par non.",
        "pt": "Quer que eu abra um ticket com a nossa equipe para isso? Responda sim ou não.",
    },
    "ask_email": {
        "en": "I can pass this to a person from our team. What email address should they use to reply to you?",
        "de": "Ich kann das an eine Person aus unserem Team weitergeben. An welche E-Mail-Adresse soll sie Ihnen "
              "antworten?",
        "es": "Puedo pasar esto a una persona de nuestro equipo. ¿A qué dirección de correo electrónico debe "
              "responderle?",
        "fr": "Je peux transmettre cela à une personne de notre équipe. À quelle adresse e-mail doit-elle vous "
              "répondre ?",
        "pt": "Posso passar isto para uma pessoa da nossa equipe. Para qual endereço de e-mail ela deve responder?",
    },
    "email_again": {
        "en": "To pass this to our team I need your email address, so that they can reply to you. Please type it "
              "here, or say “cancel”.",
        "de": "Um das an unser Team weiterzugeben, brauche ich Ihre E-Mail-Adresse, damit es Ihnen antworten kann. "
              "Bitte geben Sie sie hier ein oder schreiben Sie „abbrechen“.",
        "es": "Para pasar esto a nuestro equipo necesito su dirección de correo electrónico, para que puedan "
              "responderle. Escríbala aquí o diga «cancelar».",
        "fr": "Pour transmettre cela à notre équipe, j'ai besoin de votre adresse e-mail afin qu'elle puisse vous "
              "répondre. Saisissez-la ici ou écrivez « annuler ».",
        "pt": "Para passar isto à nossa equipe preciso do seu endereço de e-mail, para que possam responder. "
              "Digite-o aqui ou escreva “cancelar”.",
    },
    "handed_over": {
        "en": "I've passed the conversation to our support team: your ticket number is {number}. A person from our "
              "team will reply as soon as possible; you can ask me for its status any time.",
        "de": "Ich habe das Gespräch an unser Support-Team übergeben: Ihre Ticketnummer ist {number}. Eine Person "
              "aus unserem Team antwortet so bald wie möglich; Sie können mich jederzeit nach dem Stand fragen.",
        "es": "He pasado la conversación a nuestro equipo de soporte: su número de ticket es {number}. Una persona "
              "de nuestro equipo le responderá lo antes posible; puede preguntarme por su estado en cualquier "
              "momento.",
        "fr": "J'ai transmis la conversation à notre équipe d'assistance : votre numéro de ticket est {number}. "
              "Une personne de notre équipe vous répondra dès que possible ; vous pouvez me demander où il en est "
              "à tout moment.",
        "pt": "Passei a conversa para a nossa equipe de suporte: o número do seu ticket é {number}. Uma pessoa da "
              "nossa equipe responderá o mais rápido possível; pode me perguntar o status dele a qualquer momento.",
    },
    "ticket_created": {
        "en": "I've created a ticket for you: your ticket number is {number}. A person from our team will reply as "
              "soon as possible; you can ask me for its status any time.",
        "de": "Ich habe ein Ticket für Sie erstellt: Ihre Ticketnummer ist {number}. Eine Person aus unserem Team "
              "antwortet so bald wie möglich; Sie können mich jederzeit nach dem Stand fragen.",
        "es": "He creado un ticket para usted: su número de ticket es {number}. Una persona de nuestro equipo le "
              "responderá lo antes posible; puede preguntarme por su estado en cualquier momento.",
        "fr": "J'ai créé un ticket pour vous : votre numéro de ticket est {number}. Une personne de notre équipe "
              "vous répondra dès que possible ; vous pouvez me demander où il en est à tout moment.",
        "pt": "Criei um ticket para você: o número do seu ticket é {number}. Uma pessoa da nossa equipe responderá "
              "o mais rápido possível; pode me perguntar o status dele a qualquer momento.",
    },
    "ticket_not_found": {
        "en": "I can't find a ticket {number} for you. Please check the number; I can only show tickets you opened.",
        "de": "Ich finde kein Ticket {number} für Sie. Bitte prüfen Sie die Nummer; ich kann nur Tickets zeigen, "
              "die Sie eröffnet haben.",
        "es": "No encuentro ningún ticket {number} para usted. Compruebe el número; solo puedo mostrar los tickets "
              "que usted abrió.",
        "fr": "Je ne trouve pas de ticket {number} pour vous. Vérifiez le numéro ; je ne peux afficher que les "
              "tickets que vous avez ouverts.",
        "pt": "Não encontro nenhum ticket {number} para você. Verifique o número; só posso mostrar tickets que "
              "você abriu.",
    },
    "which_ticket": {
        "en": "Which ticket do you mean? Please give me its number, for example T-000123.",
        "de": "Welches Ticket meinen Sie? Bitte nennen Sie mir seine Nummer, zum Beispiel T-000123.",
        "es": "¿A qué ticket se refiere? Indíqueme su número, por ejemplo T-000123.",
        "fr": "De quel ticket parlez-vous ? Donnez-moi son numéro, par exemple T-000123.",
        "pt": "A qual ticket se refere? Informe o número, por exemplo T-000123.",
    },
    "ticket_status": {
        "en": "Ticket {number} (“{subject}”) is {status}, last updated {when}.",
        "de": "Ticket {number} („{subject}“) ist {status}, zuletzt aktualisiert am {when}.",
        "es": "El ticket {number} («{subject}») está {status}; última actualización: {when}.",
        "fr": "Le ticket {number} (« {subject} ») est {status}, dernière mise à jour le {when}.",
        "pt": "O ticket {number} (“{subject}”) está {status}; última atualização: {when}.",
    },
    # The chat service's own notices (chat/service.py), in the conversation's language too.
    "unavailable": {
        "en": "Sorry, I can't answer right now. Please try again in a moment, or say “talk to a human” and I'll "
              "pass your conversation to our team.",
        "de": "Ich kann gerade leider nicht antworten. Bitte versuchen Sie es gleich noch einmal, oder schreiben "
              "Sie „mit einem Menschen sprechen“, dann gebe ich Ihr Gespräch an unser Team weiter.",
        "es": "Lo siento, ahora mismo no puedo responder. Inténtelo de nuevo en un momento, o diga «hablar con una "
              "persona» y pasaré su conversación a nuestro equipo.",
        "fr": "Désolé, je ne peux pas répondre pour le moment. Réessayez dans un instant, ou écrivez « parler à "
              "une personne » et je transmettrai votre conversation à notre équipe.",
        "pt": "Desculpe, não consigo responder agora. Tente de novo daqui a pouco, ou diga “falar com uma pessoa” "
              "e passarei a sua conversa para a nossa equipe.",
    },
    "sent_to_team": {
        "en": "Sent to our team on ticket {number}: a person will answer {where}. To ask the assistant instead, "
              "start your message with {command}.",
        "de": "An unser Team gesendet (Ticket {number}): Eine Person antwortet {where}. Um stattdessen den "
              "Assistenten zu fragen, beginnen Sie Ihre Nachricht mit {command}.",
        "es": "Enviado a nuestro equipo en el ticket {number}: una persona le responderá {where}. Para preguntar "
              "al asistente, empiece su mensaje con {command}.",
        "fr": "Envoyé à notre équipe sur le ticket {number} : une personne vous répondra {where}. Pour poser la "
              "question à l'assistant, commencez votre message par {command}.",
        "pt": "Enviado à nossa equipe no ticket {number}: uma pessoa responderá {where}. Para perguntar ao "
              "assistente, comece a sua mensagem com {command}.",
    },
    "here": {"en": "here", "de": "hier", "es": "aquí", "fr": "ici", "pt": "aqui"},
    "here_or_mail": {
        "en": "here, or by mail if you leave",
        "de": "hier oder per E-Mail, falls Sie den Chat verlassen",
        "es": "aquí, o por correo si se va",
        "fr": "ici, ou par e-mail si vous partez",
        "pt": "aqui, ou por e-mail se você sair",
    },
    "follow_up_opened": {
        "en": "Ticket {closed} was closed, so this opened follow-up {number}.",
        "de": "Ticket {closed} war geschlossen, daher wurde das Folgeticket {number} eröffnet.",
        "es": "El ticket {closed} estaba cerrado, así que se abrió el ticket de seguimiento {number}.",
        "fr": "Le ticket {closed} était fermé : le ticket de suivi {number} a donc été ouvert.",
        "pt": "O ticket {closed} estava fechado, por isso foi aberto o ticket de acompanhamento {number}.",
    },
    "code_sent": {
        "en": "We sent a 6-digit code to {email}: type it here to confirm the address, so you can follow this "
              "ticket when you sign in with it.",
        "de": "Wir haben einen 6-stelligen Code an {email} gesendet: Geben Sie ihn hier ein, um die Adresse zu "
              "bestätigen; dann können Sie dieses Ticket verfolgen, wenn Sie sich damit anmelden.",
        "es": "Enviamos un código de 6 dígitos a {email}: escríbalo aquí para confirmar la dirección y así podrá "
              "seguir este ticket cuando inicie sesión con ella.",
        "fr": "Nous avons envoyé un code à 6 chiffres à {email} : saisissez-le ici pour confirmer l'adresse, afin "
              "de suivre ce ticket quand vous vous connectez avec elle.",
        "pt": "Enviamos um código de 6 dígitos para {email}: digite-o aqui para confirmar o endereço e poder "
              "acompanhar este ticket quando entrar com ele.",
    },
    "email_confirmed": {
        "en": "Thank you: {email} is confirmed.",
        "de": "Vielen Dank: Die Adresse {email} ist bestätigt.",
        "es": "Gracias: la dirección {email} está confirmada.",
        "fr": "Merci : l'adresse {email} est confirmée.",
        "pt": "Obrigado: o endereço {email} está confirmado.",
    },
    # A code typed into the chat that does not confirm the address (ChatService._verify_in_chat).
    "code_wrong": {
        "en": "That code is not right: check the mail and type it again ({left} tries left).",
        "de": "Dieser Code stimmt nicht: Prüfen Sie die E-Mail und geben Sie ihn erneut ein (noch {left} Versuche).",
        "es": "Ese código no es correcto: revise el correo y escríbalo de nuevo (quedan {left} intentos).",
        "fr": "Ce code n'est pas le bon : vérifiez l'e-mail et saisissez-le à nouveau ({left} essais restants).",
        "pt": "Esse código não está certo: verifique o e-mail e digite-o novamente (restam {left} tentativas).",
    },
    "code_expired": {
        "en": "That code has expired: send your email address again for a new one.",
        "de": "Dieser Code ist abgelaufen: Senden Sie Ihre E-Mail-Adresse erneut, um einen neuen zu erhalten.",
        "es": "Ese código ha caducado: envíe de nuevo su dirección de correo para recibir uno nuevo.",
        "fr": "Ce code a expiré : renvoyez votre adresse e-mail pour en recevoir un nouveau.",
        "pt": "Esse código expirou: envie novamente o seu endereço de e-mail para receber um novo.",
    },
    "code_attempts_used": {
        "en": "Too many wrong codes: send your email address again for a new one.",
        "de": "Zu viele falsche Codes: Senden Sie Ihre E-Mail-Adresse erneut, um einen neuen Code zu erhalten.",
        "es": "Demasiados códigos incorrectos: envíe de nuevo su dirección de correo para recibir uno nuevo.",
        "fr": "Trop de codes erronés : renvoyez votre adresse e-mail pour en recevoir un nouveau.",
        "pt": "Demasiados códigos errados: envie novamente o seu endereço de e-mail para receber um novo.",
    },
    # The mail with the code (chat/adapters/code_mail.py).
    "code_mail_subject": {
        "en": "Your confirmation code: {code}", "de": "Ihr Bestätigungscode: {code}",
        "es": "Su código de confirmación: {code}", "fr": "Votre code de confirmation : {code}",
        "pt": "O seu código de confirmação: {code}",
    },
    "code_mail_about": {
        "en": " for ticket {number}", "de": " für Ticket {number}", "es": " para el ticket {number}",
        "fr": " pour le ticket {number}", "pt": " para o ticket {number}",
    },
    "code_mail_body": {
        "en": "Your confirmation code{about} is {code}\n\nType it into the chat to confirm this address. If you did "
              "not ask for it, ignore this mail.",
        "de": "Ihr Bestätigungscode{about} lautet {code}\n\nGeben Sie ihn im Chat ein, um diese Adresse zu "
              "bestätigen. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail.",
        "es": "Su código de confirmación{about} es {code}\n\nEscríbalo en el chat para confirmar esta dirección. "
              "Si no lo ha pedido, ignore este correo.",
        "fr": "Votre code de confirmation{about} est {code}\n\nSaisissez-le dans le chat pour confirmer cette "
              "adresse. Si vous ne l'avez pas demandé, ignorez ce message.",
        "pt": "O seu código de confirmação{about} é {code}\n\nDigite-o no chat para confirmar este endereço. Se "
              "não o pediu, ignore este e-mail.",
    },
}

# A ticket's status as the customer reads it in the status sentence.
_STATUSES: dict[str, dict[str, str]] = {
    "new": {"en": "new", "de": "neu", "es": "nuevo", "fr": "nouveau", "pt": "novo"},
    "open": {"en": "open", "de": "offen", "es": "abierto", "fr": "ouvert", "pt": "aberto"},
    "pending": {"en": "pending", "de": "ausstehend", "es": "pendiente", "fr": "en attente", "pt": "pendente"},
    "resolved": {"en": "resolved", "de": "gelöst", "es": "resuelto", "fr": "résolu", "pt": "resolvido"},
    "closed": {"en": "closed", "de": "geschlossen", "es": "cerrado", "fr": "fermé", "pt": "fechado"},
}


def say(key: str, language: str | None, **values: str) -> str:
    """The chat's sentence `key` in `language` (English where it has none), with `values` filled in."""
    return localised(_SENTENCES[key], language, **values)


def status_name(status: str, language: str | None) -> str:
    names = _STATUSES.get(status)
    return localised(names, language) if names else status
