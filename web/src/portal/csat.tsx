// Customer satisfaction in the portal: the page the rating link mailed on resolution opens (no sign-in:
// the signed token in the link is the credential) and the rating buttons on a resolved ticket.
import { useEffect, useState } from "preact/hooks";
import { ApiClient, ApiError } from "../api/client";
import type { CsatView, Ticket } from "../api/types";
import { when } from "../shared/format";
import { fill, pickLanguage, type Lang } from "../shared/language";
import { ProblemAlert } from "../shared/ui";

export type Rating = "good" | "bad";

// The rating page speaks the language of the mail that linked to it (the link carries `lang`); the rating box on a
// ticket in the signed-in portal, the portal's language.
const TEXT = {
  en: { ratedBefore: "You rated this {rating}. You can change your rating.",
        title: "How did we do?", add: "Anything to add? (optional)", good: "Good", bad: "Bad", send: "Send comment",
        rated: "Thank you: you rated this", withComment: ", with your comment", loading: "Loading…",
        expired: "This rating link has expired.", invalid: "This rating link is not valid. Please use the link from your mail." },
  de: { ratedBefore: "Ihre Bewertung: {rating}. Sie können sie ändern.",
        title: "Wie zufrieden waren Sie?", add: "Möchten Sie etwas ergänzen? (optional)", good: "Gut", bad: "Schlecht",
        send: "Kommentar senden", rated: "Vielen Dank! Ihre Bewertung:", withComment: ", mit Ihrem Kommentar",
        loading: "Wird geladen…", expired: "Dieser Bewertungslink ist abgelaufen.",
        invalid: "Dieser Bewertungslink ist ungültig. Bitte verwenden Sie den Link aus Ihrer E-Mail." },
  es: { ratedBefore: "Su valoración: {rating}. Puede cambiarla.",
        title: "¿Qué tal lo hicimos?", add: "¿Algo que añadir? (opcional)", good: "Bien", bad: "Mal",
        send: "Enviar comentario", rated: "Gracias. Su valoración:", withComment: ", con su comentario",
        loading: "Cargando…", expired: "Este enlace de valoración ha caducado.",
        invalid: "Este enlace de valoración no es válido. Use el enlace de su correo." },
  fr: { ratedBefore: "Votre avis : {rating}. Vous pouvez le modifier.",
        title: "Comment avons-nous fait ?", add: "Quelque chose à ajouter ? (facultatif)", good: "Bien", bad: "Mal",
        send: "Envoyer le commentaire", rated: "Merci ! Votre avis :", withComment: ", avec votre commentaire",
        loading: "Chargement…", expired: "Ce lien d'évaluation a expiré.",
        invalid: "Ce lien d'évaluation n'est pas valide. Utilisez le lien de votre e-mail." },
  pt: { ratedBefore: "A sua avaliação: {rating}. Pode alterá-la.",
        title: "Como nos saímos?", add: "Algo a acrescentar? (opcional)", good: "Bom", bad: "Ruim",
        send: "Enviar comentário", rated: "Obrigado! A sua avaliação:", withComment: ", com o seu comentário",
        loading: "Carregando…", expired: "Este link de avaliação expirou.",
        invalid: "Este link de avaliação não é válido. Use o link do seu e-mail." },
} as const satisfies Record<Lang, Record<string, string>>;
type Text = { [K in keyof (typeof TEXT)["en"]]: string };

/** `#/csat/<token>?rating=good&lang=de` -> the token, the rating the customer clicked in the mail and the mail's
 * language. */
export function csatRoute(hash: string): { token: string; rating: Rating | null; lang: Lang } | null {
  const match = /^#?\/csat\/([A-Za-z0-9_.-]+)(?:\?(.*))?$/.exec(hash);
  if (!match?.[1]) return null;
  const query = new URLSearchParams(match[2] ?? "");
  const rating = query.get("rating");
  return { token: match[1], rating: rating === "good" || rating === "bad" ? rating : null, lang: pickLanguage(query.get("lang")) };
}

export function linkProblem(error: unknown, t: Text = TEXT.en): string | null {
  if (error instanceof ApiError && error.status === 410) return t.expired;
  if (error instanceof ApiError && (error.status === 401 || error.status === 404)) return t.invalid;
  return null;
}

/** The comment box first, then the ratings: a click on a rating sends it with the comment typed so far, and once
 * rated, "Send comment" sends a comment typed afterwards with the rating already given. */
function RatingButtons({ current, busy, onRate, t }: { current: Rating | null; busy: boolean; onRate: (r: Rating, comment: string) => void; t: Text }) {
  const [comment, setComment] = useState("");
  const sendComment = (e: Event) => {
    e.preventDefault();
    if (current && comment.trim()) onRate(current, comment);
  };
  return (
    <form class="stack csat" onSubmit={sendComment}>
      <label for="csat-comment">{t.add}</label>
      <textarea id="csat-comment" data-testid="csat-comment" rows={3} maxLength={2000} value={comment}
        onInput={(e) => setComment(e.currentTarget.value)} />
      <div role="group" aria-label={t.title}>
        {(["good", "bad"] as const).map((r) => (
          <button key={r} type="button" data-testid={`csat-${r}`} aria-pressed={current === r} disabled={busy}
            onClick={() => onRate(r, comment)}>
            {t[r]}
          </button>
        ))}
      </div>
      {current ? (
        <button type="submit" data-testid="csat-send-comment" disabled={busy || !comment.trim()}>{t.send}</button>
      ) : null}
    </form>
  );
}

/** The page of the mailed link: rates at once when the link carried `?rating=`, then lets the customer change it. */
export function CsatPage({ api, token, rating, lang = "en" }: { api: ApiClient; token: string; rating: Rating | null; lang?: Lang }) {
  const t: Text = TEXT[lang];
  const [view, setView] = useState<CsatView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const rate = async (r: Rating, comment = "") => {
    setBusy(true);
    setError(null);
    try {
      const body = comment.trim() ? { rating: r, comment: comment.trim() } : { rating: r };
      setView((await api.call("post", "/csat/{token}", { path: { token }, body })).data);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (rating) void rate(rating);
    else api.get("/csat/{token}", { path: { token } }).then(setView).catch(setError);
  }, [token]);
  const problem = linkProblem(error, t);
  return (
    <main id="main" lang={lang}>
      <section aria-labelledby="csat-title">
        <h1 id="csat-title">{t.title}</h1>
        {problem ? <div class="alert" role="alert">{problem}</div> : <ProblemAlert error={error} lang={lang} />}
        {view ? (
          <>
            <p>{view.ticket} · {view.subject}</p>
            {view.rating ? (
              <p role="status" data-testid="csat-thanks">{t.rated} {t[view.rating].toLowerCase()}{view.rated_at ? ` (${when(view.rated_at, lang)})` : ""}{view.comment ? t.withComment : ""}.</p>
            ) : null}
            <RatingButtons current={view.rating ?? null} busy={busy} onRate={(r, c) => void rate(r, c)} t={t} />
          </>
        ) : problem ? null : <p>{t.loading}</p>}
      </section>
    </main>
  );
}

/** On a resolved ticket in the signed-in portal. */
export function TicketRating({ api, ticket, lang = "en", onRated }: { api: ApiClient; ticket: Ticket; lang?: Lang; onRated: () => void }) {
  const t: Text = TEXT[lang];
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (ticket.status !== "resolved" && ticket.status !== "closed") return null;
  const rate = async (r: Rating, comment: string) => {
    setBusy(true);
    setError(null);
    try {
      const body = comment.trim() ? { rating: r, comment: comment.trim() } : { rating: r };
      await api.call("post", "/tickets/{ticket_id}/csat", { path: { ticket_id: ticket.id }, body });
      onRated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="csat-box" aria-labelledby="rate-title" data-testid="ticket-rating">
      <h2 id="rate-title">{t.title}</h2>
      <ProblemAlert error={error} lang={lang} />
      {ticket.csat ? <p role="status">{fill(t.ratedBefore, { rating: t[ticket.csat.rating].toLowerCase() })}</p> : null}
      <RatingButtons current={ticket.csat?.rating ?? null} busy={busy} onRate={(r, c) => void rate(r, c)} t={t} />
    </section>
  );
}
