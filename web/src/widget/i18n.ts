import { pickLanguage, type Lang } from "../shared/language";

// The widget's strings in the five languages the assistant speaks, chosen by the page's language (and then by the
// conversation's), addressing the visitor as the assistant does (Spanish "usted", German "Sie"). The
// "talk to a person" button sends its sentence in that language too: the conversation's language follows
// what the visitor sends, so an English sentence from a German page would switch the assistant to English.
export const STRINGS = {
  en: {
    unread: "New messages: {count}", attach: "Send a file to our team", files: "Files", tooManyFiles: "At most {max} files a message.",
    ended: "This conversation has ended: our team replies by email.",
    restarted: "A new conversation was started: the earlier one had ended.",
    answerBy: "Expect an answer by {when} at the latest.",
    rateQuestion: "Did this answer your question?", rateYes: "Yes, this answered my question", rateNo: "No, this did not answer my question",
    thanksHelpful: "Thanks for letting us know.", thanksNotHelpful: "Thanks for your feedback.",
    yes: "Yes", no: "No",
    open: "Chat with support", close: "Close chat", title: "Help", placeholder: "Type your question…",
    input: "Your message", send: "Send", person: "Talk to a person", personText: "I want to talk to a person",
    email: "Your email address", emailHint: "So that our team can reply to you.", emailSend: "Send email address",
    sources: "Sources", you: "You", bot: "Assistant", agent: "Support team", ticket: "Ticket",
    greeting: "Hi! Ask me anything about our products, or ask for a person.",
    waiting: "A person from our team will reply here.", sending: "Sending…", log: "Conversation",
  },
  de: {
    unread: "Neue Nachrichten: {count}", attach: "Eine Datei an unser Team senden", files: "Dateien", tooManyFiles: "Höchstens {max} Dateien pro Nachricht.",
    ended: "Dieses Gespräch ist beendet: Unser Team antwortet per E-Mail.",
    restarted: "Ein neues Gespräch wurde begonnen: Das vorige war beendet.",
    answerBy: "Sie erhalten spätestens am {when} eine Antwort.",
    rateQuestion: "Hat das Ihre Frage beantwortet?", rateYes: "Ja, das hat meine Frage beantwortet", rateNo: "Nein, das hat meine Frage nicht beantwortet",
    thanksHelpful: "Danke für Ihre Rückmeldung.", thanksNotHelpful: "Danke für Ihr Feedback.",
    yes: "Ja", no: "Nein",
    open: "Mit dem Support chatten", close: "Chat schließen", title: "Hilfe", placeholder: "Ihre Frage…",
    input: "Ihre Nachricht", send: "Senden", person: "Mit einem Menschen sprechen", personText: "Ich möchte mit einem Menschen sprechen",
    email: "Ihre E-Mail-Adresse", emailHint: "Damit unser Team Ihnen antworten kann.", emailSend: "E-Mail-Adresse senden",
    sources: "Quellen", you: "Sie", bot: "Assistent", agent: "Support-Team", ticket: "Ticket",
    greeting: "Hallo! Fragen Sie mich etwas zu unseren Produkten oder verlangen Sie einen Menschen.",
    waiting: "Eine Person aus unserem Team antwortet hier.", sending: "Wird gesendet…", log: "Unterhaltung",
  },
  es: {
    unread: "Mensajes nuevos: {count}", attach: "Enviar un archivo a nuestro equipo", files: "Archivos", tooManyFiles: "Como máximo {max} archivos por mensaje.",
    ended: "Esta conversación ha terminado: nuestro equipo responde por correo.",
    restarted: "Se inició una nueva conversación: la anterior había terminado.",
    answerBy: "Recibirá una respuesta a más tardar el {when}.",
    rateQuestion: "¿Respondió esto a su pregunta?", rateYes: "Sí, esto respondió a mi pregunta", rateNo: "No, esto no respondió a mi pregunta",
    thanksHelpful: "Gracias por hacérnoslo saber.", thanksNotHelpful: "Gracias por su opinión.",
    yes: "Sí", no: "No",
    open: "Chatear con soporte", close: "Cerrar chat", title: "Ayuda", placeholder: "Escriba su pregunta…",
    input: "Su mensaje", send: "Enviar", person: "Hablar con una persona", personText: "Quiero hablar con una persona",
    email: "Su correo electrónico", emailHint: "Para que nuestro equipo pueda responderle.", emailSend: "Enviar correo",
    sources: "Fuentes", you: "Usted", bot: "Asistente", agent: "Equipo de soporte", ticket: "Ticket",
    greeting: "¡Hola! Pregúnteme lo que quiera sobre nuestros productos o pida hablar con una persona.",
    waiting: "Una persona de nuestro equipo responderá aquí.", sending: "Enviando…", log: "Conversación",
  },
  fr: {
    unread: "Nouveaux messages : {count}", attach: "Envoyer un fichier à notre équipe", files: "Fichiers", tooManyFiles: "Au plus {max} fichiers par message.",
    ended: "Cette conversation est terminée : notre équipe répond par e-mail.",
    restarted: "Une nouvelle conversation a commencé : la précédente était terminée.",
    answerBy: "Vous aurez une réponse au plus tard le {when}.",
    rateQuestion: "Cela a-t-il répondu à votre question ?", rateYes: "Oui, cela a répondu à ma question", rateNo: "Non, cela n’a pas répondu à ma question",
    thanksHelpful: "Merci de nous l’avoir dit.", thanksNotHelpful: "Merci pour votre retour.",
    yes: "Oui", no: "Non",
    open: "Discuter avec le support", close: "Fermer la discussion", title: "Aide", placeholder: "Votre question…",
    input: "Votre message", send: "Envoyer", person: "Parler à une personne", personText: "Je veux parler à une personne",
    email: "Votre adresse e-mail", emailHint: "Pour que notre équipe puisse vous répondre.", emailSend: "Envoyer l’adresse",
    sources: "Sources", you: "Vous", bot: "Assistant", agent: "Équipe support", ticket: "Ticket",
    greeting: "Bonjour ! Posez-moi une question sur nos produits, ou demandez à parler à une personne.",
    waiting: "Une personne de notre équipe vous répondra ici.", sending: "Envoi…", log: "Conversation",
  },
  pt: {
    unread: "Novas mensagens: {count}", attach: "Enviar um arquivo para nossa equipe", files: "Arquivos", tooManyFiles: "No máximo {max} arquivos por mensagem.",
    ended: "Esta conversa terminou: a nossa equipa responde por e-mail.",
    restarted: "Foi iniciada uma nova conversa: a anterior tinha terminado.",
    answerBy: "Você receberá uma resposta até {when}, no máximo.",
    rateQuestion: "Isso respondeu à sua pergunta?", rateYes: "Sim, isso respondeu à minha pergunta", rateNo: "Não, isso não respondeu à minha pergunta",
    thanksHelpful: "Obrigado por nos informar.", thanksNotHelpful: "Obrigado pela sua opinião.",
    yes: "Sim", no: "Não",
    open: "Conversar com o suporte", close: "Fechar conversa", title: "Ajuda", placeholder: "Escreva a sua pergunta…",
    input: "A sua mensagem", send: "Enviar", person: "Falar com uma pessoa", personText: "Quero falar com uma pessoa",
    email: "O seu e-mail", emailHint: "Para que a nossa equipe possa responder.", emailSend: "Enviar e-mail",
    sources: "Fontes", you: "Você", bot: "Assistente", agent: "Equipe de suporte", ticket: "Ticket",
    greeting: "Olá! Pergunte-me o que quiser sobre os nossos produtos, ou peça para falar com uma pessoa.",
    waiting: "Uma pessoa da nossa equipe responderá aqui.", sending: "Enviando…", log: "Conversa",
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type { Lang };
export { pickLanguage };
export type Strings = { [K in keyof (typeof STRINGS)["en"]]: string };

export function strings(lang: Lang): Strings {
  return STRINGS[lang];
}
