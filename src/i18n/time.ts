// Dates as people at the help desk read them: in the desk's time zone (TIME_ZONE), on the server,
// so a kiosk without JavaScript shows the same time as a laptop with it.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(date: Date, timeZone: string) {
  if (timeZone === "UTC") {
    // The default zone, on every row of every list: the ISO string has it all, far cheaper.
    const iso = date.toISOString();
    return { day: iso.slice(0, 10), time: iso.slice(11, 16), zone: "UTC" };
  }
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(date)
      .map((x) => [x.type, x.value]),
  );
  return { day: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, zone: p.timeZoneName ?? timeZone };
}

/** Whether the runtime knows this IANA zone name (Europe/Berlin, America/New_York, UTC...). */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** "2026-11-25 14:21 UTC", "2026-11-25 15:21 GMT+1": sortable, unambiguous, with its zone. */
export function formatDate(date: Date, timeZone: string): string {
  const p = parts(date, timeZone);
  return `${p.day} ${p.time} ${p.zone}`;
}

/** The calendar day of a moment in the zone, as YYYY-MM-DD. */
export const dayOf = (date: Date, timeZone: string): string => parts(date, timeZone).day;
