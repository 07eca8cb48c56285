import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { mayCopyContextPath } from "../../analysis/copied-file.js";
import { commandLine } from "../common/runtime-text.js";
import { applicationSources } from "./application-sources.js";
import { unusable } from "../../errors.js";
import type { Pins } from "./pip-inputs.js";
import { pinnedVersion, type PythonStep } from "./tools.js";
import { imagePython } from "./uv-python.js";

type Version = number[];

/**
 * Flask releases that import what a later release of one of their own dependencies removed, while
 * their requirement on it has no upper bound: pip takes the newest release the image's Python allows,
 * and `import flask` fails. From Flask's, Werkzeug's, Jinja2's, itsdangerous' and MarkupSafe's sources
 * at their release tags, run against the newest release each Python allows.
 */
const breaks: { flask: [Version, Version]; dependency: string; removedIn: Version; python: Version; error: string; when?: (pins: Pins) => boolean }[] = [
  { flask: [[0, 10], [1, 0, 4]], dependency: "jinja2", removedIn: [3, 1], python: [3, 7], error: "ImportError: cannot import name 'Markup' from 'jinja2'" },
  { flask: [[1, 1, 0], [1, 1, 2]], dependency: "jinja2", removedIn: [3, 1], python: [3, 7], error: "ImportError: cannot import name 'escape' from 'jinja2'" },
  { flask: [[0, 10], [1, 1, 2]], dependency: "itsdangerous", removedIn: [2, 1], python: [3, 7], error: "ImportError: cannot import name 'json' from 'itsdangerous'" },
  { flask: [[0, 10], [0, 12, 4]], dependency: "werkzeug", removedIn: [3, 0], python: [3, 8], error: "ModuleNotFoundError: No module named 'urlparse'" },
  { flask: [[1, 0], [1, 0, 4]], dependency: "werkzeug", removedIn: [3, 0], python: [3, 8], error: "ImportError: cannot import name 'url_quote' from 'werkzeug.urls'" },
  { flask: [[1, 1, 0], [1, 1, 2]], dependency: "werkzeug", removedIn: [2, 1], python: [3, 7], error: "ImportError: cannot import name 'BaseResponse' from 'werkzeug.wrappers'" },
  { flask: [[2, 0, 0], [2, 2, 3]], dependency: "werkzeug", removedIn: [3, 0], python: [3, 8], error: "ImportError: cannot import name 'url_quote' from 'werkzeug.urls'" },
  // Jinja2 2.x (Flask 1.1.3+ caps it below 3, or the requirements pin it) imports soft_unicode, gone from MarkupSafe 2.1
  { flask: [[0, 10], [1, 1, 4]], dependency: "markupsafe", removedIn: [2, 1], python: [3, 7], error: "ImportError: cannot import name 'soft_unicode' from 'markupsafe'", when: (pins) => jinja2Below3(pins) },
];


const parse = (v: string): Version => v.split(".").map((p) => Number.parseInt(p, 10)).filter((n) => !Number.isNaN(n));
const compare = (a: Version, b: Version) => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
};
const jinja2Below3 = (pins: Pins) => (pins.get("jinja2") ?? []).some((spec) => /==\s*2\./.test(spec) || /<\s*3(\.0)*\s*(,|$)/.test(spec)) || flaskCapsJinja2(pins);
const flaskCapsJinja2 = (pins: Pins) => (pins.get("flask") ?? []).some((spec) => { const v = pinnedVersion(spec); return v !== undefined && compare(parse(v), [1, 1, 3]) >= 0 && compare(parse(v), [2]) < 0; });


/** `import flask`, `from flask_sqlalchemy import …`, or a framework built on Flask (Dash, Connexion). */
const flaskImport = /^\s*(?:import|from)\s+(?:flask\w*|dash|connexion|apiflask|flasgger)\b/m;

/**
 * Rejects (exit 2) a pip install that pins Flask to a release whose imports a newer release of an
 * unpinned dependency removed (Flask 2.1 with Werkzeug 3: "cannot import name 'url_quote'"): the image
 * builds and the container stops at `import flask`. Only official python images, whose Python decides
 * which dependency release pip takes; not when the requirements name that dependency at all, nor when nothing imports Flask (a Django app's leftover pin).
 */
export function rejectFlaskWithRemovedImports(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext): void {
  const python = imagePython(facts);
  if (!python || python.major !== 3) return;
  const flask = (pins?.get("flask") ?? []).map(pinnedVersion).find((v): v is string => v !== undefined);
  if (!pins || !flask) return;
  // a pinned Flask nothing imports (a Django app's leftover requirement) never runs `import flask`
  // only the files the image copies count: a sibling service's Flask app beside a worker is not in this image
  if (context.known && !applicationSources(context).some((f) => flaskImport.test(f.code) && mayCopyContextPath(facts, f.path)) && !/\bflask\b/.test([facts.entrypoint, facts.cmd].map(commandLine).join(" "))) return;
  const version = parse(flask);
  const failing = breaks.filter((row) => {
    if (compare(version, row.flask[0]) < 0 || compare(version, row.flask[1]) > 0 || compare([python.major, python.minor], row.python) < 0) return false;
    if (row.when && !row.when(pins)) return false;
    const named = pins.get(row.dependency);
    // named at all: only an exact pin at or past the removal still breaks
    return !named || named.some((spec) => { const v = pinnedVersion(spec); return v !== undefined && compare(parse(v), row.removedIn) >= 0; });
  });
  if (failing.length === 0) return;
  // `import flask` imports jinja2 (and through it markupsafe) first, then werkzeug, then itsdangerous; before 1.0, werkzeug first
  const order = compare(version, [1]) < 0 ? ["werkzeug", "markupsafe", "jinja2", "itsdangerous"] : ["markupsafe", "jinja2", "werkzeug", "itsdangerous"];
  failing.sort((a, b) => order.indexOf(a.dependency) - order.indexOf(b.dependency));
  const first = failing[0]!;
  const label = (dependency: string) => ({ jinja2: "Jinja2", itsdangerous: "itsdangerous", werkzeug: "Werkzeug", markupsafe: "MarkupSafe" })[dependency] ?? dependency;
  const named = pins.get(first.dependency);
  const taken = named ? `pinned at ${pinnedVersion(named.find((s) => pinnedVersion(s))!)}` : `unpinned, so pip takes the newest ${label(first.dependency)} ${python.label} allows`;
  const fixes = [...new Map(failing.map((row) => [row.dependency, `${label(row.dependency)}<${row.removedIn.join(".")}`])).values()];
  const later = [...new Map(failing.slice(1).filter((row) => row.dependency !== first.dependency).map((row) => [row.dependency, `${label(row.dependency)} ${row.removedIn.join(".")}`])).values()];
  const others = later.length > 0 ? `; ${later.join(" and ")} removed other names it imports` : "";
  const step = steps.find((s) => s.kind === "deps")!;
  throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: the image builds but cannot start: Flask ${flask} is pinned and ${label(first.dependency)} is ${taken}; ${label(first.dependency)} ${first.removedIn.join(".")} removed what Flask ${flask} imports${first.dependency === "markupsafe" ? " through Jinja2 2" : ""}, so \`import flask\` fails with "${first.error}"${others} (pin ${fixes.join(", ")}, or a newer Flask)`);
}
