// Pictures in articles: where a page loads them from, and the console's upload. An article's Markdown names a
// picture by its public route (`/kb/public/<tenant>/articles/<article>/images/<id>`, relative to the API): the
// public help centre loads that address as it is (anyone may, once the article is published); a signed-in page
// fetches the picture with its token from `/kb/articles/<article>/images/<id>` and shows what it fetched (a draft's
// pictures are the team's only, and a browser sends no token with an <img>).
import { ApiError, errorOf, type ApiClient } from "../api/client";
import type { ArticleImage } from "../api/types";
import { storeUpload } from "./upload";

export interface PictureRef {
  tenant: string;
  articleId: string;
  imageId: string;
  path: string; // the public route, relative to the API
}

/** How a page shows pictures: `base` is the API's address ("" on this origin); with `load`, through it. */
export interface Pictures {
  base: string;
  load?: (picture: PictureRef) => Promise<Blob>;
}

const PICTURE_PATH = /^\/kb\/public\/([A-Za-z0-9_.-]+)\/articles\/([A-Za-z0-9][A-Za-z0-9_.-]{0,127})\/images\/([0-9a-f]{32})$/;

/** The picture an image's address names, when it is one of ours (relative, or at the API's own address); else null. */
export function pictureOf(src: string, base = ""): PictureRef | null {
  let path = src.trim();
  if (base && path.startsWith(`${base.replace(/\/+$/, "")}/`)) path = path.slice(base.replace(/\/+$/, "").length);
  const match = PICTURE_PATH.exec(path);
  if (!match) return null;
  return { tenant: match[1]!, articleId: match[2]!, imageId: match[3]!, path };
}

/** The public help centre: the picture's public address at the API. */
export function publicPictures(api: ApiClient): Pictures {
  return { base: api.base() };
}

/** Signed in (console, portal): each picture fetched with the caller's token, as the caller's tenant's. */
export function signedInPictures(api: ApiClient): Pictures {
  return {
    base: api.base(),
    load: async (picture) => {
      const token = api.token();
      const response = await fetch(
        `${api.base()}/kb/articles/${encodeURIComponent(picture.articleId)}/images/${encodeURIComponent(picture.imageId)}`,
        { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!response.ok) throw await errorOf(response);
      return response.blob();
    },
  };
}

export const PICTURE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
export const PICTURE_MAX_BYTES = 4 * 1024 * 1024;

/** One picture into the article: granted, stored, checked by the API (which reads its type from its bytes). */
export async function uploadPicture(api: ApiClient, articleId: string, file: File): Promise<ArticleImage> {
  if (!PICTURE_TYPES.includes(file.type)) {
    throw new ApiError(415, "unsupported_media_type", `${file.name}: a picture is a PNG, JPEG, GIF or WebP file`);
  }
  const grant = await api.call("post", "/kb/articles/{article_id}/images", {
    path: { article_id: articleId }, body: { filename: file.name, content_type: file.type, size: file.size },
  });
  await storeUpload(grant.data.upload, file);
  const done = await api.call("post", "/kb/articles/{article_id}/images/{image_id}/complete", {
    path: { article_id: articleId, image_id: grant.data.image_id },
  });
  return done.data;
}
