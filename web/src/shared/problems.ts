// What went wrong, told to a customer in their language. The API's own messages are English and written for
// integrations ("request does not match the schema"); customer pages (the portal, the rating page, the widget)
// say it from the error's status and code instead, and keep the code as a reference support can look up.
import { ApiError } from "../api/client";
import { fill, type Lang } from "./language";

type Problem =
  | "offline" | "invalid" | "tooLong" | "missing" | "expired" | "forbidden" | "notFound" | "changed" | "gone"
  | "tooLarge" | "fileType" | "infected" | "tooMany" | "unavailable";

export const PROBLEM_TEXT: Record<Lang, Record<Problem | "reference", string>> = {
  en: {
    offline: "We could not reach the helpdesk. Check your connection and try again.",
    invalid: "Something you entered was not accepted. Check it and try again.",
    tooLong: "Your text is longer than allowed. Shorten it and try again.",
    missing: "Please fill in every field.",
    expired: "Your sign-in has expired. Please sign in again.",
    forbidden: "You do not have access to this.",
    notFound: "We could not find this. It may have been removed.",
    changed: "This changed in the meantime. Reload the page and try again.",
    gone: "This link or conversation has ended.",
    tooLarge: "A file or text is larger than allowed.",
    fileType: "This type of file is not accepted.",
    infected: "A file was refused by the virus check.",
    tooMany: "Too many requests at once. Wait a moment and try again.",
    unavailable: "Something went wrong on our side. Please try again in a moment.",
    reference: "Reference: {code}",
  },
  de: {
    offline: "Der Helpdesk ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    invalid: "Eine Eingabe wurde nicht angenommen. Prüfen Sie sie und versuchen Sie es erneut.",
    tooLong: "Ihr Text ist länger als erlaubt. Kürzen Sie ihn und versuchen Sie es erneut.",
    missing: "Bitte füllen Sie alle Felder aus.",
    expired: "Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.",
    forbidden: "Sie haben keinen Zugriff darauf.",
    notFound: "Das haben wir nicht gefunden. Vielleicht wurde es entfernt.",
    changed: "Das wurde inzwischen geändert. Laden Sie die Seite neu und versuchen Sie es erneut.",
    gone: "Dieser Link oder dieses Gespräch ist beendet.",
    tooLarge: "Eine Datei oder ein Text ist größer als erlaubt.",
    fileType: "Dieser Dateityp wird nicht angenommen.",
    infected: "Eine Datei wurde von der Virenprüfung abgelehnt.",
    tooMany: "Zu viele Anfragen auf einmal. Warten Sie einen Moment und versuchen Sie es erneut.",
    unavailable: "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es gleich noch einmal.",
    reference: "Referenz: {code}",
  },
  es: {
    offline: "No pudimos conectar con el servicio de ayuda. Compruebe su conexión e inténtelo de nuevo.",
    invalid: "Algo de lo que escribió no se aceptó. Revíselo e inténtelo de nuevo.",
    tooLong: "Su texto es más largo de lo permitido. Acórtelo e inténtelo de nuevo.",
    missing: "Rellene todos los campos, por favor.",
    expired: "Su sesión ha caducado. Inicie sesión de nuevo.",
    forbidden: "No tiene acceso a esto.",
    notFound: "No lo encontramos. Puede que se haya eliminado.",
    changed: "Esto cambió mientras tanto. Recargue la página e inténtelo de nuevo.",
    gone: "Este enlace o esta conversación ha terminado.",
    tooLarge: "Un archivo o un texto es más grande de lo permitido.",
    fileType: "No se acepta este tipo de archivo.",
    infected: "El análisis antivirus rechazó un archivo.",
    tooMany: "Demasiadas solicitudes a la vez. Espere un momento e inténtelo de nuevo.",
    unavailable: "Algo salió mal por nuestra parte. Inténtelo de nuevo en un momento.",
    reference: "Referencia: {code}",
  },
  fr: {
    offline: "Impossible de joindre le support. Vérifiez votre connexion et réessayez.",
    invalid: "Une saisie n'a pas été acceptée. Vérifiez-la et réessayez.",
    tooLong: "Votre texte est plus long que permis. Raccourcissez-le et réessayez.",
    missing: "Veuillez remplir tous les champs.",
    expired: "Votre connexion a expiré. Veuillez vous reconnecter.",
    forbidden: "Vous n'avez pas accès à ceci.",
    notFound: "Introuvable. Cela a peut-être été supprimé.",
    changed: "Cela a changé entre-temps. Rechargez la page et réessayez.",
    gone: "Ce lien ou cette conversation a pris fin.",
    tooLarge: "Un fichier ou un texte est plus volumineux que permis.",
    fileType: "Ce type de fichier n'est pas accepté.",
    infected: "Un fichier a été refusé par l'analyse antivirus.",
    tooMany: "Trop de demandes à la fois. Patientez un instant et réessayez.",
    unavailable: "Un problème est survenu de notre côté. Réessayez dans un instant.",
    reference: "Référence : {code}",
  },
  pt: {
    offline: "Não foi possível contactar o suporte. Verifique a sua ligação e tente novamente.",
    invalid: "Algo que escreveu não foi aceite. Verifique e tente novamente.",
    tooLong: "O seu texto é mais longo do que o permitido. Encurte-o e tente novamente.",
    missing: "Preencha todos os campos, por favor.",
    expired: "A sua sessão expirou. Entre novamente.",
    forbidden: "Não tem acesso a isto.",
    notFound: "Não encontrámos isto. Pode ter sido removido.",
    changed: "Isto mudou entretanto. Recarregue a página e tente novamente.",
    gone: "Este link ou esta conversa terminou.",
    tooLarge: "Um arquivo ou um texto é maior do que o permitido.",
    fileType: "Este tipo de arquivo não é aceite.",
    infected: "Um arquivo foi recusado pela verificação de vírus.",
    tooMany: "Demasiados pedidos de uma vez. Aguarde um momento e tente novamente.",
    unavailable: "Algo correu mal do nosso lado. Tente novamente daqui a pouco.",
    reference: "Referência: {code}",
  },
};

// pydantic's error types (`details.errors[].type`) that say a text is too long or was left out.
const TOO_LONG = /too_long|too_large/;
const MISSING = /missing|too_short/;

function problemOf(error: ApiError): Problem {
  const types = validationTypes(error.details);
  if (error.code === "attachment_infected") return "infected";
  if (error.code === "required_fields") return "missing"; // a field the team asks of every request
  if (error.status === 400 || error.status === 422) {
    if (types.some((type) => TOO_LONG.test(type))) return "tooLong";
    if (types.length > 0 && types.every((type) => MISSING.test(type))) return "missing";
    return "invalid";
  }
  const byStatus: Record<number, Problem> = {
    401: "expired", 403: "forbidden", 404: "notFound", 409: "changed", 410: "gone", 412: "changed",
    413: "tooLarge", 415: "fileType", 429: "tooMany",
  };
  return byStatus[error.status] ?? (error.status >= 500 ? "unavailable" : "invalid");
}

/** One error of a 422 `validation_error` (pydantic's `loc`, `type`, `msg`), as far as the answer holds them. */
export interface FieldProblem {
  loc: unknown[];
  type: string;
  msg: string | null;
}

/** The errors a validation error's `details` lists (none for any other error). */
export function validationErrors(details: unknown): FieldProblem[] {
  const errors = (details as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e: unknown) => {
    const { loc, type, msg } = (e ?? {}) as { loc?: unknown; type?: unknown; msg?: unknown };
    return { loc: Array.isArray(loc) ? loc : [], type: String(type ?? ""), msg: typeof msg === "string" ? msg : null };
  });
}

function validationTypes(details: unknown): string[] {
  return validationErrors(details).map((e) => e.type);
}

/** The sentence for a failed call, in `lang`: an API error by its status and code, a fetch that never reached
 * the API (a TypeError) as a connection problem, anything else as our fault. */
export function problemText(error: unknown, lang: Lang): string {
  const problem = error instanceof ApiError ? problemOf(error) : error instanceof TypeError ? "offline" : "unavailable";
  return PROBLEM_TEXT[lang][problem];
}

/** The reference to quote to support: the API's status and code (nothing for a fetch that never got an answer). */
export function problemReference(error: unknown, lang: Lang): string | null {
  if (!(error instanceof ApiError)) return null;
  return fill(PROBLEM_TEXT[lang].reference, { code: `${error.status} ${error.code}` });
}
