import type { Claim } from "../../src/guests/claims.js";
import { useT } from "../../src/i18n/view.js";
import { PostForm } from "../components/post-form.js";

/** "Was it you?": a ticket opened in the name of this address, and the two answers. */
export function ClaimPage({ token, claim }: { token: string; claim: Claim }) {
  const t = useT();
  return (
    <section id="claim" aria-labelledby="claim-title">
      <h1 id="claim-title">{t("claim.title")}</h1>
      <p>
        {t("claim.lead", { id: claim.id, email: claim.claimedEmail })} <q dir="auto">{claim.subject}</q>
      </p>
      <p>{t("claim.explain")}</p>
      <PostForm action="/claim" target="claim">
        <input type="hidden" name="token" value={token} />
        <div class="actions">
          <button type="submit" name="answer" value="yes">
            {t("claim.yes")}
          </button>
          <button type="submit" name="answer" value="no" class="secondary">
            {t("claim.no")}
          </button>
        </div>
      </PostForm>
    </section>
  );
}

/** What became of the answer: the ticket is theirs now, or the address hears no more of it. */
export function ClaimAnsweredPage(props: { claim: Claim; confirmed: boolean; signedIn?: boolean }) {
  const t = useT();
  const { id, claimedEmail } = props.claim;
  return (
    <section id="claim" aria-labelledby="claim-title">
      <h1 id="claim-title">{t("claim.thanks")}</h1>
      {!props.confirmed ? (
        <p>{t("claim.declined", { id, email: claimedEmail })}</p>
      ) : (
        <>
          <p>{t("claim.confirmed", { id })}</p>
          <p>
            {props.signedIn ? (
              <a href={`/tickets/${id}`}>{t("claim.open", { id })}</a>
            ) : (
              <a href={`/login?next=${encodeURIComponent(`/tickets/${id}`)}`}>{t("claim.signIn", { id })}</a>
            )}
          </p>
        </>
      )}
    </section>
  );
}
