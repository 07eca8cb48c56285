import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";

/** Downloads that answer 404 today, with what replaced them. */
const removed: { url: RegExp; what: string; instead: string }[] = [
  {
    // removed from the default branch in January 2023 (get-poetry.py) and June 2023 (install-poetry.py)
    url: /https?:\/\/raw\.githubusercontent\.com\/(?:sdispater|python-poetry)\/poetry\/(?:master|main)\/(?:get|install)-poetry\.py/,
    what: "Poetry's old installer script, removed from its repository in 2023 (the URL answers 404: Not Found, which python then fails to run)",
    instead: "use https://install.python-poetry.org or pip install poetry",
  },
];

/** Rejects (exit 2) a RUN that downloads a file known to be gone: the original's build fails at that step. */
export function rejectRemovedDownloads(facts: Facts): void {
  for (const entry of facts.body) {
    const text = entry.run?.command.shell;
    if (!text) continue;
    for (const gone of removed) {
      const url = gone.url.exec(text)?.[0];
      if (url) throw unusable(`line ${entry.ins.startLine + 1}: ${url} is ${gone.what}; ${gone.instead}`);
    }
  }
}
