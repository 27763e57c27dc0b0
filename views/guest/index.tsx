import { groupCode } from "../../src/guests/codes.js";
import { useT } from "../../src/i18n/view.js";
import { ErrorSummary, type FieldErrors, InputField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { TicketForm, type TicketFormValues } from "../tickets/_form.js";

/** /guest: open a ticket at a kiosk without an account. */
export function GuestTicketPage(props: { values: TicketFormValues; errors?: FieldErrors; stamp: string }) {
  const t = useT();
  return (
    <section>
      <h1>{t("guest.title")}</h1>
      <p>{t("guest.lead")}</p>
      <TicketForm values={props.values} errors={props.errors} guest={{ stamp: props.stamp }} />
    </section>
  );
}

/**
 * The receipt: the number and the code, grouped to read aloud, with where to use them. Printed, it
 * fits a receipt printer's 80 mm roll as well as a page (app.css, @media print).
 */
export function ReceiptPage(props: { ticketId: number; code: string; statusUrl: string; claimedEmail: string | null }) {
  const { ticketId, code, statusUrl, claimedEmail } = props;
  const t = useT();
  return (
    <section class="receipt" aria-labelledby="receipt-title">
      <h1 id="receipt-title">{t("guest.open")}</h1>
      <p class="no-print">{t("guest.writeDown")}</p>
      <dl class="receipt-facts">
        <dt>{t("guest.number")}</dt>
        <dd class="big">{t("list.ticketNumber", { id: ticketId })}</dd>
        <dt>{t("guest.code")}</dt>
        <dd class="big code" dir="ltr">
          {groupCode(code)}
        </dd>
        <dt>{t("guest.where")}</dt>
        <dd dir="ltr">{statusUrl}</dd>
      </dl>
      <p class="print-only">{t("guest.keep")}</p>
      {claimedEmail && <p class="no-print">{t("guest.claimSent", { email: claimedEmail })}</p>}
      <div class="actions no-print">
        <button type="button" class="print-button" hidden>
          {t("guest.print")}
        </button>
        <span class="print-hint">{t("guest.printHint")}</span>
        <a class="button secondary" href={`/tickets/${ticketId}`}>
          {t("guest.see")}
        </a>
      </div>
      <FinishForm receipt />
    </section>
  );
}

/** "Finish": ends the guest's view on this browser, so the next person at the kiosk finds nothing. */
export function FinishForm({ receipt }: { receipt?: boolean }) {
  return (
    <PostForm id="finish-form" class="no-print" action="/status/leave" target="finish-form">
      {receipt && <input type="hidden" name="from" value="receipt" />}
      <button type="submit" class="secondary">
        {useT()("guest.finish")}
      </button>
    </PostForm>
  );
}

/** `draft`: a reply kept when the guest's view ran out of time, given back on the ticket after. */
type LookupProps = { values: { number?: string; code?: string; draft?: string }; errors?: FieldErrors };

/** /status: a ticket by its number and access code. */
export function StatusLookupPage(props: LookupProps) {
  const t = useT();
  return (
    <section>
      <h1>{t("status.title")}</h1>
      <p>{t("status.lead")}</p>
      <LookupForm {...props} />
    </section>
  );
}

export function LookupForm(props: LookupProps) {
  const t = useT();
  return (
    <PostForm id="lookup-form" action="/status" target="lookup-form">
      {props.values.draft && <input type="hidden" name="draft" value={props.values.draft} />}
      <ErrorSummary errors={props.errors} labels={{ number: t("guest.number"), code: t("guest.code") }} />
      <InputField
        name="number"
        label={t("guest.number")}
        hint={t("status.numberHint")}
        errors={props.errors}
        type="text"
        autocomplete="off"
        value={props.values.number}
        maxlength={12}
      />
      <InputField
        name="code"
        label={t("guest.code")}
        hint={t("status.codeHint")}
        errors={props.errors}
        type="text"
        autocomplete="off"
        value={props.values.code}
        maxlength={20}
      />
      <div class="actions">
        <button type="submit">{t("guest.see")}</button>
      </div>
    </PostForm>
  );
}
