import type { FieldErrors } from "../components/field.js";
import { TicketForm, type TicketFormValues } from "./_form.js";

export function NewTicketPage({ values, errors }: { values: TicketFormValues; errors?: FieldErrors }) {
  return (
    <section>
      <h1>Open a ticket</h1>
      <TicketForm values={values} errors={errors} />
    </section>
  );
}
