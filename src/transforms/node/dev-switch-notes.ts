import { has, readJson, type BuildContext } from "../../analysis/context.js";
import type { Report } from "../../report.js";
import type { DevServer } from "../../analysis/dev-server.js";

/**
 * What changes when a development server is replaced by a production build: the build reads other
 * environment files, and features of the dev server (HTTPS, an API proxy) are gone.
 */
export function reportDevToProduction(dev: DevServer, context: BuildContext, out: Report, replacement: string): void {
  const said = new Set<string>();
  const report = {
    warn: (message: string) => {
      if (!said.has(message)) out.warn(message);
      said.add(message);
    },
    info: (message: string) => out.info(message),
  };
  const via = dev.via.length > 0 ? ` (through the ${dev.via.map((s) => `"${s}"`).join(" → ")} script)` : "";
  report.warn(`the start command runs the development server ${dev.tool}${via}; the image runs ${replacement} instead`);

  const angular = readJson(context, "angular.json");
  const projects = Object.values((angular?.["projects"] ?? {}) as Record<string, { architect?: Record<string, { options?: Record<string, unknown>; configurations?: Record<string, { fileReplacements?: { replace: string; with: string }[]; budgets?: { type?: string; maximumError?: string }[] }> }> }>);
  for (const project of projects) {
    const production = project.architect?.["build"]?.configurations?.["production"];
    for (const replacement of production?.fileReplacements ?? []) {
      report.warn(`the production build replaces ${replacement.replace} with ${replacement.with}`);
    }
    const budgets = (production?.budgets ?? []).filter((b) => b.maximumError);
    if (budgets.length > 0) report.warn(`the production build enforces angular.json's size budgets (${budgets.map((b) => `${b.type ?? "bundle"} ≤ ${b.maximumError}`).join(", ")}), which ng serve did not: an app over them fails the build`);
    const proxy = project.architect?.["serve"]?.options?.["proxyConfig"];
    if (typeof proxy === "string") report.warn(`ng serve proxied requests with ${proxy}; the production server does not`);
  }
  for (const file of [".env.production", ".env.production.local"]) {
    if (has(context, file)) report.warn(`the production build reads ${file} instead of the development environment files`);
  }
  if (/(?:^|\s)--(?:ssl|https)(?:[= ]true)?(?:\s|$)/.test(dev.line)) report.warn(`${dev.tool} served HTTPS; the production server serves plain HTTP on the same port`);
  const proxyFlag = /--proxy-config[= ](\S+)/.exec(dev.line);
  if (proxyFlag) report.warn(`${dev.tool} proxied requests with ${proxyFlag[1]}; the production server does not`);
  else if (has(context, "proxy.conf.json") || has(context, "src/proxy.conf.json")) report.warn("proxy.conf.json exists: if the dev server proxied an API, the production server does not");
  const pkg = readJson(context, "package.json");
  if (typeof pkg?.["proxy"] === "string") report.warn(`package.json "proxy" (${String(pkg["proxy"])}) only applies to the development server; the production server does not proxy`);
  for (const file of ["vite.config.ts", "vite.config.js", "vite.config.mjs", "vue.config.js", "nuxt.config.ts", "nuxt.config.js"]) {
    if (/\bproxy\s*:/.test(context.read(file) ?? "")) report.warn(`${file} configures a development proxy; the production server does not proxy`);
  }
  if (dev.framework === "cra" || dev.framework === "vite" || dev.framework === "vue-cli" || dev.framework === "angular") {
    report.info("environment variables the front-end reads (REACT_APP_*, VITE_*, VUE_APP_*) are fixed at build time now, not read when the container starts");
  }
}
