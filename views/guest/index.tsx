import { groupCode } from "../../src/guests/codes.js";
import { ErrorSummary, type FieldErrors, InputField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { TicketForm, type TicketFormValues } from "../tickets/_form.js";

/** /guest: open a ticket at a kiosk without an account. */
export function GuestTicketPage(props: { values: TicketFormValues; errors?: FieldErrors; stamp: string }) {
  return (
    <section>
      <h1>Open a ticket without an account</h1>
      <p>
        You get a ticket number and an access code to follow it here, at any computer. Nothing is kept in this browser
        after you finish.
      </p>
      <TicketForm values={props.values} errors={props.errors} guest={{ stamp: props.stamp }} />
    </section>
  );
}

/**
 * The receipt: the number and the code, grouped to read aloud, with where to use them. Printed, it
 * fits a receipt printer's 80 mm roll as well as a page (app.css, @media print).
 */
export function ReceiptPage({ ticketId, code, statusUrl }: { ticketId: number; code: string; statusUrl: string }) {
  return (
    <section class="receipt" aria-labelledby="receipt-title">
      <h1 id="receipt-title">Your ticket is open</h1>
      <p class="no-print">Write these down or print them: the code is shown only now, and not kept anywhere.</p>
      <dl class="receipt-facts">
        <dt>Ticket number</dt>
        <dd class="big">#{ticketId}</dd>
        <dt>Access code</dt>
        <dd class="big code">{groupCode(code)}</dd>
        <dt>See it and reply at</dt>
        <dd>{statusUrl}</dd>
      </dl>
      <p class="print-only">Keep this receipt: anyone with the number and the code can read the ticket.</p>
      <div class="actions no-print">
        <button type="button" class="print-button" hidden>
          Print this receipt
        </button>
        <span class="print-hint">To print it, use your browser's Print command (Ctrl+P).</span>
        <a class="button secondary" href={`/tickets/${ticketId}`}>
          See the ticket
        </a>
      </div>
      <FinishForm />
    </section>
  );
}

/** "Finish": ends the guest's view on this browser, so the next person at the kiosk finds nothing. */
export function FinishForm() {
  return (
    <PostForm id="finish-form" class="no-print" action="/status/leave" target="finish-form">
      <button type="submit" class="secondary">
        Finish and leave this computer
      </button>
    </PostForm>
  );
}

const LOOKUP_LABELS = { number: "Ticket number", code: "Access code" };

type LookupProps = { values: { number?: string; code?: string }; errors?: FieldErrors };

/** /status: a ticket by its number and access code. */
export function StatusLookupPage(props: LookupProps) {
  return (
    <section>
      <h1>Check a ticket</h1>
      <p>Enter the ticket number and the access code from your receipt.</p>
      <LookupForm {...props} />
    </section>
  );
}

export function LookupForm(props: LookupProps) {
  return (
    <PostForm id="lookup-form" action="/status" target="lookup-form">
      <ErrorSummary errors={props.errors} labels={LOOKUP_LABELS} />
      <InputField
        name="number"
        label="Ticket number"
        hint="For example: 61"
        errors={props.errors}
        type="text"
        autocomplete="off"
        value={props.values.number}
        maxlength={12}
      />
      <InputField
        name="code"
        label="Access code"
        hint="8 letters and digits, for example: ABCD-EF23"
        errors={props.errors}
        type="text"
        autocomplete="off"
        value={props.values.code}
        maxlength={20}
      />
      <div class="actions">
        <button type="submit">See the ticket</button>
      </div>
    </PostForm>
  );
}
