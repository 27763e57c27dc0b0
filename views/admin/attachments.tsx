import { formatSize } from "../../src/attachments/names.js";
import { KINDS, type Kind } from "../../src/attachments/types.js";
import type { AttachmentLimits } from "../../src/attachments/files.js";
import { Checkboxes } from "../components/checkboxes.js";
import { PostForm } from "../components/post-form.js";

/** The kinds of file the desk takes: a box per kind, saved at once for every instance. */
export function AttachmentKindsForm({ kinds }: { kinds: Kind[] }) {
  return (
    <PostForm id="kinds-form" action="/admin/attachments" target="kinds-form">
      <Checkboxes
        legend="People may attach"
        name="kind"
        idPrefix="kind"
        options={(Object.keys(KINDS) as Kind[]).map((kind) => ({
          value: kind,
          label: KINDS[kind].label,
          checked: kinds.includes(kind),
        }))}
      />
      <p class="hint">
        A file's kind is read from its bytes, not its name. Web pages, SVG drawings, scripts and programs are never
        taken, whatever is ticked here. With no box ticked, nobody can attach files.
      </p>
      <button type="submit">Save file kinds</button>
    </PostForm>
  );
}

export function AttachmentsPage({ kinds, limits }: { kinds: Kind[]; limits: AttachmentLimits }) {
  return (
    <section id="attachments">
      <h1>Attachments</h1>
      <p>
        Requesters and agents can attach up to {limits.maxFiles} files of {formatSize(limits.maxFileBytes)} each, at
        most {formatSize(limits.maxMessageBytes)} with one message (set by ATTACHMENT_MAX_FILES, ATTACHMENT_MAX_FILE_KB
        and ATTACHMENT_MAX_MESSAGE_KB).
      </p>
      <AttachmentKindsForm kinds={kinds} />
    </section>
  );
}
