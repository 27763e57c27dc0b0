import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

// A real OpenID provider (oidc-provider) in the test process: one confidential client for the desk,
// PKCE required, accounts the test defines. Its sign-in needs no form: whoever the test names in
// `next` is signed in (with the `amr` of their account) and consents, so a fetch loop or Chromium
// only follows redirects.

export type Account = {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
  /** How they signed in at the provider (RFC 8176): ["pwd"], or ["pwd", "otp"] with its own second step. */
  amr?: string[];
};

export type TestProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, Account>;
  /** The account the next sign-in at the provider is for. */
  next: { account: string };
  /** Sign-ins finished at the provider (interactions completed). */
  logins: number;
  close: () => Promise<void>;
};

const page = (title: string, body: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main>${body}</main></body></html>`;

export async function startProvider(
  deskBase: string,
  slugs: string[] = ["corp"],
  options: { idTokenSeconds?: number } = {},
): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, Account>();
  const clientId = "hyperdesk";
  const clientSecret = "a-client-secret-long-enough-for-hs256-0123456789";
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: slugs.map((slug) => `${deskBase}/login/sso/${slug}/callback`),
        post_logout_redirect_uris: [`${deskBase}/login?signed-out`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    pkce: { required: () => true },
    claims: {
      openid: ["sub", "amr", "auth_time"],
      email: ["email", "email_verified"],
      profile: ["name", "groups"],
    },
    cookies: { keys: ["a-cookie-key-for-the-test-provider"] },
    ttl: { IdToken: options.idTokenSeconds ?? 3600 },
    features: {
      devInteractions: { enabled: false },
      // Plain pages of our own (the defaults load a web font from the internet).
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page(
            "Sign out",
            `<h1>Sign out of the directory?</h1>${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page("Signed out", "<h1>You are signed out of the directory.</h1>");
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, ...accounts.get(id) }),
    }),
  });
  const state: TestProvider = {
    issuer,
    clientId,
    clientSecret,
    accounts,
    next: { account: "" },
    logins: 0,
    close: () => new Promise((r) => server.close(() => r())),
  };
  const callback = provider.callback();
  server.on("request", async (req, res) => {
    if (!req.url?.startsWith("/interaction/")) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      const accountId = state.next.account;
      if (details.prompt.name === "login") {
        state.logins++;
        const amr = accounts.get(accountId)?.amr ?? ["pwd"];
        await provider.interactionFinished(req, res, { login: { accountId, amr } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: details.session!.accountId, clientId });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  return state;
}

/**
 * Follows the provider's redirects with its cookies, from the desk's redirect to the provider
 * until one leads back to the desk: that address (the callback with its code and state).
 */
export async function throughProvider(start: string, deskBase: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = start;
  for (let hops = 0; hops < 20; hops++) {
    if (url.startsWith(deskBase)) return url;
    const res = await fetch(url, {
      redirect: "manual",
      headers: { Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const location = res.headers.get("Location");
    if (!location) throw new Error(`the provider stopped at ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    url = new URL(location, url).href;
  }
  throw new Error("too many redirects at the provider");
}
