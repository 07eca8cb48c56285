import type { Facts } from "../../analysis/facts.js";

/**
 * Build steps that download what the program loads at run time into root's home (pyppeteer's
 * Chromium in ~/.local/share/pyppeteer, Playwright's browsers in ~/.cache/ms-playwright, NLTK data in
 * ~/nltk_data, rembg's models in ~/.u2net): the runtime user's home has none of it. Each tool reads its directory from a variable,
 * so the build points it at a path the runtime copies and sets again.
 */
const tools: { command: RegExp; variable: string; dir: string; writable: boolean; what: string; mustExist?: boolean }[] = [
  // pyppeteer also keeps its temporary browser profiles under PYPPETEER_HOME
  { command: /\bpyppeteer-install\b/, variable: "PYPPETEER_HOME", dir: "/opt/pyppeteer", writable: true, what: "pyppeteer's Chromium" },
  { command: /\bplaywright\s+install\b/, variable: "PLAYWRIGHT_BROWSERS_PATH", dir: "/opt/ms-playwright", writable: false, what: "Playwright's browsers" },
  { command: /\bnltk\.download(er\b|\()/, variable: "NLTK_DATA", dir: "/opt/nltk_data", writable: false, what: "NLTK data", mustExist: true },
  // rembg fetches a model it lacks on first use, so its directory stays writable
  { command: /\brembg\s+(d|download-models)\b/, variable: "U2NET_HOME", dir: "/opt/u2net", writable: true, what: "rembg's models" },
];

export interface HomeDownload {
  /** Body index of the first RUN that downloads. */
  index: number;
  variable: string;
  dir: string;
  writable: boolean;
  what: string;
  /** The tool ignores the variable's directory unless it exists (NLTK's downloader then falls back to ~/nltk_data). */
  mustExist?: boolean;
}

export function homeDownloads(facts: Facts): HomeDownload[] {
  return tools.flatMap(({ command, ...tool }) => {
    if (facts.variables[tool.variable] !== undefined) return [];
    const index = facts.body.findIndex((e) => e.run !== undefined && command.test(e.ins.text));
    return index < 0 ? [] : [{ index, ...tool }];
  });
}

/**
 * Playwright's own images (mcr.microsoft.com/playwright/python:v1.40.0-jammy) set PLAYWRIGHT_BROWSERS_PATH
 * to /ms-playwright and ship the browsers of their release there: when the installed playwright is that
 * release, `playwright install` finds them present, and a runtime on the same image has them already.
 */
export function browsersShippedByImage(facts: Facts, playwrightVersions: readonly string[]): string | undefined {
  const image = facts.resolvedImage;
  if (image.registry !== "mcr.microsoft.com" || !/^playwright(\/|$)/.test(image.repository)) return undefined;
  const release = /^v(\d+\.\d+\.\d+)(-|$)/.exec(image.tag)?.[1];
  return release !== undefined && playwrightVersions.length > 0 && playwrightVersions.every((v) => v === release) ? release : undefined;
}
