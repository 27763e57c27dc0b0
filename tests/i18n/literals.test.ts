import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Every word a person reads comes from the catalog (src/i18n/catalogs): this scan finds English
// written straight into a view or a route. It reads the syntax tree, not the text, so it sees JSX
// text, the attributes people read (label, title, aria-label, a component's label or hint...),
// strings shown as children (`{done ? "Closed" : "Open"}`) and the messages handed to the helpers
// that answer (done, setFlash, renderError, respond, c.render's title).

const ROOT = join(import.meta.dirname, "../..");

/** Attributes that hold machine words (class names, ids, URLs, htmx settings), never prose. */
const TECHNICAL = new Set(
  "class id name href action method type for autocomplete inputmode rel src http-equiv enctype target role lang dir value key nonce datetime tabindex accept pattern min max step scope colspan rowspan headers charset content media sizes form formaction download width height minlength maxlength rows cols idPrefix param base results swap kind variant icon size list".split(
    " ",
  ),
);
const isTechnical = (name: string) =>
  TECHNICAL.has(name) ||
  /^(data-|aria-(describedby|controls|labelledby|current|live|invalid|hidden|expanded|sort))/.test(name);

/** The helpers whose string arguments a person reads. */
const ANSWERS = new Set(["done", "setFlash", "renderError", "respond", "ErrorPage"]);

/** Words that are the same in every language: product names (ours, the databases), email header names. */
const SAME_EVERYWHERE = new Set(["Hyperdesk", "Message-ID", "In-Reply-To", "Reply-To", "SQLite", "PostgreSQL", "HTTP"]);

/** Words to read: not a path or a fragment link ("/account#mail"), not a catalog key, not the product's name. */
const prose = (text: string) => {
  const words = [...SAME_EVERYWHERE].reduce((rest, same) => rest.replaceAll(same, ""), text).trim();
  return /\p{L}{2,}/u.test(words) && !/^[/#?]/.test(words) && !/^[a-z]+(\.[a-zA-Z]+)+$/.test(words);
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "generated") continue;
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(" ");
  return undefined;
}

/** The strings in an expression that end up as text: both sides of `a ? "x" : "y"`, `a && "x"`, `a ?? "x"`. */
function shownStrings(node: ts.Node): string[] {
  const text = literalText(node);
  if (text !== undefined) return [text];
  if (ts.isParenthesizedExpression(node)) return shownStrings(node.expression);
  if (ts.isConditionalExpression(node)) return [...shownStrings(node.whenTrue), ...shownStrings(node.whenFalse)];
  if (
    ts.isBinaryExpression(node) &&
    [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(
      node.operatorToken.kind,
    )
  )
    return [...shownStrings(node.left), ...shownStrings(node.right)];
  return [];
}

/** Each English literal of a file as "line: text". */
function literalsIn(path: string): string[] {
  const source = ts.createSourceFile(
    path,
    readFileSync(path, "utf8"),
    ts.ScriptTarget.Latest,
    true,
    path.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: string[] = [];
  const add = (node: ts.Node, text: string) => {
    if (prose(text))
      found.push(
        `${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${text.trim().replace(/\s+/g, " ")}`,
      );
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) add(node, node.text);
    else if (ts.isJsxAttribute(node) && node.initializer && !isTechnical(node.name.getText())) {
      const value = ts.isJsxExpression(node.initializer) ? node.initializer.expression : node.initializer;
      for (const text of value ? shownStrings(value) : []) add(node, text);
    } else if (
      ts.isJsxExpression(node) &&
      node.expression &&
      (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))
    ) {
      for (const text of shownStrings(node.expression)) add(node, text);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression.getText().split(".").pop()!;
      if (ANSWERS.has(callee)) for (const arg of node.arguments) for (const text of shownStrings(arg)) add(arg, text);
    } else if (
      ts.isPropertyAssignment(node) &&
      node.name.getText() === "title" &&
      ts.isObjectLiteralExpression(node.parent)
    ) {
      for (const text of shownStrings(node.initializer)) add(node, text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Files still written in English, to move into the catalog (issue 14, languages). The list only
 * shrinks: a file on it that has no English left fails the test until it is taken off.
 */
const PENDING = new Set<string>([]);

describe("no English outside the catalog", () => {
  // The JSON API (src/api) speaks to programs: its problem titles and its OpenAPI document are
  // English, as HTTP's own reason phrases are. People read the pages.
  const files = [...sourceFiles(join(ROOT, "views")), ...sourceFiles(join(ROOT, "src"))].filter(
    (f) => !f.includes(`${join("src", "i18n", "catalogs")}`) && !f.includes(`${join("src", "api")}`),
  );
  const byFile = new Map(files.map((f) => [relative(ROOT, f), literalsIn(f)] as const));

  it("views and routes say everything through the catalog", () => {
    const english = [...byFile].filter(([file, lines]) => lines.length && !PENDING.has(file));
    expect(Object.fromEntries(english)).toEqual({});
  });

  it("the list of files still to translate only names files with English left in them", () => {
    expect([...PENDING].filter((file) => !byFile.get(file)?.length)).toEqual([]);
  });

  it("finds what it is meant to find", () => {
    const sample = join(ROOT, "tests/i18n/fixtures/english.tsx");
    expect(literalsIn(sample).map((l) => l.replace(/^\d+: /, ""))).toEqual([
      "Skip to content",
      "Your name",
      "Closed",
      "Open",
      "Saved.",
      "Your account",
    ]);
  });
});
