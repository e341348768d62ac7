// The widget's strings in English, German, Spanish and French, chosen by the page's language.
export const STRINGS = {
  en: {
    yes: "Yes", no: "No",
    open: "Chat with support", close: "Close chat", title: "Help", placeholder: "Type your question…",
    input: "Your message", send: "Send", person: "Talk to a person", personText: "I want to talk to a person",
    email: "Your email address", emailHint: "So that our team can reply to you.", emailSend: "Send email address",
    sources: "Sources", you: "You", bot: "Assistant", agent: "Support team", ticket: "Ticket",
    greeting: "Hi! Ask me anything about our products, or ask for a person.", error: "Something went wrong. Please try again.",
    waiting: "A person from our team will reply here.", sending: "Sending…", log: "Conversation",
  },
  de: {
    yes: "Ja", no: "Nein",
    open: "Mit dem Support chatten", close: "Chat schließen", title: "Hilfe", placeholder: "Ihre Frage…",
    input: "Ihre Nachricht", send: "Senden", person: "Mit einem Menschen sprechen", personText: "I want to talk to a person",
    email: "Ihre E-Mail-Adresse", emailHint: "Damit unser Team Ihnen antworten kann.", emailSend: "E-Mail-Adresse senden",
    sources: "Quellen", you: "Sie", bot: "Assistent", agent: "Support-Team", ticket: "Ticket",
    greeting: "Hallo! Fragen Sie mich etwas zu unseren Produkten oder verlangen Sie einen Menschen.", error: "Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.",
    waiting: "Eine Person aus unserem Team antwortet hier.", sending: "Wird gesendet…", log: "Unterhaltung",
  },
  es: {
    yes: "Sí", no: "No",
    open: "Chatear con soporte", close: "Cerrar chat", title: "Ayuda", placeholder: "Escribe tu pregunta…",
    input: "Tu mensaje", send: "Enviar", person: "Hablar con una persona", personText: "I want to talk to a person",
    email: "Tu correo electrónico", emailHint: "Para que nuestro equipo pueda responderte.", emailSend: "Enviar correo",
    sources: "Fuentes", you: "Tú", bot: "Asistente", agent: "Equipo de soporte", ticket: "Ticket",
    greeting: "¡Hola! Pregúntame lo que quieras sobre nuestros productos o pide hablar con una persona.", error: "Algo salió mal. Inténtalo de nuevo.",
    waiting: "Una persona de nuestro equipo responderá aquí.", sending: "Enviando…", log: "Conversación",
  },
  fr: {
    yes: "Oui", no: "Non",
    open: "Discuter avec le support", close: "Fermer la discussion", title: "Aide", placeholder: "Votre question…",
    input: "Votre message", send: "Envoyer", person: "Parler à une personne", personText: "I want to talk to a person",
    email: "Votre adresse e-mail", emailHint: "Pour que notre équipe puisse vous répondre.", emailSend: "Envoyer l’adresse",
    sources: "Sources", you: "Vous", bot: "Assistant", agent: "Équipe support", ticket: "Ticket",
    greeting: "Bonjour ! Posez-moi une question sur nos produits, ou demandez à parler à une personne.", error: "Un problème est survenu. Veuillez réessayer.",
    waiting: "Une personne de notre équipe vous répondra ici.", sending: "Envoi…", log: "Conversation",
  },
} as const;

export type Lang = keyof typeof STRINGS;
export type Strings = { [K in keyof (typeof STRINGS)["en"]]: string };

export function pickLanguage(...candidates: (string | null | undefined)[]): Lang {
  for (const candidate of candidates) {
    const base = (candidate ?? "").trim().toLowerCase().split(/[-_]/)[0] ?? "";
    if (base in STRINGS) return base as Lang;
  }
  return "en";
}

export function strings(lang: Lang): Strings {
  return STRINGS[lang];
}
