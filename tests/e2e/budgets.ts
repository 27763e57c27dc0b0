/** Page-weight budgets, checked by the browser suite from what Chromium actually transferred. */
export const BUDGETS = {
  /** A signed-in list page of 25 tickets: its HTML, gzip, bytes on the wire (headers included). */
  listPageHtmlBytes: 6 * 1024,
  /** A first visit: HTML + CSS + JavaScript, gzip, bytes on the wire. */
  firstVisitBytes: 30 * 1024,
  /** A later navigation: CSS and JavaScript bytes transferred again. */
  laterNavigationAssetBytes: 0,
} as const;
