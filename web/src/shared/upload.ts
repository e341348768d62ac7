// The one way a browser stores a file: through the presigned POST the API granted (its fields, then the file, as a
// form), straight to S3. Plain TypeScript, so the chat widget takes it without the pages' component library.
import { ApiError } from "../api/client";

export interface PresignedPost {
  url: string;
  fields?: Record<string, string>;
}

/** The file to storage. `crossSite` (the chat widget, on a website of its own origin, for which the bucket sends no
 * CORS headers): the POST is sent without reading S3's answer; the API checks what was stored when the message names
 * the file (its size; not uploaded: 409), so nothing unchecked is ever taken. */
export async function storeUpload(upload: PresignedPost, file: File, crossSite = false): Promise<void> {
  const form = new FormData();
  for (const [key, value] of Object.entries(upload.fields ?? {})) form.append(key, value);
  form.append("file", file);
  if (crossSite) {
    await fetch(upload.url, { method: "POST", body: form, mode: "no-cors" });
    return;
  }
  const stored = await fetch(upload.url, { method: "POST", body: form });
  if (!stored.ok) {
    // S3 answers XML; a file over the grant's size limit is its EntityTooLarge, told as our 413.
    const tooLarge = (await stored.text().catch(() => "")).includes("EntityTooLarge");
    throw new ApiError(tooLarge ? 413 : stored.status, tooLarge ? "payload_too_large" : "upload_failed",
      `upload of ${file.name} failed (${stored.status})`);
  }
}
