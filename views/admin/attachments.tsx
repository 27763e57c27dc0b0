import type { AttachmentLimits } from "../../src/attachments/files.js";
import { KINDS, type Kind } from "../../src/attachments/types.js";
import { useI18n, useT } from "../../src/i18n/view.js";
import { Checkboxes } from "../components/checkboxes.js";
import { PostForm } from "../components/post-form.js";

/** The kinds of file the desk takes: a box per kind, saved at once for every instance. */
export function AttachmentKindsForm({ kinds }: { kinds: Kind[] }) {
  const t = useT();
  return (
    <PostForm id="kinds-form" action="/admin/attachments" target="kinds-form">
      <Checkboxes
        legend={t("attach.legend")}
        name="kind"
        idPrefix="kind"
        options={(Object.keys(KINDS) as Kind[]).map((kind) => ({
          value: kind,
          label: t(KINDS[kind].label),
          checked: kinds.includes(kind),
        }))}
      />
      <p class="hint">{t("attach.hint")}</p>
      <button type="submit">{t("attach.save")}</button>
    </PostForm>
  );
}

export function AttachmentsPage({ kinds, limits }: { kinds: Kind[]; limits: AttachmentLimits }) {
  const { t, size } = useI18n();
  return (
    <section id="attachments">
      <h1>{t("attach.title")}</h1>
      <p>
        {t("attach.limits", {
          count: limits.maxFiles,
          each: size(limits.maxFileBytes),
          total: size(limits.maxMessageBytes),
        })}
      </p>
      <AttachmentKindsForm kinds={kinds} />
    </section>
  );
}
