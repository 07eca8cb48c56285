import { posix } from "node:path";

/**
 * A root-run `mkdir -p` of directories the runtime user must own. A directory under the WORKDIR also
 * creates the WORKDIR (and those between) as root before `WORKDIR` runs, which then leaves them
 * root's: so they are handed to the user too, as a WORKDIR made after `USER` would have been.
 */
export function ownedMkdir(dirs: string[], workdir: string, owner: string): string {
  const owned: string[] = [];
  for (const dir of dirs) {
    if (workdir !== "/" && dir.startsWith(`${workdir}/`)) {
      let path = workdir;
      owned.push(path);
      for (const part of dir.slice(workdir.length + 1).split("/").filter(Boolean)) owned.push((path = posix.join(path, part)));
    } else owned.push(dir);
  }
  const unique = [...new Set(owned)];
  return `RUN mkdir -p ${dirs.join(" ")} && chown ${owner} ${unique.join(" ")}`;
}
