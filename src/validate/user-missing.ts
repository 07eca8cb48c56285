import type { Facts } from "../analysis/facts.js";
import { isOfficialImage } from "../analysis/image-ref.js";
import { unusable } from "../errors.js";

/** The accounts of Debian's and Alpine's base files, which every official image starts from. */
const baseAccounts = new Set([
  "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data", "backup", "list", "irc", "gnats", "nobody", "_apt",
  "adm", "shutdown", "halt", "operator", "postmaster", "cron", "ftp", "sshd", "at", "squid", "xfs", "cyrus", "vpopmail", "ntp", "smmsp", "guest", "nogroup",
]);

/** Accounts an official image adds to them. */
const imageAccounts: Record<string, string[]> = { node: ["node"], nginx: ["nginx"], ubuntu: ["ubuntu"], httpd: ["www-data"], redis: ["redis"], postgres: ["postgres"] };

const officialBases = ["python", "node", "golang", "debian", "ubuntu", "alpine", "nginx", "httpd", "redis", "postgres"];

/**
 * Rejects (exit 2) a final `USER name` on an official image when no step creates that user and the image
 * does not have it: the container cannot start ("unable to find user me: no matching entries in passwd
 * file"); a RUN after it would fail the build the same way.
 */
export function rejectUserNeverCreated(facts: Facts): void {
  const user = facts.user;
  const image = facts.resolvedImage;
  if (user === undefined || /\$/.test(user) || !officialBases.some((name) => isOfficialImage(image, name))) return;
  const name = user.split(":")[0]!;
  if (/^\d+$/.test(name) || baseAccounts.has(name) || (imageAccounts[image.name] ?? []).includes(name)) return;
  // any step that could make it: a user tool, a chpasswd or a passwd file written or copied
  const makes = facts.body.some((e) => (e.run && (e.run.segments.some((s) => s.kind === "user-setup") || /\b(useradd|adduser|passwd|chpasswd|\/etc\/passwd)\b/.test(e.ins.text))) || e.copy?.sources.some((s) => /passwd/.test(s)) || (e.copy?.destAbs ?? "").startsWith("/etc"));
  if (makes) return;
  const entry = [...facts.body].reverse().find((e) => e.keyword === "USER");
  throw unusable(`line ${(entry?.ins.startLine ?? 0) + 1}: USER ${user} names a user no step creates and ${image.raw} does not have, so the container cannot start ("unable to find user ${name}: no matching entries in passwd file"); create it first (RUN ${image.name === "alpine" || image.tag.includes("alpine") ? `adduser -D ${name}` : `useradd --create-home ${name}`})`);
}
