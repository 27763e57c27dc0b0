/** The longest file name kept, in characters (the extension is kept when a name is cut). */
const NAME_MAX = 120;

/**
 * A sent file name made safe to store and show: the last path segment only, no control, format or
 * direction characters (so "photo\u202Egpj.exe" cannot pose as "photoexe.jpg"), no leading dots,
 * spaces collapsed, at most NAME_MAX characters with its extension kept; "file" when nothing is left.
 */
export function cleanName(sent: string): string {
  const last = sent.split(/[/\\]/).pop() ?? "";
  let name = last
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "")
    .replace(/\s+/g, " ")
    .replace(/^[\s.]+/, "")
    .trim();
  if ([...name].length > NAME_MAX) {
    const chars = [...name];
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 && name.length - dot <= 10 ? [...name.slice(dot)] : [];
    name = chars.slice(0, NAME_MAX - ext.length).join("") + ext.join("");
  }
  return name || "file";
}

/**
 * Content-Disposition with the name (RFC 6266): an ASCII `filename` for old browsers (anything
 * else, quotes and backslashes become _) and the exact name as UTF-8 in `filename*`.
 */
export function contentDisposition(disposition: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A size as a person reads it: 812 bytes, 14 KB, 2.1 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}
