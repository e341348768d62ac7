"""The few sentences our offline writers compose themselves, in the languages customers write in most.

Offline answers and reply drafts quote help-centre passages in the passage's own language; the sentences
around a quote (the greeting, "the answer is in ...", the sign-off) follow the customer's language when we
have them, else English. Names are greeted as people write them, whichever order they are stored in.
"""

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal

Language = Literal["en", "de", "es", "fr", "pt"]
SUPPORTED: tuple[Language, ...] = ("en", "de", "es", "fr", "pt")

_PHRASES: dict[str, dict[str, str]] = {
    "hello": {"en": "Hello", "de": "Hallo", "es": "Hola", "fr": "Bonjour", "pt": "Olá"},
    "thanks_topic": {"en": "Thank you for contacting us{topic}.", "de": "Vielen Dank für Ihre Nachricht{topic}.",
                     "es": "Gracias por escribirnos{topic}.", "fr": "Merci de nous avoir contactés{topic}.",
                     "pt": "Obrigado por entrar em contato{topic}."},
    "topic": {"en": ' about "{subject}"', "de": ' zu „{subject}“', "es": ' sobre «{subject}»',
              "fr": ' au sujet de « {subject} »', "pt": ' sobre "{subject}"'},
    "help_center_says": {"en": "Here is what our help center says:", "de": "Das steht dazu in unserem Hilfe-Center:",
                         "es": "Esto es lo que dice nuestro centro de ayuda:",
                         "fr": "Voici ce qu'indique notre centre d'aide :",
                         "pt": "Veja o que diz a nossa central de ajuda:"},
    "follow_up": {"en": "If this does not solve it, reply to this message and we will look into it right away.",
                  "de": "Falls das nicht hilft, antworten Sie einfach auf diese Nachricht; "
                        "wir kümmern uns sofort darum.",
                  "es": "Si esto no lo resuelve, responda a este mensaje y lo revisaremos enseguida.",
                  "fr": "Si cela ne résout pas le problème, répondez à ce message et nous nous en occupons "
                        "tout de suite.",
                  "pt": "Se isso não resolver, responda a esta mensagem e verificaremos imediatamente."},
    "looking_into_it": {"en": "We are looking into it and will get back to you shortly.",
                        "de": "Wir sehen uns das an und melden uns in Kürze bei Ihnen.",
                        "es": "Lo estamos revisando y le responderemos en breve.",
                        "fr": "Nous examinons votre demande et revenons vers vous rapidement.",
                        "pt": "Estamos verificando e retornaremos em breve."},
    "regards": {"en": "Best regards", "de": "Viele Grüße", "es": "Saludos cordiales", "fr": "Cordialement",
                "pt": "Atenciosamente"},
    # The offline chat answer: where the answer is, then the quoted passage in its own language.
    "answer_in": {"en": "From “{title}”:", "de": "Die Antwort steht im Artikel „{title}“:",
                  "es": "La respuesta está en el artículo «{title}»:",
                  "fr": "La réponse se trouve dans l'article « {title} » :",
                  "pt": "A resposta está no artigo “{title}”:"},
    # A second passage that also passed the answer-or-abstain decision, pointed to after the quote.
    "see_also": {"en": "See also “{title}”.", "de": "Siehe auch den Artikel „{title}“.",
                 "es": "Vea también el artículo «{title}».", "fr": "Voir aussi l'article « {title} ».",
                 "pt": "Veja também o artigo “{title}”."},
    # The line above the previous message quoted in a reply mail (mail/outbound.py); our reply parser and mail
    # clients know each form ("schrieb", "escribió", ...).
    "wrote": {"en": "On {date}, {name} wrote:", "de": "Am {date} schrieb {name}:", "es": "El {date}, {name} escribió:",
              "fr": "Le {date}, {name} a écrit :", "pt": "Em {date}, {name} escreveu:"},
    "left_out_of_mail": {"en": "Too large to send by mail, left out: {files}",
                         "de": "Zu groß für den E-Mail-Versand, weggelassen: {files}",
                         "es": "Demasiado grande para enviarlo por correo, no se adjunta: {files}",
                         "fr": "Trop volumineux pour l'envoi par e-mail, non joint : {files}",
                         "pt": "Grande demais para enviar por e-mail, não anexado: {files}"},
    "kept_on_ticket": {"en": "Too large to send by mail, kept on your ticket {ticket}: {files}",
                       "de": "Zu groß für den E-Mail-Versand, an Ihrem Ticket {ticket} gespeichert: {files}",
                       "es": "Demasiado grande para enviarlo por correo, guardado en su ticket {ticket}: {files}",
                       "fr": "Trop volumineux pour l'envoi par e-mail, conservé sur votre ticket {ticket} : {files}",
                       "pt": "Grande demais para enviar por e-mail, guardado no seu ticket {ticket}: {files}"},
    # The receipt of a new mail ticket (mail/outbound.py).
    "received": {"en": "We received your request and opened ticket {number}.",
                 "de": "Wir haben Ihre Anfrage erhalten und das Ticket {number} eröffnet.",
                 "es": "Hemos recibido su solicitud y abierto el ticket {number}.",
                 "fr": "Nous avons bien reçu votre demande et ouvert le ticket {number}.",
                 "pt": "Recebemos o seu pedido e abrimos o ticket {number}."},
    "reply_to_add": {"en": "Reply to this mail to add to it; keep [{tag}] in the subject.",
                     "de": "Antworten Sie auf diese E-Mail, um etwas zu ergänzen; lassen Sie [{tag}] im Betreff "
                           "stehen.",
                     "es": "Responda a este correo para añadir algo; mantenga [{tag}] en el asunto.",
                     "fr": "Répondez à ce message pour compléter votre demande ; gardez [{tag}] dans l'objet.",
                     "pt": "Responda a este e-mail para acrescentar algo; mantenha [{tag}] no assunto."},
    # Mail to an agent about their ticket (`mail/notifications.py`), in the agent's language.
    "notify_assigned_subject": {"en": "[{number}] Assigned to you: {subject}",
                                "de": "[{number}] Ihnen zugewiesen: {subject}",
                                "es": "[{number}] Asignado a usted: {subject}",
                                "fr": "[{number}] Vous a été attribué : {subject}",
                                "pt": "[{number}] Atribuído a você: {subject}"},
    "notify_assigned": {"en": "{by} assigned ticket {number} “{subject}” to you.",
                        "de": "{by} hat Ihnen das Ticket {number} „{subject}“ zugewiesen.",
                        "es": "{by} le ha asignado el ticket {number} «{subject}».",
                        "fr": "{by} vous a attribué le ticket {number} « {subject} ».",
                        "pt": "{by} atribuiu a você o ticket {number} “{subject}”."},
    "notify_assigned_by_trigger": {
        "en": "Your team's trigger “{trigger}” assigned ticket {number} “{subject}” from {name} to you.",
        "de": "Der Trigger „{trigger}“ Ihres Teams hat Ihnen das Ticket {number} „{subject}“ von {name} zugewiesen.",
        "es": "El disparador «{trigger}» de su equipo le ha asignado el ticket {number} «{subject}» de {name}.",
        "fr": "Le déclencheur « {trigger} » de votre équipe vous a attribué le ticket {number} « {subject} » de "
              "{name}.",
        "pt": "O gatilho “{trigger}” da sua equipe atribuiu a você o ticket {number} “{subject}” de {name}."},
    "notify_assigned_in_turn": {
        "en": "It was your turn in the {group} queue: ticket {number} “{subject}” from {name} is assigned to you.",
        "de": "Sie waren in der Warteschlange {group} an der Reihe: Das Ticket {number} „{subject}“ von {name} "
              "ist Ihnen zugewiesen.",
        "es": "Era su turno en la cola {group}: se le ha asignado el ticket {number} «{subject}» de {name}.",
        "fr": "C'était votre tour dans la file {group} : le ticket {number} « {subject} » de {name} vous est "
              "attribué.",
        "pt": "Era a sua vez na fila {group}: o ticket {number} “{subject}” de {name} foi atribuído a você."},
    "notify_assigned_least_busy": {
        "en": "You had the fewest open tickets in the {group} queue: ticket {number} “{subject}” from {name} is "
              "assigned to you.",
        "de": "Sie hatten in der Warteschlange {group} die wenigsten offenen Tickets: Das Ticket {number} "
              "„{subject}“ von {name} ist Ihnen zugewiesen.",
        "es": "Tenía menos tickets abiertos que nadie en la cola {group}: se le ha asignado el ticket {number} "
              "«{subject}» de {name}.",
        "fr": "Vous aviez le moins de tickets ouverts dans la file {group} : le ticket {number} « {subject} » de "
              "{name} vous est attribué.",
        "pt": "Você tinha menos tickets abertos na fila {group}: o ticket {number} “{subject}” de {name} foi "
              "atribuído a você."},
    "notify_solved_subject": {"en": "[{number}] Solved by the customer: {subject}",
                              "de": "[{number}] Vom Kunden als gelöst markiert: {subject}",
                              "es": "[{number}] Resuelto por el cliente: {subject}",
                              "fr": "[{number}] Résolu par le client : {subject}",
                              "pt": "[{number}] Resolvido pelo cliente: {subject}"},
    # The SLA scan's reminder on a ticket left pending (the team waits for the customer), `sla/scan.py`.
    "pending_reminder": {"en": "We are still waiting for your reply to our last message about {number}{subject}. If "
                               "you still need help, just reply to this message.{resolves}",
                         "de": "Wir warten noch auf Ihre Antwort auf unsere letzte Nachricht zu {number}{subject}. "
                               "Wenn Sie noch Hilfe brauchen, antworten Sie einfach auf diese Nachricht.{resolves}",
                         "es": "Seguimos esperando su respuesta a nuestro último mensaje sobre {number}{subject}. Si "
                               "todavía necesita ayuda, responda a este mensaje.{resolves}",
                         "fr": "Nous attendons toujours votre réponse à notre dernier message concernant "
                               "{number}{subject}. Si vous avez encore besoin d'aide, répondez simplement à ce "
                               "message.{resolves}",
                         "pt": "Ainda aguardamos a sua resposta à nossa última mensagem sobre {number}{subject}. Se "
                               "ainda precisar de ajuda, basta responder a esta mensagem.{resolves}"},
    "pending_resolves": {"en": " Without a reply within {days} days we will consider the request solved; a reply "
                               "after that opens it again.",
                         "de": " Ohne Antwort innerhalb von {days} Tagen betrachten wir die Anfrage als gelöst; eine "
                               "spätere Antwort öffnet sie wieder.",
                         "es": " Si no recibimos respuesta en {days} días, daremos la solicitud por resuelta; si "
                               "responde más tarde, se volverá a abrir.",
                         "fr": " Sans réponse sous {days} jours, nous considérerons la demande comme résolue ; une "
                               "réponse plus tard la rouvrira.",
                         "pt": " Sem resposta em {days} dias, consideraremos o pedido resolvido; se responder mais "
                               "tarde, ele será reaberto."},
    "pending_resolves_one": {"en": " Without a reply within a day we will consider the request solved; a reply "
                                   "after that opens it again.",
                             "de": " Ohne Antwort innerhalb eines Tages betrachten wir die Anfrage als gelöst; eine "
                                   "spätere Antwort öffnet sie wieder.",
                             "es": " Si no recibimos respuesta en un día, daremos la solicitud por resuelta; si "
                                   "responde más tarde, se volverá a abrir.",
                             "fr": " Sans réponse sous un jour, nous considérerons la demande comme résolue ; une "
                                   "réponse plus tard la rouvrira.",
                             "pt": " Sem resposta em um dia, consideraremos o pedido resolvido; se responder mais "
                                   "tarde, ele será reaberto."},
    "notify_solved": {"en": "{name} marked ticket {number} “{subject}”, which is assigned to you, as solved.",
                      "de": "{name} hat das Ihnen zugewiesene Ticket {number} „{subject}“ als gelöst markiert.",
                      "es": "{name} ha marcado como resuelto el ticket {number} «{subject}», que está asignado a "
                            "usted.",
                      "fr": "{name} a marqué comme résolu le ticket {number} « {subject} », qui vous est attribué.",
                      "pt": "{name} marcou como resolvido o ticket {number} “{subject}”, que está atribuído a você."},
    "notify_replied_subject": {"en": "[{number}] New customer message: {subject}",
                               "de": "[{number}] Neue Nachricht des Kunden: {subject}",
                               "es": "[{number}] Nuevo mensaje del cliente: {subject}",
                               "fr": "[{number}] Nouveau message du client : {subject}",
                               "pt": "[{number}] Nova mensagem do cliente: {subject}"},
    "notify_replied": {"en": "{name} wrote on ticket {number} “{subject}”, which is assigned to you:",
                       "de": "{name} hat zum Ticket {number} „{subject}“ geschrieben, das Ihnen zugewiesen ist:",
                       "es": "{name} ha escrito en el ticket {number} «{subject}», que tiene asignado:",
                       "fr": "{name} a écrit sur le ticket {number} « {subject} », qui vous est attribué :",
                       "pt": "{name} escreveu no ticket {number} “{subject}”, que está atribuído a você:"},
    "notify_new_subject": {"en": "[{number}] New ticket: {subject}", "de": "[{number}] Neues Ticket: {subject}",
                           "es": "[{number}] Nuevo ticket: {subject}", "fr": "[{number}] Nouveau ticket : {subject}",
                           "pt": "[{number}] Novo ticket: {subject}"},
    "notify_new": {"en": "{name} opened ticket {number} “{subject}” in the group {group}; nobody has it yet:",
                   "de": "{name} hat das Ticket {number} „{subject}“ in der Gruppe {group} eröffnet; noch "
                         "bearbeitet es niemand:",
                   "es": "{name} ha abierto el ticket {number} «{subject}» en el grupo {group}; nadie lo tiene "
                         "asignado todavía:",
                   "fr": "{name} a ouvert le ticket {number} « {subject} » dans le groupe {group} ; personne ne "
                         "l'a encore pris :",
                   "pt": "{name} abriu o ticket {number} “{subject}” no grupo {group}; ninguém o assumiu ainda:"},
    "notify_new_ungrouped": {"en": "{name} opened ticket {number} “{subject}”; it is in no group and nobody has it "
                                   "yet:",
                             "de": "{name} hat das Ticket {number} „{subject}“ eröffnet; es ist in keiner Gruppe "
                                   "und noch bearbeitet es niemand:",
                             "es": "{name} ha abierto el ticket {number} «{subject}»; no está en ningún grupo y "
                                   "nadie lo tiene asignado todavía:",
                             "fr": "{name} a ouvert le ticket {number} « {subject} » ; il n'est dans aucun groupe "
                                   "et personne ne l'a encore pris :",
                             "pt": "{name} abriu o ticket {number} “{subject}”; não está em nenhum grupo e ninguém "
                                   "o assumiu ainda:"},
    "notify_why_new": {"en": "You get this mail because you asked to hear of new tickets (My settings in the "
                             "console).",
                       "de": "Sie erhalten diese E-Mail, weil Sie über neue Tickets informiert werden möchten "
                             "(Meine Einstellungen in der Konsole).",
                       "es": "Recibe este correo porque pidió que se le avisara de los tickets nuevos (Mis ajustes "
                             "en la consola).",
                       "fr": "Vous recevez ce message car vous avez demandé à être prévenu des nouveaux tickets "
                             "(Mes réglages dans la console).",
                       "pt": "Você recebe este e-mail porque pediu para ser avisado dos tickets novos (Minhas "
                             "configurações no console)."},
    "remind_subject": {"en": "[{number}] Reminder: {subject}", "de": "[{number}] Erinnerung: {subject}",
                       "es": "[{number}] Recordatorio: {subject}", "fr": "[{number}] Rappel : {subject}",
                       "pt": "[{number}] Lembrete: {subject}"},
    "remind": {"en": "You asked to be reminded of ticket {number} ({subject}) now. Its status: {status}.",
               "de": "Sie wollten jetzt an das Ticket {number} ({subject}) erinnert werden. Sein Status: {status}.",
               "es": "Pidió que le recordáramos ahora el ticket {number} ({subject}). Su estado: {status}.",
               "fr": "Vous avez demandé un rappel du ticket {number} ({subject}) pour maintenant. Son statut : "
                     "{status}.",
               "pt": "Você pediu para ser lembrado agora do ticket {number} ({subject}). O status dele: {status}."},
    # A snooze ended by its time (the SLA scan woke the ticket), to its assignee or else whoever snoozed it.
    "notify_undelivered_subject": {"en": "[{number}] Our mail did not arrive: {subject}",
                                   "de": "[{number}] Unsere E-Mail kam nicht an: {subject}",
                                   "es": "[{number}] Nuestro correo no llegó: {subject}",
                                   "fr": "[{number}] Notre message n'est pas arrivé : {subject}",
                                   "pt": "[{number}] O nosso e-mail não chegou: {subject}"},
    "notify_undelivered": {"en": "Our mail about ticket {number} ({subject}) did not reach {address}: {why}\n"
                                 "Check the address with the customer (or change the requester) before replying: a "
                                 "reply by mail would not arrive either.",
                           "de": "Unsere E-Mail zum Ticket {number} ({subject}) hat {address} nicht erreicht: {why}\n"
                                 "Klären Sie die Adresse mit dem Kunden (oder ändern Sie den Anfragenden), bevor Sie "
                                 "antworten: Eine Antwort per E-Mail käme auch nicht an.",
                           "es": "Nuestro correo sobre el ticket {number} ({subject}) no llegó a {address}: {why}\n"
                                 "Compruebe la dirección con el cliente (o cambie el solicitante) antes de responder: "
                                 "una respuesta por correo tampoco llegaría.",
                           "fr": "Notre message sur le ticket {number} ({subject}) n'a pas atteint {address} : {why}\n"
                                 "Vérifiez l'adresse avec le client (ou changez le demandeur) avant de répondre : une "
                                 "réponse par e-mail n'arriverait pas non plus.",
                           "pt": "O nosso e-mail sobre o ticket {number} ({subject}) não chegou a {address}: {why}\n"
                                 "Confirme o endereço com o cliente (ou mude o solicitante) antes de responder: uma "
                                 "resposta por e-mail também não chegaria."},
    "notify_complained": {"en": "{address} marked our mail about ticket {number} ({subject}) as spam. They may not "
                                "want mail from us: reach them another way before replying.",
                          "de": "{address} hat unsere E-Mail zum Ticket {number} ({subject}) als Spam markiert. "
                                "Vielleicht möchte die Person keine E-Mails von uns: Erreichen Sie sie auf anderem "
                                "Weg, bevor Sie antworten.",
                          "es": "{address} marcó como spam nuestro correo sobre el ticket {number} ({subject}). Quizá "
                                "no quiera correos nuestros: contacte por otra vía antes de responder.",
                          "fr": "{address} a signalé comme spam notre message sur le ticket {number} ({subject}). La "
                                "personne ne souhaite peut-être pas de messages de notre part : contactez-la autrement "
                                "avant de répondre.",
                          "pt": "{address} marcou como spam o nosso e-mail sobre o ticket {number} ({subject}). Talvez "
                                "não queira e-mails nossos: contacte por outra via antes de responder."},
    "notify_snooze_ended_subject": {"en": "[{number}] Back from snooze: {subject}",
                                    "de": "[{number}] Zurück aus der Zurückstellung: {subject}",
                                    "es": "[{number}] Vuelve de la posposición: {subject}",
                                    "fr": "[{number}] De retour après report : {subject}",
                                    "pt": "[{number}] De volta do adiamento: {subject}"},
    "notify_snooze_ended": {"en": "Ticket {number} ({subject}) was snoozed until {until} and is back in the queues. "
                                  "Its status: {status}.",
                            "de": "Das Ticket {number} ({subject}) war bis {until} zurückgestellt und ist wieder in "
                                  "den Warteschlangen. Sein Status: {status}.",
                            "es": "El ticket {number} ({subject}) estaba pospuesto hasta {until} y vuelve a estar en "
                                  "las colas. Su estado: {status}.",
                            "fr": "Le ticket {number} ({subject}) était reporté jusqu'au {until} et revient dans les "
                                  "files. Son statut : {status}.",
                            "pt": "O ticket {number} ({subject}) estava adiado até {until} e voltou às filas. O "
                                  "status dele: {status}."},
    # A trigger of the team's that mails: to the one who has the ticket and/or its group.
    "notify_triggered_subject": {"en": "[{number}] {trigger}: {subject}", "de": "[{number}] {trigger}: {subject}",
                                 "es": "[{number}] {trigger}: {subject}", "fr": "[{number}] {trigger} : {subject}",
                                 "pt": "[{number}] {trigger}: {subject}"},
    "notify_triggered": {"en": "Your team's trigger “{trigger}” matched ticket {number} ({subject}) of {name}. Its "
                               "status: {status}, priority: {priority}.",
                         "de": "Der Trigger „{trigger}“ Ihres Teams hat das Ticket {number} ({subject}) von {name} "
                               "erfasst. Status: {status}, Priorität: {priority}.",
                         "es": "El disparador «{trigger}» de su equipo coincidió con el ticket {number} ({subject}) "
                               "de {name}. Estado: {status}, prioridad: {priority}.",
                         "fr": "Le déclencheur « {trigger} » de votre équipe a retenu le ticket {number} ({subject}) "
                               "de {name}. Statut : {status}, priorité : {priority}.",
                         "pt": "O gatilho “{trigger}” da sua equipe correspondeu ao ticket {number} ({subject}) de "
                               "{name}. Status: {status}, prioridade: {priority}."},
    "notify_why_triggered": {"en": "You get this mail because a trigger of your team mails you about such tickets.",
                             "de": "Sie erhalten diese E-Mail, weil ein Trigger Ihres Teams Sie über solche "
                                   "Tickets benachrichtigt.",
                             "es": "Recibe este correo porque un disparador de su equipo le avisa de estos tickets.",
                             "fr": "Vous recevez ce message car un déclencheur de votre équipe vous prévient de ces "
                                   "tickets.",
                             "pt": "Você recebe este e-mail porque um gatilho da sua equipe avisa você sobre esses "
                                   "tickets."},
    # The SLA's warning and breach mails to the ticket's group and assignee (`sla/adapters/notifier.py`).
    "sla_mail_warning": {"en": "[{number}] SLA {target} due soon", "de": "[{number}] SLA {target} bald fällig",
                         "es": "[{number}] SLA {target} vence pronto", "fr": "[{number}] SLA {target} bientôt échu",
                         "pt": "[{number}] SLA {target} vence em breve"},
    "sla_mail_breached": {"en": "[{number}] SLA {target} breached", "de": "[{number}] SLA {target} verletzt",
                          "es": "[{number}] SLA {target} incumplido", "fr": "[{number}] SLA {target} dépassé",
                          "pt": "[{number}] SLA {target} violado"},
    "sla_target_first_response": {"en": "first response", "de": "erste Antwort", "es": "primera respuesta",
                                  "fr": "première réponse", "pt": "primeira resposta"},
    "sla_target_next_response": {"en": "next response", "de": "nächste Antwort", "es": "siguiente respuesta",
                                 "fr": "réponse suivante", "pt": "próxima resposta"},
    "sla_target_resolution": {"en": "resolution", "de": "Lösung", "es": "resolución", "fr": "résolution",
                              "pt": "resolução"},
    "sla_mail_ticket": {"en": "Ticket {number} ({priority}, group {group})",
                        "de": "Ticket {number} ({priority}, Gruppe {group})",
                        "es": "Ticket {number} ({priority}, grupo {group})",
                        "fr": "Ticket {number} ({priority}, groupe {group})",
                        "pt": "Ticket {number} ({priority}, grupo {group})"},
    "sla_mail_subject": {"en": "Subject: “{subject}”", "de": "Betreff: „{subject}“", "es": "Asunto: «{subject}»",
                         "fr": "Objet : « {subject} »", "pt": "Assunto: “{subject}”"},
    "sla_mail_target": {"en": "Target: {target}, due {due}", "de": "Ziel: {target}, fällig {due}",
                        "es": "Objetivo: {target}, vence {due}", "fr": "Objectif : {target}, échéance {due}",
                        "pt": "Meta: {target}, vence {due}"},
    # A time trigger's mail: how long it waited, from what (`waited_since_<TimerStart>`).
    "notify_waited": {"en": "It acted {wait} after {since}.", "de": "Er wurde {wait} nach {since} ausgelöst.",
                      "es": "Se activó {wait} tras {since}.", "fr": "Il s'est déclenché {wait} après {since}.",
                      "pt": "Foi acionado {wait} após {since}."},
    "waited_hours": {"en": "{hours} h", "de": "{hours} Std.", "es": "{hours} h", "fr": "{hours} h", "pt": "{hours} h"},
    "waited_business_hours": {"en": "{hours} h (business hours)", "de": "{hours} Std. (Geschäftszeiten)",
                              "es": "{hours} h (horario laboral)", "fr": "{hours} h (heures ouvrées)",
                              "pt": "{hours} h (horário comercial)"},
    "waited_since_updated": {"en": "the last change by the customer or the team",
                             "de": "der letzten Änderung durch Kunden oder Team",
                             "es": "el último cambio del cliente o del equipo",
                             "fr": "la dernière modification du client ou de l'équipe",
                             "pt": "a última alteração do cliente ou da equipe"},
    "waited_since_customer_message": {"en": "the customer's last message", "de": "der letzten Nachricht des Kunden",
                                      "es": "el último mensaje del cliente", "fr": "le dernier message du client",
                                      "pt": "a última mensagem do cliente"},
    "waited_since_team_message": {"en": "the team's last reply", "de": "der letzten Antwort des Teams",
                                  "es": "la última respuesta del equipo", "fr": "la dernière réponse de l'équipe",
                                  "pt": "a última resposta da equipe"},
    "waited_since_created": {"en": "the ticket was opened", "de": "der Eröffnung des Tickets",
                             "es": "la apertura del ticket", "fr": "l'ouverture du ticket",
                             "pt": "a abertura do ticket"},
    "waited_since_resolved": {"en": "the ticket was resolved", "de": "der Lösung des Tickets",
                              "es": "la resolución del ticket", "fr": "la résolution du ticket",
                              "pt": "a resolução do ticket"},
    "waited_since_status_changed": {"en": "the ticket became {status}", "de": "dem Wechsel in den Status {status}",
                                    "es": "el cambio al estado {status}", "fr": "le passage au statut {status}",
                                    "pt": "a mudança para o status {status}"},
    "waited_since_assigned": {"en": "the ticket was assigned", "de": "der Zuweisung des Tickets",
                              "es": "la asignación del ticket", "fr": "l'attribution du ticket",
                              "pt": "a atribuição do ticket"},
    "notify_open": {"en": "Open it in the console: {link}", "de": "In der Konsole öffnen: {link}",
                    "es": "Ábralo en la consola: {link}", "fr": "Ouvrir dans la console : {link}",
                    "pt": "Abra no console: {link}"},
    "notify_mentioned_subject": {"en": "[{number}] {by} mentioned you: {subject}",
                                 "de": "[{number}] {by} hat Sie erwähnt: {subject}",
                                 "es": "[{number}] {by} le ha mencionado: {subject}",
                                 "fr": "[{number}] {by} vous a mentionné : {subject}",
                                 "pt": "[{number}] {by} mencionou você: {subject}"},
    "notify_mentioned": {"en": "{by} mentioned you in an internal note on ticket {number} “{subject}”:",
                         "de": "{by} hat Sie in einer internen Notiz zum Ticket {number} „{subject}“ erwähnt:",
                         "es": "{by} le ha mencionado en una nota interna del ticket {number} «{subject}»:",
                         "fr": "{by} vous a mentionné dans une note interne du ticket {number} « {subject} » :",
                         "pt": "{by} mencionou você em uma nota interna do ticket {number} “{subject}”:"},
    "notify_answer_note": {"en": "Reply to this mail to add an internal note to the ticket (the customer does not "
                                 "see it).",
                           "de": "Antworten Sie auf diese E-Mail, um dem Ticket eine interne Notiz hinzuzufügen "
                                 "(der Kunde sieht sie nicht).",
                           "es": "Responda a este correo para añadir una nota interna al ticket (el cliente no la "
                                 "ve).",
                           "fr": "Répondez à ce message pour ajouter une note interne au ticket (le client ne la "
                                 "voit pas).",
                           "pt": "Responda a este e-mail para adicionar uma nota interna ao ticket (o cliente não a "
                                 "vê)."},
    "notify_why_mentioned": {"en": "You get this mail because a colleague mentioned you (@{handle}).",
                             "de": "Sie erhalten diese E-Mail, weil ein Kollege Sie erwähnt hat (@{handle}).",
                             "es": "Recibe este correo porque un compañero le ha mencionado (@{handle}).",
                             "fr": "Vous recevez ce message car un collègue vous a mentionné (@{handle}).",
                             "pt": "Você recebe este e-mail porque um colega mencionou você (@{handle})."},
    "notify_rated_bad_subject": {"en": "[{number}] Rated bad: {subject}",
                                 "de": "[{number}] Schlecht bewertet: {subject}",
                                 "es": "[{number}] Valorado como malo: {subject}",
                                 "fr": "[{number}] Jugé mauvais : {subject}",
                                 "pt": "[{number}] Avaliado como ruim: {subject}"},
    "notify_rated_bad": {"en": "{name} rated the help on ticket {number} “{subject}”, which is assigned to you, as "
                               "bad.",
                         "de": "{name} hat die Hilfe zum Ihnen zugewiesenen Ticket {number} „{subject}“ als schlecht "
                               "bewertet.",
                         "es": "{name} ha valorado como mala la ayuda del ticket {number} «{subject}», que está "
                               "asignado a usted.",
                         "fr": "{name} a jugé mauvaise l'aide apportée sur le ticket {number} « {subject} », qui vous "
                               "est attribué.",
                         "pt": "{name} avaliou como ruim a ajuda no ticket {number} “{subject}”, que está atribuído a "
                               "você."},
    # A ticket's news to the team members who follow it (mail/notifications.py, `_send_followed`).
    "notify_follow_subject": {"en": "[{number}] Update on a ticket you follow: {subject}",
                              "de": "[{number}] Neues zu einem Ticket, dem Sie folgen: {subject}",
                              "es": "[{number}] Novedades de un ticket que sigue: {subject}",
                              "fr": "[{number}] Du nouveau sur un ticket que vous suivez : {subject}",
                              "pt": "[{number}] Novidades de um ticket que você segue: {subject}"},
    "notify_follow_customer_replied": {"en": "{name} wrote on ticket {number} “{subject}”:",
                                       "de": "{name} hat zum Ticket {number} „{subject}“ geschrieben:",
                                       "es": "{name} ha escrito en el ticket {number} «{subject}»:",
                                       "fr": "{name} a écrit sur le ticket {number} « {subject} » :",
                                       "pt": "{name} escreveu no ticket {number} “{subject}”:"},
    "notify_follow_customer_solved": {"en": "{name} marked ticket {number} “{subject}” as solved.",
                                      "de": "{name} hat das Ticket {number} „{subject}“ als gelöst markiert.",
                                      "es": "{name} ha marcado como resuelto el ticket {number} «{subject}».",
                                      "fr": "{name} a marqué comme résolu le ticket {number} « {subject} ».",
                                      "pt": "{name} marcou como resolvido o ticket {number} “{subject}”."},
    "notify_follow_rated_bad": {"en": "{name} rated the help on ticket {number} “{subject}” as bad.",
                                "de": "{name} hat die Hilfe zum Ticket {number} „{subject}“ als schlecht bewertet.",
                                "es": "{name} ha valorado como mala la ayuda del ticket {number} «{subject}».",
                                "fr": "{name} a jugé mauvaise l'aide apportée sur le ticket {number} « {subject} ».",
                                "pt": "{name} avaliou como ruim a ajuda no ticket {number} “{subject}”."},
    "notify_follow_colleague_replied": {"en": "{by} replied to {name} on ticket {number} “{subject}”:",
                                        "de": "{by} hat {name} zum Ticket {number} „{subject}“ geantwortet:",
                                        "es": "{by} ha respondido a {name} en el ticket {number} «{subject}»:",
                                        "fr": "{by} a répondu à {name} sur le ticket {number} « {subject} » :",
                                        "pt": "{by} respondeu a {name} no ticket {number} “{subject}”:"},
    "notify_side_subject": {"en": "[{number}] {name} answered: {subject}",
                            "de": "[{number}] Antwort von {name}: {subject}",
                            "es": "[{number}] {name} ha respondido: {subject}",
                            "fr": "[{number}] Réponse de {name} : {subject}",
                            "pt": "[{number}] {name} respondeu: {subject}"},
    "notify_side_replied": {"en": "{name} answered the team's mail about ticket {number} “{subject}”, which is "
                                  "assigned to you (an internal note; the customer does not see it):",
                            "de": "{name} hat auf die E-Mail des Teams zum Ticket {number} „{subject}“ geantwortet, "
                                  "das Ihnen zugewiesen ist (eine interne Notiz; der Kunde sieht sie nicht):",
                            "es": "{name} ha respondido al correo del equipo sobre el ticket {number} «{subject}», "
                                  "que tiene asignado (una nota interna; el cliente no la ve):",
                            "fr": "{name} a répondu au message de l'équipe sur le ticket {number} « {subject} », qui "
                                  "vous est attribué (une note interne ; le client ne la voit pas) :",
                            "pt": "{name} respondeu ao e-mail da equipe sobre o ticket {number} “{subject}”, que está "
                                  "atribuído a você (uma nota interna; o cliente não a vê):"},
    "notify_follow_side_replied": {"en": "{name} answered the team's mail about ticket {number} “{subject}” (an "
                                         "internal note):",
                                   "de": "{name} hat auf die E-Mail des Teams zum Ticket {number} „{subject}“ "
                                         "geantwortet (eine interne Notiz):",
                                   "es": "{name} ha respondido al correo del equipo sobre el ticket {number} "
                                         "«{subject}» (una nota interna):",
                                   "fr": "{name} a répondu au message de l'équipe sur le ticket {number} « {subject} » "
                                         "(une note interne) :",
                                   "pt": "{name} respondeu ao e-mail da equipe sobre o ticket {number} “{subject}” "
                                         "(uma nota interna):"},
    "notify_follow_colleague_noted": {"en": "{by} added an internal note to ticket {number} “{subject}”:",
                                      "de": "{by} hat dem Ticket {number} „{subject}“ eine interne Notiz "
                                            "hinzugefügt:",
                                      "es": "{by} ha añadido una nota interna al ticket {number} «{subject}»:",
                                      "fr": "{by} a ajouté une note interne au ticket {number} « {subject} » :",
                                      "pt": "{by} adicionou uma nota interna ao ticket {number} “{subject}”:"},
    "notify_why_following": {"en": "You get this mail because you follow the ticket (Unfollow on its page in the "
                                   "console).",
                             "de": "Sie erhalten diese E-Mail, weil Sie dem Ticket folgen (Nicht mehr folgen auf "
                                   "seiner Seite in der Konsole).",
                             "es": "Recibe este correo porque sigue el ticket (Dejar de seguir en su página de la "
                                   "consola).",
                             "fr": "Vous recevez ce message car vous suivez le ticket (Ne plus suivre sur sa page "
                                   "dans la console).",
                             "pt": "Você recebe este e-mail porque segue o ticket (Deixar de seguir na página dele "
                                   "no console)."},
    "notify_why": {"en": "You get this mail because the ticket is assigned to you.",
                   "de": "Sie erhalten diese E-Mail, weil Ihnen das Ticket zugewiesen ist.",
                   "es": "Recibe este correo porque el ticket está asignado a usted.",
                   "fr": "Vous recevez ce message car le ticket vous est attribué.",
                   "pt": "Você recebe este e-mail porque o ticket está atribuído a você."},
    "notify_answer_by_reply": {"en": "Reply to this mail to answer {name}: your reply (without the quoted mail) "
                                     "goes on the ticket as yours and reaches them as a reply from the console "
                                     "would.",
                               "de": "Antworten Sie auf diese E-Mail, um {name} zu antworten: Ihre Antwort (ohne "
                                     "die zitierte E-Mail) kommt als Ihre ins Ticket und erreicht den Kunden wie "
                                     "eine Antwort aus der Konsole.",
                               "es": "Responda a este correo para contestar a {name}: su respuesta (sin el correo "
                                     "citado) se añade al ticket como suya y le llega como una respuesta desde la "
                                     "consola.",
                               "fr": "Répondez à ce message pour répondre à {name} : votre réponse (sans le "
                                     "message cité) est ajoutée au ticket en votre nom et lui parvient comme une "
                                     "réponse depuis la console.",
                               "pt": "Responda a este e-mail para responder a {name}: a sua resposta (sem o "
                                     "e-mail citado) entra no ticket como sua e chega como uma resposta do "
                                     "console."},
    "notify_mail_commands": {"en": "To change the ticket too, start your reply with one line per change: "
                                   "#status pending, #priority high, #assignee me, #tags vip, or #note for an "
                                   "internal note.",
                             "de": "Um auch das Ticket zu ändern, beginnen Sie Ihre Antwort mit einer Zeile je "
                                   "Änderung: #status pending, #priority high, #assignee me, #tags vip oder #note "
                                   "für eine interne Notiz.",
                             "es": "Para cambiar también el ticket, empiece su respuesta con una línea por cambio: "
                                   "#status pending, #priority high, #assignee me, #tags vip o #note para una nota "
                                   "interna.",
                             "fr": "Pour modifier aussi le ticket, commencez votre réponse par une ligne par "
                                   "changement : #status pending, #priority high, #assignee me, #tags vip ou #note "
                                   "pour une note interne.",
                             "pt": "Para alterar também o ticket, comece a sua resposta com uma linha por "
                                   "alteração: #status pending, #priority high, #assignee me, #tags vip ou #note "
                                   "para uma nota interna."},
    # The one-click rating mail when a ticket is resolved (mail/outbound.py).
    "rate_us": {"en": "Your request {number}{subject} is resolved.\n\nHow did we do? One click is enough:\n\n"
                      "  Good: {good}\n  Bad:  {bad}\n\nIf something is still wrong, reply to this mail and the "
                      "ticket opens again.",
                "de": "Ihre Anfrage {number}{subject} ist gelöst.\n\nWie zufrieden waren Sie? Ein Klick genügt:\n\n"
                      "  Gut: {good}\n  Schlecht: {bad}\n\nFalls noch etwas nicht stimmt, antworten Sie auf diese "
                      "E-Mail; das Ticket wird dann wieder geöffnet.",
                "es": "Su solicitud {number}{subject} está resuelta.\n\n¿Qué tal lo hicimos? Basta con un clic:\n\n"
                      "  Bien: {good}\n  Mal: {bad}\n\nSi algo sigue sin funcionar, responda a este correo y el "
                      "ticket se volverá a abrir.",
                "fr": "Votre demande {number}{subject} est résolue.\n\nComment avons-nous fait ? Un clic suffit :\n\n"
                      "  Bien : {good}\n  Mal : {bad}\n\nSi quelque chose ne va toujours pas, répondez à ce message "
                      "et le ticket sera rouvert.",
                "pt": "O seu pedido {number}{subject} foi resolvido.\n\nComo nos saímos? Basta um clique:\n\n"
                      "  Bom: {good}\n  Ruim: {bad}\n\nSe algo ainda estiver errado, responda a este e-mail e o "
                      "ticket será reaberto."},
    # The answer's lead already names the article: naming it again read "From “X”: ... The article “X” has ...".
    "details_in": {"en": "The article has the details.", "de": "Details stehen im Artikel.",
                   "es": "El artículo tiene los detalles.", "fr": "L'article donne les détails.",
                   "pt": "O artigo tem os detalhes."},
}


def detect(text: str) -> str:
    """The supported language `text` is most likely in, "en" when unsure."""
    return identify(text) or "en"


def identify(text: str) -> Language | None:
    """The supported language `text` is in, None when unsure or when it is in another language (the caller's
    fallback, English, then answers)."""
    return supported(told_language(text))


def told_language(text: str) -> str | None:
    """The language `text` is in, among ours and their neighbours (`langid_model.TOLD_APART`), None when unsure: one
    of ours from DETECT_MIN_PROBABILITY, another only from TOLD_MIN_PROBABILITY. What reads only English asks this,
    so a Dutch question is not English, and a two-word English search ("api key", Indonesian at 0.34) still is."""
    told = _classified(text[:2000])
    if told is None:
        return None
    code, probability = told
    floor = DETECT_MIN_PROBABILITY if supported(code) is not None else TOLD_MIN_PROBABILITY
    return code if probability >= floor else None


@lru_cache(maxsize=256)
def _classified(text: str) -> tuple[str, float] | None:
    """py3langid's language and probability over `langid_model.TOLD_APART`; None for one word. Cached: one chat
    turn asks about the same message in several places."""
    words = text.split()
    if len(words) < 2:
        return None
    global _IDENTIFIER
    if _IDENTIFIER is None:
        from helpdesk.kernel.langid_model import identifier

        _IDENTIFIER = identifier()
    code, probability = _IDENTIFIER.classify(text)
    return str(code), float(probability)


_IDENTIFIER: Any = None
# Both chosen on validation halves (`bench/language_id.py --po-dir --english`: Django's translations, CLINC150's
# English questions) as the lowest floor at which no English text there was answered in another of our languages
# (DETECT), then none told as another language than English (TOLD, for the languages not ours). Over our five alone
# the floor was 0.9, and a third of the Spanish sentences fell back to English.
DETECT_MIN_PROBABILITY = 0.3
TOLD_MIN_PROBABILITY = 0.7


def supported(code: str | None) -> Language | None:
    """`code` as one of the supported languages, None when it is not one."""
    return next((language for language in SUPPORTED if language == code), None)


def written_in(tag: str | None) -> Language | None:
    """The supported language a tag names ("pt-BR" -> "pt"), None for another or none."""
    return supported((tag or "").split("-")[0].lower())


def language_of(code: str | None) -> str:
    """A supported language for a detected code ("pt-BR" -> "pt"), else English."""
    return written_in(code) or "en"


def phrase(key: str, language: str | None = "en", **values: str) -> str:
    return localised(_PHRASES[key], language, **values)


def has_phrase(key: str) -> bool:  # for keys made from stored data: a value a later version added has none here
    return key in _PHRASES


def localised(texts: Mapping[str, str], language: str | None, **values: str) -> str:
    """The text of a table of translations for `language`, English where it has none, filled with `values`."""
    return texts.get(language_of(language), texts["en"]).format(**values)


_NAME_JUNK = re.compile(r"[\"“”„«»()<>\[\]{}]|[,;:.]+$")


def given_name(name: str | None) -> str | None:
    """The name to greet someone by: "Müller, Jana" -> "Jana", "Jana Müller" -> "Jana", "jana@x.de" -> None.
    A directory's "Last, First" order is undone; an address or a blank is no name."""
    if not name:
        return None
    text = " ".join(re.sub(r"<[^>]*>", " ", name).split())  # a display name with its address: the name
    if not text or "@" in text:
        return None
    if "," in text:
        last, _, first = text.partition(",")
        text = first.strip() or last.strip()
    words = [_NAME_JUNK.sub("", w) for w in text.split()]
    words = [w for w in words if w and any(c.isalpha() for c in w)]
    return words[0] if words else None


def greeting(name: str | None, language: str | None = "en") -> str:
    first = given_name(name)
    hello = phrase("hello", language)
    return f"{hello} {first}," if first else f"{hello},"
