import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

// Where a webhook may go. Deliveries never reach the desk's own network (loopback, link-local such
// as 169.254.169.254, private, unique-local, and every other range that is not public unicast,
// IPv4 and IPv6, IPv4-mapped forms included) unless WEBHOOK_ALLOW_PRIVATE=true. The check is made
// on the address the connection is opened to (the lookup below runs at connect time), so a name
// that resolves to a public address when saved and to 127.0.0.1 when sent is refused too.

/** Why an address may not be sent to (its range: "loopback", "private", ...), or undefined when it may. */
export function refusedRange(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(bare)) return "invalid";
  // process(): an IPv4-mapped IPv6 address (::ffff:127.0.0.1, ::ffff:7f00:1) is judged as the IPv4 one.
  const range = ipaddr.process(bare).range();
  return range === "unicast" ? undefined : range;
}

export class RefusedAddress extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(`refused: ${host} is ${address} (${range}); set WEBHOOK_ALLOW_PRIVATE=true to allow it`);
  }
}

/** A URL's host as an address when it is one ([::1] -> ::1), else undefined (a name). */
export const literalAddress = (hostname: string): string | undefined => {
  const bare = hostname.replace(/^\[|\]$/g, "");
  return isIP(bare) ? bare : undefined;
};

/**
 * A `lookup` for http.request: resolves as Node would and refuses the connection when any address
 * the name has is refused (so a name with one public and one private address cannot be steered).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family, hints: options.hints }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = addresses as LookupAddress[];
      if (!allowPrivate)
        for (const a of list) {
          const range = refusedRange(a.address);
          if (range) return callback(new RefusedAddress(hostname, a.address, range), "", 0);
        }
      if (!list.length)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** Before a connection: a URL whose host is an address is judged here (Node does not look an address up). */
export function checkLiteral(url: URL, allowPrivate: boolean): void {
  const address = literalAddress(url.hostname);
  if (!address || allowPrivate) return;
  const range = refusedRange(address);
  if (range) throw new RefusedAddress(url.hostname, address, range);
}

/** For the form: resolves the name now and says why it would be refused (a delivery checks again). */
export async function checkHost(url: URL, allowPrivate: boolean): Promise<RefusedAddress | "unknown" | undefined> {
  try {
    checkLiteral(url, allowPrivate);
    if (literalAddress(url.hostname) || allowPrivate) return undefined;
    await new Promise<void>((resolve, reject) =>
      guardedLookup(false)(url.hostname, { all: true }, (error) => (error ? reject(error) : resolve())),
    );
    return undefined;
  } catch (error) {
    return error instanceof RefusedAddress ? error : "unknown";
  }
}
