import { posix } from "node:path";

/** A `.dockerignore` matcher: last matching line wins, `!` re-includes, a matched directory excludes its contents. */
export function dockerignore(text: string | undefined): (contextPath: string) => boolean {
  const rules = (text ?? "").split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#")).map((line) => {
    const negate = line.startsWith("!");
    const pattern = posix.normalize(line.replace(/^!/, "").replace(/^\.?\//, "")).replace(/\/$/, "");
    const source = pattern.split("/").map((part) => (part === "**" ? ".*" : part.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]"))).join("/").replace(/\.\*\//g, "(.*/)?");
    return { negate, re: new RegExp(`^${source}(/.*)?$`) };
  });
  return (contextPath) => {
    let excluded = false;
    for (const rule of rules) if (rule.re.test(contextPath)) excluded = !rule.negate;
    return excluded;
  };
}
