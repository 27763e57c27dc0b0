import { fileTypeFromBuffer } from "file-type";
import type { I18n, MessageKey } from "../i18n/translate.js";

// What a file is, by its bytes: never by its name or by what the browser or email says it is.

/** The groups an admin can allow (/admin/attachments), each with the types its bytes may show. */
export const KINDS = {
  images: {
    label: "attach.kindImages",
    words: "files.kindImages",
    types: [
      "image/png",
      "image/jpeg",
      "image/gif",
      "image/webp",
      "image/heic",
      "image/avif",
      "image/bmp",
      "image/tiff",
    ],
  },
  pdf: { label: "attach.kindPdf", words: "files.kindPdf", types: ["application/pdf"] },
  text: { label: "attach.kindText", words: "files.kindText", types: ["text/plain"] },
  office: {
    label: "attach.kindOffice",
    words: "files.kindOffice",
    types: [
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      "application/vnd.oasis.opendocument.text",
      "application/vnd.oasis.opendocument.spreadsheet",
      "application/vnd.oasis.opendocument.presentation",
      "application/x-cfb",
      "application/rtf",
    ],
  },
  zip: { label: "attach.kindZip", words: "files.kindZip", types: ["application/zip"] },
} as const;
export type Kind = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as Kind[];

/** Raster images a browser shows without running anything: the only files served inline. */
export const INLINE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** What a person reads for a type: a kind of file and its format ("PNG image"). */
const NAMES: Record<string, [MessageKey, string]> = {
  "image/png": ["filetype.image", "PNG"],
  "image/jpeg": ["filetype.image", "JPEG"],
  "image/gif": ["filetype.image", "GIF"],
  "image/webp": ["filetype.image", "WebP"],
  "image/heic": ["filetype.image", "HEIC"],
  "image/avif": ["filetype.image", "AVIF"],
  "image/bmp": ["filetype.image", "BMP"],
  "image/tiff": ["filetype.image", "TIFF"],
  "application/pdf": ["filetype.document", "PDF"],
  "text/plain": ["filetype.text", ""],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ["filetype.document", "Word"],
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["filetype.spreadsheet", "Excel"],
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": ["filetype.presentation", "PowerPoint"],
  "application/vnd.oasis.opendocument.text": ["filetype.document", "OpenDocument"],
  "application/vnd.oasis.opendocument.spreadsheet": ["filetype.spreadsheet", "OpenDocument"],
  "application/vnd.oasis.opendocument.presentation": ["filetype.presentation", "OpenDocument"],
  "application/x-cfb": ["filetype.officeOld", ""],
  "application/rtf": ["filetype.document", "RTF"],
  "application/zip": ["filetype.archive", "ZIP"],
  // Never taken, but named plainly when refused.
  "application/x-msdownload": ["filetype.program", "Windows"],
  "application/vnd.microsoft.portable-executable": ["filetype.program", "Windows"],
  "application/x-msi": ["filetype.installer", "Windows"],
  "application/x-elf": ["filetype.program", "Linux"],
  "application/x-mach-binary": ["filetype.program", "macOS"],
  "application/x-7z-compressed": ["filetype.archive", "7-Zip"],
  "application/x-rar-compressed": ["filetype.archive", "RAR"],
  "application/vnd.rar": ["filetype.archive", "RAR"],
  "application/gzip": ["filetype.archive", "gzip"],
  "video/mp4": ["filetype.video", "MP4"],
  "video/quicktime": ["filetype.video", "QuickTime"],
  "audio/mpeg": ["filetype.audio", "MP3"],
};
/** A type in words, in a language: "PNG image", "imagen PNG"; an unknown type as it is. */
export function typeName(t: I18n["t"], type: string): string {
  const name = NAMES[type];
  return name ? t(name[0], { format: name[1] }) : type;
}

/**
 * Markup a browser would run: HTML, SVG, XML and script, anywhere in the file. A file that is an
 * image by its first bytes and a page further on (a polyglot) is refused with them.
 */
const RUNNABLE =
  /<\s*(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|script[\s>/]|svg[\s>]|iframe[\s>]|object[\s>]|embed[\s>]|\?xml[\s?]|x:xmpmeta[\s>]|meta\s+http-equiv|base[\s>])/i;
/** A control character plain text does not have (tab, newline, carriage return and form feed are fine). */
const TEXT_CONTROLS = new Set([9, 10, 12, 13]);
const hasBinary = (text: string) => {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 32 && !TEXT_CONTROLS.has(code)) || code === 127) return true;
  }
  return false;
};

export type Sniffed = { type: string } | { refused: MessageKey };

/** The type of a file by its bytes, or why it is refused whatever its name says. */
export async function sniff(bytes: Uint8Array): Promise<Sniffed> {
  if (bytes.length === 0) return { refused: "files.empty" };
  // UTF-16 text (it starts with its byte order mark) is not text here (text is UTF-8), and a
  // detector may take it for something else (file-type reads "<script>" in UTF-16 as MPEG audio).
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16) {
    const decoded = new TextDecoder(bytes[0] === 0xff ? "utf-16le" : "utf-16be").decode(bytes);
    return { refused: RUNNABLE.test(decoded) ? "files.script" : "files.unknown" };
  }
  // Scanned as Latin-1: every byte one character, so markup is found in any file, text or not.
  const asText = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const detected = await fileTypeFromBuffer(bytes);
  if (detected?.mime === "image/svg+xml" || detected?.ext === "html" || detected?.ext === "xml")
    return { refused: "files.page" };
  // Compressed containers (ZIP, Office, PDF streams) are opaque; what a browser would show straight
  // away (images, text) must hold no markup at all.
  const shown = !detected || detected.mime.startsWith("image/");
  if (shown && RUNNABLE.test(asText)) return { refused: "files.script" };
  if (detected) return { type: detected.mime };
  const utf8 = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (utf8.includes("\uFFFD") || hasBinary(utf8)) return { refused: "files.unknown" };
  return { type: "text/plain" };
}
