import type { ApiDocument } from "../../src/api/v1.js";
import { useT } from "../../src/i18n/view.js";

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  description?: string;
  format?: string;
  anyOf?: Schema[];
  default?: unknown;
};
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Operation = {
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string }>;
};

const refName = (ref: string) => ref.split("/").pop()!;

/** A schema in a few words: its component's name, its type (with its choices), a list of what. */
function typeOf(schema: Schema | undefined): string {
  if (!schema) return "";
  if (schema.$ref) return refName(schema.$ref);
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" | ");
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "");
  if (type === "array") return `${typeOf(schema.items)}[]`;
  return schema.format ? `${type} (${schema.format})` : type;
}

function Fields({ schema, document }: { schema: Schema; document: ApiDocument }) {
  const t = useT();
  const resolved = schema.$ref
    ? ((document.components?.schemas?.[refName(schema.$ref)] as Schema | undefined) ?? schema)
    : schema;
  const entries = Object.entries(resolved.properties ?? {});
  if (!entries.length) return <p>{typeOf(schema)}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t("apiRef.field")}</th>
          <th scope="col">{t("apiRef.type")}</th>
          <th scope="col">{t("apiRef.required")}</th>
          <th scope="col">{t("apiRef.about")}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([name, field]) => (
          <tr>
            <td>
              <code>{name}</code>
            </td>
            <td>
              <code>{typeOf(field)}</code>
            </td>
            <td>{resolved.required?.includes(name) ? t("apiRef.yes") : t("apiRef.no")}</td>
            <td>{field.description ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** /api: every operation of the OpenAPI document (parameters, body, answers) and its schemas, as HTML. */
export function ApiReferencePage({ document }: { document: ApiDocument }) {
  const t = useT();
  const base = document.servers?.[0]?.url ?? "";
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, ops]) =>
    Object.entries(ops as Record<string, Operation>).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <section id="api-reference" aria-labelledby="api-title">
      <h1 id="api-title">{t("apiRef.title")}</h1>
      <p>
        {t("apiRef.lead")} <a href="/account/tokens">{t("tokens.manage")}</a> ·{" "}
        <a href="/api/v1/openapi.json">openapi.json</a>
      </p>
      <nav aria-label={t("apiRef.operations")}>
        <ul>
          {operations.map(({ path, method }) => (
            <li>
              <a href={`#${method}-${path.replace(/[^a-z0-9]+/gi, "-")}`}>
                <code dir="ltr">
                  {method.toUpperCase()} {base}
                  {path}
                </code>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {operations.map(({ path, method, op }) => {
        const body = op.requestBody?.content?.["application/json"]?.schema;
        return (
          <section id={`${method}-${path.replace(/[^a-z0-9]+/gi, "-")}`}>
            <h2>
              <code dir="ltr">
                {method.toUpperCase()} {base}
                {path}
              </code>
            </h2>
            {op.summary && <p>{op.summary}</p>}
            {op.parameters?.length ? (
              <>
                <h3>{t("apiRef.parameters")}</h3>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("apiRef.field")}</th>
                      <th scope="col">{t("apiRef.in")}</th>
                      <th scope="col">{t("apiRef.type")}</th>
                      <th scope="col">{t("apiRef.required")}</th>
                      <th scope="col">{t("apiRef.about")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {op.parameters.map((p) => (
                      <tr>
                        <td>
                          <code>{p.name}</code>
                        </td>
                        <td>{p.in}</td>
                        <td>
                          <code>{typeOf(p.schema)}</code>
                        </td>
                        <td>{p.required ? t("apiRef.yes") : t("apiRef.no")}</td>
                        <td>{p.description ?? p.schema?.description ?? ""}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : null}
            {body && (
              <>
                <h3>{t("apiRef.body")}</h3>
                <Fields schema={body} document={document} />
              </>
            )}
            <h3>{t("apiRef.answers")}</h3>
            <dl>
              {Object.entries(op.responses ?? {}).map(([code, r]) => (
                <>
                  <dt>
                    <code>{code}</code>
                  </dt>
                  <dd>{r.description ?? ""}</dd>
                </>
              ))}
            </dl>
          </section>
        );
      })}
      <h2 id="webhooks">{t("apiRef.webhooks")}</h2>
      <p>{t("apiRef.webhooksLead")}</p>
      {Object.entries((document.webhooks ?? {}) as Record<string, { post?: Operation & { description?: string } }>).map(
        ([type, hook]) => (
          <section id={`webhook-${type.replace(/[^a-z0-9]+/gi, "-")}`}>
            <h3>
              <code dir="ltr">{type}</code>
            </h3>
            {hook.post?.summary && <p>{hook.post.summary}</p>}
          </section>
        ),
      )}
      <p>{Object.values(document.webhooks ?? {})[0]?.post?.description}</p>
      <h2>{t("apiRef.schemas")}</h2>
      {Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => (
        <section id={`schema-${name}`}>
          <h3>
            <code>{name}</code>
          </h3>
          <Fields schema={schema as Schema} document={document} />
        </section>
      ))}
    </section>
  );
}
