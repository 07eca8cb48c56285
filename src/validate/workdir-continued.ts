import type { Facts } from "../analysis/facts.js";
import { unsupported } from "../errors.js";
import { argsOf } from "../parser/document.js";

/**
 * Refuses (exit 3) a working directory whose path holds quotes or the next instruction (a WORKDIR line
 * continued by a trailing backslash): every path msb derives from it would carry them into RUN and
 * ENV lines of the new stages, where no quoting keeps them one word. Spaces alone are quoted.
 */
export function refuseContinuedWorkdir(facts: Facts): void {
  const path = (e: Facts["body"][number]) => argsOf(e.ins).trim().replace(/^(["'])(.*)\1$/s, "$2");
  const entry = facts.body.find((e) => e.keyword === "WORKDIR" && /["']|\s(FROM|RUN|CMD|LABEL|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL)\s/.test(path(e)));
  if (!entry) return;
  throw unsupported(`line ${entry.ins.startLine + 1}: the working directory "${path(entry).replace(/\s+/g, " ")}" contains quotes or another instruction (a WORKDIR continued onto the next line?); msb does not derive stages from such a path`);
}
