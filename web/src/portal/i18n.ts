// The portal's own words in the five languages the helpdesk writes to customers in. The language is the one the
// customer picked in the portal (kept in this browser), else their profile's, else the browser's; the rating page
// takes the mail's.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { LANGUAGES, pickLanguage, type Lang } from "../shared/language";

export const PORTAL_TEXT = {
  en: {
    brand: "Support", sections: "Sections", mine: "My tickets", openTicket: "Open a ticket", helpCenter: "Help center",
    signOut: "Sign out", signIn: "Sign in", language: "Language", loading: "Loading…", noTickets: "You have no tickets yet.",
    updated: "updated {when}", pages: "Pages", previous: "Previous", next: "Next", backToMine: "← My tickets",
    opened: "opened {when}", you: "You", support: "Support", yourReply: "Your reply", attach: "Attach files", filesForRequest: "Files for this request.", filesNotAdded: "Your request {number} was opened, but the files could not be added: add them in a reply on its page.", openRequest: "Open the request",
    sendReply: "Send reply", replySent: "Your reply was sent.",
    closedTicket: "This ticket is closed. Open a new one if you need more help.",
    wasHelpful: "Was this article helpful?", helpfulYes: "Yes", helpfulNo: "No", feedbackThanks: "Thank you for your feedback.",
    mayHelp: "These articles may answer your question",
    articles: "Articles", moreArticles: "More articles",
    markSolved: "My problem is solved", solvedNotice: "Thank you! Your request is marked resolved. If something is still wrong, just reply here.",
    subject: "Subject", howCanWeHelp: "How can we help?", submitTicket: "Open ticket", backToHelpCenter: "← Help center",
    searchArticles: "Search articles", search: "Search", noArticle: "No article matches.",
    new: "new", open: "open", pending: "awaiting your reply", resolved: "resolved", closed: "closed",
    attachments: "Attachments",
    filesToSend: "Files to send", removeFile: "Remove",
    details: "Details", yes: "Yes", no: "No", requiredMark: "(required)", otherArticles: "Other articles", alsoIn: "Also in:",
    requestAbout: "What is your request about?", somethingElse: "Something else",
    assistant: "Assistant", earlierCut: "Earlier messages of the chat are not shown.",
    organizationTickets: "My organization's tickets", whichTickets: "Whose tickets", noOrganizationTickets: "Your organization has no tickets yet.",
    openedBy: "Opened by {name}", openedByYou: "Opened by you", backToOrganization: "← My organization's tickets", colleague: "Someone from your organization",
    colleagueTicket: "You can reply here. Only the person who opened this request marks it solved and rates the help.",
    detailsNeedVerifiedAddress: "Your details are kept with a confirmed e-mail address. Sign in with an address you have confirmed to see and change them; your tickets and the help center work as before.",
    yourDetails: "Your details", name: "Name", phone: "Phone", save: "Save", detailsSaved: "Your details were saved.",
    mailsInLanguage: "Mails from our team to you are written in this language.",
    detailsChanged: "Someone changed your details meanwhile (in another window, or our team). They are shown as saved now: check them and save again.",
    nameRefused: "Enter your name as plain text, at most 200 characters.",
    phoneRefused: "This is not a phone number we can take. Use digits, with spaces or ( ) . / - if you like, for example +44 20 7946 0958.",
    languageRefused: "Pick one of the languages offered.",
  },
  de: {
    brand: "Support", sections: "Bereiche", mine: "Meine Tickets", openTicket: "Ticket eröffnen", helpCenter: "Hilfe-Center",
    signOut: "Abmelden", signIn: "Anmelden", language: "Sprache", loading: "Wird geladen…", noTickets: "Sie haben noch keine Tickets.",
    updated: "aktualisiert {when}", pages: "Seiten", previous: "Zurück", next: "Weiter", backToMine: "← Meine Tickets",
    opened: "eröffnet {when}", you: "Sie", support: "Support", yourReply: "Ihre Antwort", attach: "Dateien anhängen", filesForRequest: "Dateien zu dieser Anfrage.", filesNotAdded: "Ihre Anfrage {number} wurde eröffnet, aber die Dateien konnten nicht angehängt werden: hängen Sie sie auf ihrer Seite an eine Antwort an.", openRequest: "Anfrage öffnen",
    sendReply: "Antwort senden", replySent: "Ihre Antwort wurde gesendet.",
    closedTicket: "Dieses Ticket ist geschlossen. Eröffnen Sie ein neues, wenn Sie weitere Hilfe brauchen.",
    wasHelpful: "War dieser Artikel hilfreich?", helpfulYes: "Ja", helpfulNo: "Nein", feedbackThanks: "Danke für Ihre Rückmeldung.",
    mayHelp: "Diese Artikel beantworten Ihre Frage vielleicht",
    articles: "Artikel", moreArticles: "Weitere Artikel",
    markSolved: "Mein Problem ist gelöst", solvedNotice: "Danke! Ihre Anfrage ist als gelöst markiert. Wenn noch etwas nicht stimmt, antworten Sie einfach hier.",
    subject: "Betreff", howCanWeHelp: "Wie können wir helfen?", submitTicket: "Ticket eröffnen", backToHelpCenter: "← Hilfe-Center",
    searchArticles: "Artikel durchsuchen", search: "Suchen", noArticle: "Kein Artikel passt.",
    new: "neu", open: "offen", pending: "wartet auf Ihre Antwort", resolved: "gelöst", closed: "geschlossen",
    attachments: "Anhänge",
    filesToSend: "Zu sendende Dateien", removeFile: "Entfernen",
    details: "Angaben", yes: "Ja", no: "Nein", requiredMark: "(Pflichtfeld)", otherArticles: "Weitere Artikel", alsoIn: "Auch auf:",
    requestAbout: "Worum geht es in Ihrer Anfrage?", somethingElse: "Etwas anderes",
    assistant: "Assistent", earlierCut: "Frühere Nachrichten des Chats werden nicht angezeigt.",
    organizationTickets: "Tickets meiner Organisation", whichTickets: "Wessen Tickets", noOrganizationTickets: "Ihre Organisation hat noch keine Tickets.",
    openedBy: "Eröffnet von {name}", openedByYou: "Von Ihnen eröffnet", backToOrganization: "← Tickets meiner Organisation", colleague: "Jemand aus Ihrer Organisation",
    colleagueTicket: "Sie können hier antworten. Nur wer diese Anfrage eröffnet hat, markiert sie als gelöst und bewertet die Hilfe.",
    detailsNeedVerifiedAddress: "Ihre Angaben werden bei einer bestätigten E-Mail-Adresse geführt. Melden Sie sich mit einer bestätigten Adresse an, um sie zu sehen und zu ändern; Ihre Tickets und das Hilfe-Center funktionieren wie bisher.",
    yourDetails: "Ihre Angaben", name: "Name", phone: "Telefon", save: "Speichern", detailsSaved: "Ihre Angaben wurden gespeichert.",
    mailsInLanguage: "In dieser Sprache schreibt Ihnen unser Team E-Mails.",
    detailsChanged: "Jemand hat Ihre Angaben inzwischen geändert (in einem anderen Fenster oder unser Team). Sie sehen sie jetzt, wie sie gespeichert sind: Prüfen Sie sie und speichern Sie erneut.",
    nameRefused: "Geben Sie Ihren Namen als einfachen Text ein, höchstens 200 Zeichen.",
    phoneRefused: "Diese Telefonnummer können wir nicht übernehmen. Verwenden Sie Ziffern, gern mit Leerzeichen oder ( ) . / -, zum Beispiel +49 30 1234-567.",
    languageRefused: "Wählen Sie eine der angebotenen Sprachen.",
  },
  es: {
    brand: "Soporte", sections: "Secciones", mine: "Mis tickets", openTicket: "Abrir un ticket", helpCenter: "Centro de ayuda",
    signOut: "Cerrar sesión", signIn: "Iniciar sesión", language: "Idioma", loading: "Cargando…", noTickets: "Todavía no tiene tickets.",
    updated: "actualizado {when}", pages: "Páginas", previous: "Anterior", next: "Siguiente", backToMine: "← Mis tickets",
    opened: "abierto {when}", you: "Usted", support: "Soporte", yourReply: "Su respuesta", attach: "Adjuntar archivos", filesForRequest: "Archivos de esta solicitud.", filesNotAdded: "Su solicitud {number} se ha abierto, pero no se pudieron añadir los archivos: añádalos en una respuesta en su página.", openRequest: "Abrir la solicitud",
    sendReply: "Enviar respuesta", replySent: "Su respuesta se ha enviado.",
    closedTicket: "Este ticket está cerrado. Abra uno nuevo si necesita más ayuda.",
    wasHelpful: "¿Le resultó útil este artículo?", helpfulYes: "Sí", helpfulNo: "No", feedbackThanks: "Gracias por su opinión.",
    mayHelp: "Estos artículos quizá respondan a su pregunta",
    articles: "Artículos", moreArticles: "Más artículos",
    markSolved: "Mi problema está resuelto", solvedNotice: "¡Gracias! Su solicitud está marcada como resuelta. Si algo sigue mal, responda aquí.",
    subject: "Asunto", howCanWeHelp: "¿En qué podemos ayudarle?", submitTicket: "Abrir ticket", backToHelpCenter: "← Centro de ayuda",
    searchArticles: "Buscar artículos", search: "Buscar", noArticle: "Ningún artículo coincide.",
    new: "nuevo", open: "abierto", pending: "esperando su respuesta", resolved: "resuelto", closed: "cerrado",
    attachments: "Archivos adjuntos",
    filesToSend: "Archivos para enviar", removeFile: "Quitar",
    details: "Datos", yes: "Sí", no: "No", requiredMark: "(obligatorio)", otherArticles: "Otros artículos", alsoIn: "También en:",
    requestAbout: "¿Sobre qué es su solicitud?", somethingElse: "Otro asunto",
    assistant: "Asistente", earlierCut: "No se muestran los mensajes anteriores del chat.",
    organizationTickets: "Tickets de mi organización", whichTickets: "De quién son los tickets", noOrganizationTickets: "Su organización todavía no tiene tickets.",
    openedBy: "Abierto por {name}", openedByYou: "Abierto por usted", backToOrganization: "← Tickets de mi organización", colleague: "Alguien de su organización",
    colleagueTicket: "Puede responder aquí. Solo quien abrió esta solicitud la marca como resuelta y valora la ayuda.",
    detailsNeedVerifiedAddress: "Sus datos se guardan con una dirección de correo confirmada. Inicie sesión con una dirección confirmada para verlos y cambiarlos; sus tickets y el centro de ayuda funcionan como antes.",
    yourDetails: "Sus datos", name: "Nombre", phone: "Teléfono", save: "Guardar", detailsSaved: "Sus datos se han guardado.",
    mailsInLanguage: "Nuestro equipo le escribe los correos en este idioma.",
    detailsChanged: "Alguien cambió sus datos mientras tanto (en otra ventana o nuestro equipo). Se muestran tal como están guardados ahora: revíselos y guarde de nuevo.",
    nameRefused: "Escriba su nombre como texto normal, con 200 caracteres como máximo.",
    phoneRefused: "No podemos aceptar este número de teléfono. Use cifras, con espacios o ( ) . / - si lo desea, por ejemplo +34 91 123 45 67.",
    languageRefused: "Elija uno de los idiomas ofrecidos.",
  },
  fr: {
    brand: "Support", sections: "Rubriques", mine: "Mes tickets", openTicket: "Ouvrir un ticket", helpCenter: "Centre d'aide",
    signOut: "Se déconnecter", signIn: "Se connecter", language: "Langue", loading: "Chargement…", noTickets: "Vous n'avez pas encore de ticket.",
    updated: "mis à jour {when}", pages: "Pages", previous: "Précédent", next: "Suivant", backToMine: "← Mes tickets",
    opened: "ouvert {when}", you: "Vous", support: "Support", yourReply: "Votre réponse", attach: "Joindre des fichiers", filesForRequest: "Fichiers de cette demande.", filesNotAdded: "Votre demande {number} a été ouverte, mais les fichiers n'ont pas pu être ajoutés : ajoutez-les dans une réponse sur sa page.", openRequest: "Ouvrir la demande",
    sendReply: "Envoyer la réponse", replySent: "Votre réponse a été envoyée.",
    closedTicket: "Ce ticket est fermé. Ouvrez-en un nouveau si vous avez besoin d'aide.",
    wasHelpful: "Cet article vous a-t-il aidé ?", helpfulYes: "Oui", helpfulNo: "Non", feedbackThanks: "Merci pour votre avis.",
    mayHelp: "Ces articles répondent peut-être à votre question",
    articles: "Articles", moreArticles: "Plus d'articles",
    markSolved: "Mon problème est résolu", solvedNotice: "Merci ! Votre demande est marquée comme résolue. Si quelque chose ne va toujours pas, répondez ici.",
    subject: "Objet", howCanWeHelp: "Comment pouvons-nous vous aider ?", submitTicket: "Ouvrir le ticket",
    backToHelpCenter: "← Centre d'aide", searchArticles: "Rechercher des articles", search: "Rechercher",
    noArticle: "Aucun article ne correspond.",
    new: "nouveau", open: "ouvert", pending: "en attente de votre réponse", resolved: "résolu", closed: "fermé",
    attachments: "Pièces jointes",
    filesToSend: "Fichiers à envoyer", removeFile: "Retirer",
    details: "Détails", yes: "Oui", no: "Non", requiredMark: "(obligatoire)", otherArticles: "Autres articles", alsoIn: "Aussi disponible en :",
    requestAbout: "Quel est l'objet de votre demande ?", somethingElse: "Autre chose",
    assistant: "Assistant", earlierCut: "Les messages précédents du chat ne sont pas affichés.",
    organizationTickets: "Tickets de mon organisation", whichTickets: "Tickets de qui", noOrganizationTickets: "Votre organisation n'a pas encore de ticket.",
    openedBy: "Ouvert par {name}", openedByYou: "Ouvert par vous", backToOrganization: "← Tickets de mon organisation", colleague: "Quelqu'un de votre organisation",
    colleagueTicket: "Vous pouvez répondre ici. Seule la personne qui a ouvert cette demande la marque comme résolue et évalue l'aide.",
    detailsNeedVerifiedAddress: "Vos coordonnées sont liées à une adresse e-mail confirmée. Connectez-vous avec une adresse confirmée pour les voir et les modifier ; vos tickets et le centre d'aide fonctionnent comme avant.",
    yourDetails: "Vos coordonnées", name: "Nom", phone: "Téléphone", save: "Enregistrer", detailsSaved: "Vos coordonnées ont été enregistrées.",
    mailsInLanguage: "Notre équipe vous écrit ses e-mails dans cette langue.",
    detailsChanged: "Quelqu'un a modifié vos coordonnées entre-temps (dans une autre fenêtre, ou notre équipe). Elles sont affichées telles qu'enregistrées maintenant : vérifiez-les et enregistrez à nouveau.",
    nameRefused: "Saisissez votre nom en texte simple, 200 caractères au maximum.",
    phoneRefused: "Nous ne pouvons pas accepter ce numéro de téléphone. Utilisez des chiffres, avec des espaces ou ( ) . / - si vous voulez, par exemple +33 1 23 45 67 89.",
    languageRefused: "Choisissez l'une des langues proposées.",
  },
  pt: {
    brand: "Suporte", sections: "Secções", mine: "Os meus tickets", openTicket: "Abrir um ticket", helpCenter: "Central de ajuda",
    signOut: "Sair", signIn: "Entrar", language: "Idioma", loading: "Carregando…", noTickets: "Ainda não tem tickets.",
    updated: "atualizado {when}", pages: "Páginas", previous: "Anterior", next: "Seguinte", backToMine: "← Os meus tickets",
    opened: "aberto {when}", you: "Você", support: "Suporte", yourReply: "A sua resposta", attach: "Anexar arquivos", filesForRequest: "Arquivos deste pedido.", filesNotAdded: "O seu pedido {number} foi aberto, mas os arquivos não puderam ser adicionados: adicione-os numa resposta na página dele.", openRequest: "Abrir o pedido",
    sendReply: "Enviar resposta", replySent: "A sua resposta foi enviada.",
    closedTicket: "Este ticket está fechado. Abra um novo se precisar de mais ajuda.",
    wasHelpful: "Este artigo foi útil?", helpfulYes: "Sim", helpfulNo: "Não", feedbackThanks: "Obrigado pela sua opinião.",
    mayHelp: "Estes artigos talvez respondam à sua pergunta",
    articles: "Artigos", moreArticles: "Mais artigos",
    markSolved: "Meu problema foi resolvido", solvedNotice: "Obrigado! Sua solicitação foi marcada como resolvida. Se algo ainda estiver errado, responda aqui.",
    subject: "Assunto", howCanWeHelp: "Como podemos ajudar?", submitTicket: "Abrir ticket", backToHelpCenter: "← Central de ajuda",
    searchArticles: "Pesquisar artigos", search: "Pesquisar", noArticle: "Nenhum artigo corresponde.",
    new: "novo", open: "aberto", pending: "aguardando sua resposta", resolved: "resolvido", closed: "fechado",
    attachments: "Anexos",
    filesToSend: "Arquivos a enviar", removeFile: "Remover",
    details: "Detalhes", yes: "Sim", no: "Não", requiredMark: "(obrigatório)", otherArticles: "Outros artigos", alsoIn: "Também em:",
    requestAbout: "Sobre o que é o seu pedido?", somethingElse: "Outro assunto",
    assistant: "Assistente", earlierCut: "As mensagens anteriores do chat não são mostradas.",
    organizationTickets: "Tickets da minha organização", whichTickets: "De quem são os tickets", noOrganizationTickets: "A sua organização ainda não tem tickets.",
    openedBy: "Aberto por {name}", openedByYou: "Aberto por você", backToOrganization: "← Tickets da minha organização", colleague: "Alguém da sua organização",
    colleagueTicket: "Pode responder aqui. Só quem abriu este pedido o marca como resolvido e avalia a ajuda.",
    detailsNeedVerifiedAddress: "Os seus dados ficam associados a um endereço de e-mail confirmado. Inicie sessão com um endereço confirmado para os ver e alterar; os seus pedidos e o centro de ajuda funcionam como antes.",
    yourDetails: "Os seus dados", name: "Nome", phone: "Telefone", save: "Guardar", detailsSaved: "Os seus dados foram guardados.",
    mailsInLanguage: "A nossa equipa escreve-lhe os e-mails neste idioma.",
    detailsChanged: "Alguém alterou os seus dados entretanto (noutra janela ou a nossa equipa). São mostrados como estão guardados agora: verifique-os e guarde novamente.",
    nameRefused: "Escreva o seu nome como texto simples, com 200 caracteres no máximo.",
    phoneRefused: "Não podemos aceitar este número de telefone. Use algarismos, com espaços ou ( ) . / - se quiser, por exemplo +351 21 123 4567.",
    languageRefused: "Escolha um dos idiomas oferecidos.",
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type PortalText = { [K in keyof (typeof PORTAL_TEXT)["en"]]: string };

/** Each language named in itself, for the picker. */

const STATUSES = ["new", "open", "pending", "resolved", "closed"] as const;

/** A ticket's status in the page's language (a status this table lacks, as the API wrote it; the team's "on hold"
 * reaches customers as "open"). */
export function statusName(status: string, t: PortalText): string {
  return (STATUSES as readonly string[]).includes(status) ? t[status as (typeof STATUSES)[number]] : status;
}

const CHOSEN = "helpdesk-portal:lang";

/** The language the customer chose in this browser before, null where they chose none here. */
export function chosenLanguage(storage?: Pick<Storage, "getItem">): Lang | null {
  let chosen: string | null = null;
  try {
    chosen = (storage ?? localStorage).getItem(CHOSEN);
  } catch {
    // storage blocked by the browser's settings: no choice kept
  }
  return chosen && (LANGUAGES as readonly string[]).includes(chosen) ? (chosen as Lang) : null;
}

/** The language the customer chose here before, else the browser's first one we write in. */
export function portalLanguage(storage?: Pick<Storage, "getItem">, browser: readonly string[] = navigator.languages ?? [navigator.language]): Lang {
  const chosen = chosenLanguage(storage);
  if (chosen) return chosen;
  const spoken = browser.find((tag) => pickLanguage(tag) !== "en" || tag.toLowerCase().startsWith("en"));
  return pickLanguage(spoken);
}

/** Kept for the next visit; where storage is blocked, for this page only. */
export function rememberLanguage(lang: Lang, storage?: Pick<Storage, "setItem">): void {
  try {
    (storage ?? localStorage).setItem(CHOSEN, lang);
  } catch {
    // storage blocked: the choice lasts while the page is open
  }
}

export const PortalLanguage = createContext<Lang>("en");

export function useLanguage(): Lang {
  return useContext(PortalLanguage);
}

/** The portal's words in the language of the page. */
export function useText(): PortalText {
  return PORTAL_TEXT[useLanguage()];
}
