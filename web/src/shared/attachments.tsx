// Ticket attachments: upload through the presigned POST the API grants (the file goes straight to S3),
// then name the ids in the message; download through a short-lived URL.
import { useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { MessageFormat, MessageOut, Status } from "../api/types";
import { storeUpload } from "./upload";

export interface AttachmentEntry {
  id: string;
  filename: string;
  size?: number;
  content_type?: string;
  inline?: boolean;
}

export async function uploadFiles(api: ApiClient, ticketId: string, files: File[]): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const grant = await api.call("post", "/tickets/{ticket_id}/attachments", {
      path: { ticket_id: ticketId },
      body: { filename: file.name, content_type: file.type || "application/octet-stream", size: file.size },
    });
    await storeUpload(grant.data.upload, file);
    ids.push(grant.data.attachment_id);
  }
  return ids;
}

/** What goes with a message besides its text and files (agents): `status`, the ticket's status after it, in the
 * same write; `mailTo` (an internal note), people outside the ticket it is mailed to (a side conversation);
 * `children`, the same message, a template rendered per ticket, on each child ticket too (a problem's incidents;
 * the API takes it without files or `mailTo` only); `format`, how its text reads ("markdown": the console's reply
 * box; left out, the API's "text"). */
export interface MessageOptions {
  status?: Status;
  mailTo?: string[];
  children?: boolean;
  format?: MessageFormat;
}

/** A message with the writer's files: the files go to storage first, then the message names them (one message,
 * one mail). Without files, the message alone. The answer is the message's event (and, with `children`, each
 * child ticket's outcome). */
export async function postMessage(api: ApiClient, ticketId: string, body: string, isPublic: boolean, files: File[],
  { status, mailTo, children, format }: MessageOptions = {}): Promise<MessageOut> {
  const attachment_ids = files.length ? await uploadFiles(api, ticketId, files) : undefined;
  const mail_to = mailTo?.length ? mailTo : undefined;
  const posted = await api.call("post", "/tickets/{ticket_id}/messages", {
    path: { ticket_id: ticketId },
    body: { body, public: isPublic, attachment_ids, status, mail_to, children: children || undefined, format },
  });
  return posted.data;
}

export function size(bytes: number | undefined): string {
  if (bytes === undefined) return "";
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

/** `onRedact` (the console): each file gets "Redact", which takes it out of the ticket for good (the page asks). */
export function Attachments({ api, ticketId, entries, label = "Attachments", onRedact }: {
  api: ApiClient; ticketId: string; entries: unknown; label?: string; onRedact?: (file: AttachmentEntry) => void;
}) {
  // a mail's inline pictures (a signature's logo) belong to its HTML, not to the files it carries
  const list = Array.isArray(entries) ? (entries as AttachmentEntry[]).filter((e) => e && typeof e.id === "string" && e.inline !== true) : [];
  if (!list.length) return null;
  const open = async (id: string) => {
    const token = api.token();
    const response = await fetch(`${api.base()}/tickets/${encodeURIComponent(ticketId)}/attachments/${encodeURIComponent(id)}`, {
      headers: { accept: "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    if (response.ok) {
      const { url } = (await response.json()) as { url: string };
      if (/^https?:\/\//.test(url)) window.open(url, "_blank", "noopener");
    }
  };
  return (
    <ul class="attachments" aria-label={label}>
      {list.map((a) => (
        <li key={a.id}>
          <button type="button" class="link" data-testid="attachment" onClick={() => void open(a.id)}>
            {a.filename}
          </button>{" "}
          <span class="method">{size(a.size)}</span>
          {onRedact ? (
            <>{" "}<button type="button" class="link" data-testid="redact-file" onClick={() => onRedact(a)}>
              Redact<span class="sr-only"> the file {a.filename}</span>
            </button></>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

const PICTURE_EXTENSIONS: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp" };

/** Files pasted into a text box (a screenshot copied to the clipboard), to send as attachments: only when the
 * clipboard holds files and no text (a copy from a document pastes its words, as before). A picture the browser names
 * "image.png" is named for the time it was pasted, so two of them are told apart in the ticket. */
export function pastedFiles(data: DataTransfer | null, now = new Date()): File[] {
  if (!data || data.getData("text/plain")) return [];
  const files = [...(data.files ?? [])];
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return files.map((file, i) => {
    if (file.name && !/^image\.\w+$/i.test(file.name)) return file;
    const extension = PICTURE_EXTENSIONS[file.type] ?? "bin";
    const name = `screenshot-${stamp}${files.length > 1 ? `-${i + 1}` : ""}.${extension}`;
    return new File([file], name, { type: file.type, lastModified: file.lastModified });
  });
}

/** Handlers that make a text box take files dropped on it or pasted into it (a screenshot, a log file dragged from the
 * desktop), handed to `add`; dropped or pasted text stays the text box's. */
export function fileDropTarget(add: (files: File[]) => void) {
  return {
    onPaste: (e: ClipboardEvent) => {
      const pasted = pastedFiles(e.clipboardData);
      if (pasted.length) { e.preventDefault(); add(pasted); }
    },
    onDragOver: (e: DragEvent) => {
      if (e.dataTransfer?.types.includes("Files")) e.preventDefault();  // (else the browser opens the file)
    },
    onDrop: (e: DragEvent) => {
      const dropped = [...(e.dataTransfer?.files ?? [])];
      if (dropped.length) { e.preventDefault(); add(dropped); }
    },
  };
}

/** The files a message will carry: picked (`pick`, a file input's change; the input is emptied for the next pick),
 * pasted or dropped (`add`), taken off one by one (`remove`), and none once the message is sent (`clear`). */
export function useFilesToSend() {
  const [files, setFiles] = useState<File[]>([]);
  const add = (added: File[]) => setFiles((all) => [...all, ...added]);
  return {
    files,
    add,
    remove: (index: number) => setFiles((all) => all.filter((_, i) => i !== index)),
    clear: () => setFiles([]),
    pick: (e: Event) => {
      const input = e.currentTarget as HTMLInputElement;
      add([...(input.files ?? [])]);
      input.value = "";
    },
  };
}

/** The files a message will carry (picked, pasted or dropped), each with a way to take it off before sending. */
export function FilesToSend({ files, onRemove, label, removeLabel }: {
  files: readonly File[]; onRemove: (index: number) => void; label: string; removeLabel: string;
}) {
  if (!files.length) return null;
  return (
    <ul class="attachments" aria-label={label} data-testid="files-to-send">
      {files.map((file, i) => (
        <li key={`${i}-${file.name}`}>
          {file.name} <span class="method">{size(file.size)}</span>{" "}
          <button type="button" class="link" aria-label={`${removeLabel}: ${file.name}`} onClick={() => onRemove(i)}>{removeLabel}</button>
        </li>
      ))}
    </ul>
  );
}
