import { unsupported } from "../../errors.js";
import type { Facts } from "../../analysis/facts.js";
import type { Family } from "./base-images.js";
import type { RuntimeUser } from "../types.js";
import type { Report } from "../../report.js";

export const defaultAppUser = { name: "app", uid: 10001 };

export function isRootUser(user: string | undefined): boolean {
  if (user === undefined) return false;
  const name = user.split(":")[0]?.trim();
  return name === "root" || name === "0";
}

/** `user:group` for --chown and chown, or the user alone when its group is not known by name. */
export const ownerOf = (user: RuntimeUser): string => (user.group === undefined ? user.name : `${user.name}:${user.group}`);

/** The runtime user's id, from the line that creates it (`--uid 10001`, `-u 10001`) or a numeric name. */
export function uidOf(user: RuntimeUser): string | undefined {
  return /(?:--uid|-u)\s+(\d+)/.exec(user.create ?? "")?.[1] ?? (/^\d+$/.test(user.name) ? user.name : undefined);
}

/** The runtime user's group id, from the line that creates it (`--gid 10001`, `-g 10001`) or a numeric group. */
export function gidOf(user: RuntimeUser): string | undefined {
  return /(?:--gid|-g)\s+(\d+)/.exec(user.create ?? "")?.[1] ?? (user.group && /^\d+$/.test(user.group) ? user.group : undefined);
}

/** Creates the default non-root user in an image of the given family. */
export function createUserCommand(family: Family, name = defaultAppUser.name, uid = defaultAppUser.uid): string | undefined {
  if (family === "alpine") return `RUN addgroup -S -g ${uid} ${name} && adduser -S -D -u ${uid} -G ${name} ${name}`;
  if (family === "distroless") return undefined;
  return `RUN groupadd --system --gid ${uid} ${name} && useradd --system --uid ${uid} --gid ${name} --create-home ${name}`;
}

/** The user creation commands of the original (useradd & co.), joined, for replay in a runtime of the same family. */
export function originalUserSetup(facts: Facts): string | undefined {
  const segments = facts.body.flatMap((e) => e.run?.segments.filter((s) => s.kind === "user-setup") ?? []);
  return segments.length > 0 ? `RUN ${segments.map((s) => s.text).join(" && ")}` : undefined;
}

/**
 * The runtime user: the original's explicit non-root USER when it can exist in the runtime image,
 * otherwise the image's built-in unprivileged user or a created `app` user.
 */
export function chooseRuntimeUser(
  facts: Facts,
  runtime: { family: Family; builtInUser?: string; sameFamilyAsBuild: boolean },
  report: Report,
  /** The runtime keeps the original's root (a deployment needs it): no user to create or hand files to. */
  rootKept = false,
): RuntimeUser {
  if (rootKept && facts.switchedUser === undefined) return { name: "root", group: "root", ownsApp: false };
  const explicit = facts.user ?? facts.switchedUser;
  if (explicit !== undefined && isRootUser(explicit)) {
    report.warn(`the original runs as ${explicit}; the runtime runs as a non-root user instead`);
  } else if (explicit !== undefined) {
    const [name = explicit, group] = explicit.split(":");
    const numeric = /^\d+$/.test(name);
    if (numeric || name === runtime.builtInUser) return { name, group: group ?? name, ownsApp: true };
    const setup = originalUserSetup(facts);
    if (setup && runtime.sameFamilyAsBuild && runtime.family !== "distroless") {
      report.info(`kept the original user ${explicit}, created in the runtime as in the original`);
      // the original may give its user a group of another name (adduser -G appgroup appuser)
      return { name, ...(group !== undefined ? { group } : {}), create: setup, ownsApp: true };
    }
    if (facts.switchedUser !== undefined && facts.user === undefined) throw unsupported(`the start command switches to the user ${explicit} itself, and msb cannot create that user in a ${runtime.family} runtime as the original does; the switch would fail`);
    report.warn(`the original user ${explicit} cannot be created in the runtime image; using ${runtime.builtInUser ?? defaultAppUser.name} instead`);
  }
  if (runtime.builtInUser) return { name: runtime.builtInUser, group: runtime.builtInUser, ownsApp: true };
  const create = createUserCommand(runtime.family);
  return create === undefined
    ? { name: "65532", group: "65532", ownsApp: false }
    : { name: defaultAppUser.name, group: defaultAppUser.name, create, ownsApp: true };
}
