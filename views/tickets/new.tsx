import { useT } from "../../src/i18n/view.js";
import type { FieldErrors } from "../components/field.js";
import { TicketForm, type TicketFormValues, type Twin } from "./_form.js";

export function NewTicketPage({
  values,
  errors,
  twin,
}: {
  values: TicketFormValues;
  errors?: FieldErrors;
  twin?: Twin;
}) {
  return (
    <section>
      <h1>{useT()("new.title")}</h1>
      <TicketForm values={values} errors={errors} twin={twin} />
    </section>
  );
}
