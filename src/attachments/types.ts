import { fileTypeFromBuffer } from "file-type";

// What a file is, by its bytes: never by its name or by what the browser or email says it is.

/** The groups an admin can allow (/admin/attachments), each with the types its bytes may show. */
export const KINDS = {
  images: {
    label: "Images (PNG, JPEG, GIF, WebP, HEIC, AVIF, BMP, TIFF)",
    words: "images",
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
  pdf: { label: "PDF documents", words: "PDF documents", types: ["application/pdf"] },
  text: { label: "Plain text (logs, CSV)", words: "plain text", types: ["text/plain"] },
  office: {
    label: "Office documents (Word, Excel, PowerPoint, OpenDocument, RTF)",
    words: "office documents",
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
  zip: { label: "ZIP archives", words: "ZIP archives", types: ["application/zip"] },
} as const;
export type Kind = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as Kind[];

/** Raster images a browser shows without running anything: the only files served inline. */
export const INLINE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** What a person reads for a type. */
const NAMES: Record<string, string> = {
  "image/png": "PNG image",
  "image/jpeg": "JPEG image",
  "image/gif": "GIF image",
  "image/webp": "WebP image",
  "image/heic": "HEIC image",
  "image/avif": "AVIF image",
  "image/bmp": "BMP image",
  "image/tiff": "TIFF image",
  "application/pdf": "PDF document",
  "text/plain": "Text",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint presentation",
  "application/vnd.oasis.opendocument.text": "OpenDocument text",
  "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
  "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
  "application/x-cfb": "Office document (older format)",
  "application/rtf": "RTF document",
  "application/zip": "ZIP archive",
  // Never taken, but named plainly when refused.
  "application/x-msdownload": "Windows program",
  "application/vnd.microsoft.portable-executable": "Windows program",
  "application/x-msi": "Windows installer",
  "application/x-elf": "Linux program",
  "application/x-mach-binary": "macOS program",
  "application/x-7z-compressed": "7-Zip archive",
  "application/x-rar-compressed": "RAR archive",
  "application/vnd.rar": "RAR archive",
  "application/gzip": "gzip archive",
  "video/mp4": "MP4 video",
  "video/quicktime": "QuickTime video",
  "audio/mpeg": "MP3 audio",
};
export const typeName = (type: string) => NAMES[type] ?? type;
export const isImage = (type: string) => type.startsWith("image/");

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

export type Sniffed = { type: string } | { refused: string };

/** The type of a file by its bytes, or why it is refused whatever its name says. */
export async function sniff(bytes: Uint8Array): Promise<Sniffed> {
  if (bytes.length === 0) return { refused: "is empty" };
  // Scanned as Latin-1: every byte one character, so markup is found in any file, text or not.
  const asText = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const detected = await fileTypeFromBuffer(bytes);
  if (detected?.mime === "image/svg+xml" || detected?.ext === "html" || detected?.ext === "xml")
    return { refused: "is a web page or drawing a browser would run (HTML, SVG or XML)" };
  // Compressed containers (ZIP, Office, PDF streams) are opaque; what a browser would show straight
  // away (images, text) must hold no markup at all.
  const shown = !detected || detected.mime.startsWith("image/");
  if (shown && RUNNABLE.test(asText)) return { refused: "holds a web page or script (HTML, SVG or XML)" };
  if (detected) return { type: detected.mime };
  const utf8 = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (utf8.includes("\uFFFD") || hasBinary(utf8)) return { refused: "is of a type we cannot recognise" };
  return { type: "text/plain" };
}
