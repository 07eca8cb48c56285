import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { applicationSources } from "./application-sources.js";
import type { Pins } from "./pip-inputs.js";
import { pinnedVersion, type PythonStep } from "./tools.js";
import { heldBelow } from "./version-bounds.js";
import { imagePython } from "./uv-python.js";

function installLine(facts: Facts, steps: readonly PythonStep[]): number {
  return facts.body[steps.find((s) => s.kind === "deps" && s.tool === "pip")!.index]!.ins.startLine + 1;
}

/**
 * Rejects (exit 2) Scrapy code that imports or configures `scrapy.contrib` while the requirements let pip
 * take Scrapy 1.6 or later (unpinned on every Python it supports): 1.6 removed the `scrapy.contrib`
 * modules, so the spider stops with "No module named 'scrapy.contrib'".
 */
export function rejectScrapyContrib(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext): void {
  const specs = pins?.get("scrapy");
  if (!specs || specs.length === 0 || heldBelow(specs, "1.6")) return;
  const file = applicationSources(context).find((f) => /\bscrapy\.contrib\b/.test(f.code));
  if (!file) return;
  const taken = specs.map(pinnedVersion).find((v) => v !== undefined);
  throw unusable(`line ${installLine(facts, steps)}: the image builds but cannot run: ${file.path} uses scrapy.contrib, which Scrapy 1.6 removed, and the requirements let pip take ${taken ? `Scrapy ${taken}` : "the newest Scrapy the image's Python allows (1.6 or later)"}, so the spider stops with "No module named 'scrapy.contrib'" (pin scrapy<1.6, or use the modules that replaced it)`);
}

/**
 * Rejects (exit 2) Streamlit code calling the `beta_` functions (`st.beta_columns`, `st.beta_expander`)
 * while the requirements let pip take Streamlit 1.23 or later: deprecated since 2021, the `beta_` names
 * were removed in 1.23.0 (streamlit/streamlit#6558), so the page stops with "module 'streamlit' has no
 * attribute 'beta_columns'".
 */
export function rejectStreamlitBetaApis(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext): void {
  const specs = pins?.get("streamlit");
  if (!specs || specs.length === 0 || heldBelow(specs, "1.23")) return;
  const betaCall = /^\s*(?:import\s+streamlit\b|from\s+streamlit\b)[\s\S]*?\.(beta_(?:columns|expander|container|set_page_config|color_picker))\s*\(/m;
  const found = applicationSources(context).map((f) => ({ path: f.path, call: betaCall.exec(f.code)?.[1] })).find((f) => f.call !== undefined);
  if (!found) return;
  const taken = specs.map(pinnedVersion).find((v) => v !== undefined);
  throw unusable(`line ${installLine(facts, steps)}: the image builds but the app cannot run: ${found.path} calls st.${found.call}, which Streamlit 1.23 removed, and the requirements let pip take ${taken ? `Streamlit ${taken}` : "the newest Streamlit"}, so the page stops with "module 'streamlit' has no attribute '${found.call}'" (call the functions without beta_, st.${found.call!.replace(/^beta_/, "")} and the rest, or pin streamlit<1.23)`);
}

/**
 * Rejects (exit 2) discord.py or py-cord 1.x on Python 3.13 or later: `import discord` fails there, as
 * 1.x imports audioop (discord/player.py) and the aiohttp it allows (<3.8) imports cgi, two modules
 * Python 3.13 removed (PEP 594), so the bot stops with "No module named 'cgi'" before it connects.
 */
export function rejectDiscordPy1OnPython313(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext): void {
  const python = imagePython(facts);
  if (!python || python.major !== 3 || python.minor < 13) return;
  for (const name of ["discord.py", "discord-py", "py-cord", "discord"]) {
    const specs = pins?.get(name);
    if (!specs || !heldBelow(specs, "2")) continue;
    const file = applicationSources(context).find((f) => /^\s*(?:import\s+discord\b|from\s+discord[\s.])/m.test(f.code));
    if (!file) return;
    const version = specs.map(pinnedVersion).find((v) => v !== undefined) ?? "below 2.0";
    throw unusable(`line ${installLine(facts, steps)}: the image builds but cannot start: ${file.path} imports discord, and ${name} ${version} imports audioop and the aiohttp before 3.8 it allows imports cgi, both removed in Python 3.13 (PEP 594), so on ${python.label} the bot stops with "No module named 'cgi'" (pin the image to python:3.12 or older, or move to ${name === "py-cord" ? "py-cord" : "discord.py"} 2)`);
  }
}

/**
 * Rejects (exit 2) FastAPI with pydantic held below 1.10.16 on Python 3.12.4 or later: Python 3.12.4
 * made `ForwardRef._evaluate`'s `recursive_guard` keyword-only, pydantic 1 passed it by position until
 * 1.10.16 (pydantic#9607, #9612), and FastAPI resolves forward references when it is imported, so the
 * app stops with "ForwardRef._evaluate() missing 1 required keyword-only argument: 'recursive_guard'".
 */
export function rejectOldPydantic1OnPython3124(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined): void {
  const specs = pins?.get("pydantic");
  if (!specs || !pins?.has("fastapi") || !heldBelow(specs, "1.10.16")) return;
  const pinned = specs.map(pinnedVersion).find((v) => v !== undefined);
  if (pinned !== undefined && !pinned.startsWith("1.")) return;
  const python = imagePython(facts);
  if (!python || python.major !== 3 || python.minor < 12) return;
  if (python.minor === 12) {
    const patch = /^3\.12\.(\d+)/.exec(facts.resolvedImage.tag)?.[1];
    if (patch !== undefined && Number(patch) < 4) return;
  }
  throw unusable(`line ${installLine(facts, steps)}: the image builds but cannot start: the requirements hold pydantic at ${pinned ?? "a 1.x release before 1.10.16"}, which passes recursive_guard to ForwardRef._evaluate by position, and ${facts.resolvedImage.raw} runs Python 3.12.4 or later, which takes it by keyword only, so importing FastAPI stops with "ForwardRef._evaluate() missing 1 required keyword-only argument: 'recursive_guard'" (pin pydantic 1.10.16 or later, or use a Python image before 3.12.4)`);
}


/**
 * Rejects (exit 2) Scrapy held below 2.10.1 (or left free on Python 3.7, where pip takes 2.9.0) with Twisted left free on Python 3.7 or later: those (1.0 to 2.10.0)
 * Scrapy releases call `reactor._handleSignals()` when a crawl starts, which Twisted 23.8 removed, and
 * they do not bound Twisted, so pip takes a newer one and every crawl stops with "'EPollReactor' object
 * has no attribute '_handleSignals'" (scrapy/scrapy#6024; 2.10.1 bounded Twisted, 2.11.1 fixed the call).
 */
export function rejectOldScrapyOnNewTwisted(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext, runtimeText: string): void {
  const specs = pins?.get("scrapy");
  const python = imagePython(facts);
  if (!specs || specs.length === 0 || !python || python.major !== 3 || python.minor < 7) return;
  // on Python 3.7 pip can take no Scrapy after 2.9.0 (2.10 requires 3.8) and still takes Twisted 23.8.0
  const newestFor37 = python.minor === 7 && !python.floating;
  if (!heldBelow(specs, "2.10.1") && !newestFor37) return;
  const twisted = pins?.get("twisted");
  if (twisted && heldBelow(twisted, "23.8")) return;
  const crawls = /\bscrapy\s+(crawl|runspider)\b/.test(runtimeText) || applicationSources(context).some((f) => /\bCrawlerProcess\b|\bCrawlerRunner\b/.test(f.code));
  if (!crawls) return;
  const taken = specs.map(pinnedVersion).find((v) => v !== undefined) ?? (newestFor37 && !heldBelow(specs, "2.10.1") ? "2.9.0 (left unpinned: the last release for Python 3.7)" : undefined);
  throw unusable(`line ${installLine(facts, steps)}: the image builds but cannot crawl: the requirements hold Scrapy at ${taken ?? "a release before 2.10.1"}, which calls reactor._handleSignals() when a crawl starts and, like every release from 1.0 to 2.10.0, does not bound Twisted, so pip takes a Twisted of 23.8 or later, which removed it ("'EPollReactor' object has no attribute '_handleSignals'", scrapy/scrapy#6024) (pin twisted<23.8, or Scrapy 2.11.1 or later)`);
}

/**
 * Rejects (exit 2) paho-mqtt 2 code written for 1.x: 2.0 made the callback API version `Client`'s first,
 * required argument (paho.mqtt.python migrations.md), so any `Client(…)` without it fails under 2.0.x;
 * 2.1.0 defaults it to VERSION1 again (eclipse-paho/paho.mqtt.python#831), where only a client id passed
 * first, as 1.x took it (`Client("bridge")`), fails, with "Unsupported callback API version". Requirements
 * that let pip take 2.0 or later (unpinned, on a Python 2.x supports) and no source naming CallbackAPIVersion.
 */
export function rejectPahoMqtt1Client(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext): void {
  const specs = pins?.get("paho-mqtt");
  if (!specs || heldBelow(specs, "2")) return;
  const pinned = specs.map(pinnedVersion).find((v) => v !== undefined);
  const python = imagePython(facts);
  if (pinned === undefined && (!python || python.major !== 3 || python.minor < 7)) return;
  const sources = applicationSources(context);
  if (sources.some((f) => /\bCallbackAPIVersion\b/.test(f.code))) return;
  const pahoImport = /^\s*(?:import\s+paho\.mqtt\.client\b|from\s+paho\.mqtt(?:\.client)?\s+import\b)/m;
  const release20 = pinned !== undefined && /^2\.0(\.|$)/.test(pinned);
  // under 2.1 only a first argument that is not a keyword one: the client id where the version now goes
  const failing = release20 ? /(?:^|[^\w.]|\.)Client\s*\(/m : /(?:^|[^\w.]|\.)Client\s*\(\s*(?![\s)]|\w+\s*=[^=]|\*)/m;
  const file = sources.find((f) => pahoImport.test(f.code) && failing.test(f.code));
  if (!file) return;
  const how = release20 ? "creates a paho-mqtt Client without a callback API version, which paho-mqtt 2.0 made its first, required argument" : "passes a paho-mqtt Client its client id as the first argument, which paho-mqtt 2 takes for the callback API version";
  throw unusable(`line ${installLine(facts, steps)}: the image builds but the app cannot connect: ${file.path} ${how}, and the requirements let pip take ${pinned ? `paho-mqtt ${pinned}` : "paho-mqtt 2.x"}, so creating the client fails with "Unsupported callback API version" (pass mqtt.CallbackAPIVersion.VERSION1 as Client's first argument, or pin paho-mqtt<2)`);
}

/**
 * Rejects (exit 2) psycopg2 or psycopg2-binary held below 2.9.10 on Python 3.13 or later: those releases
 * have no 3.13 wheels and their C code calls `_PyInterpreterState_Get`, which 3.13 renamed
 * (psycopg/psycopg2#1692, fixed in 2.9.10), so the source build fails under GCC 14 (an implicit
 * declaration is an error there) or the import fails with "undefined symbol: _PyInterpreterState_Get".
 */
export function rejectOldPsycopg2OnPython313(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined): void {
  const python = imagePython(facts);
  if (!python || python.major !== 3 || python.minor < 13) return;
  const held = ["psycopg2", "psycopg2-binary"].flatMap((name) => {
    const specs = pins?.get(name);
    return specs && heldBelow(specs, "2.9.10") ? [`${name} ${specs.map(pinnedVersion).find((v) => v !== undefined) ?? "below 2.9.10"}`] : [];
  });
  if (held.length === 0) return;
  throw unusable(`line ${installLine(facts, steps)}: ${held.join(" and ")} cannot work on ${python.label}: releases before 2.9.10 have no wheels for it and call _PyInterpreterState_Get, which Python 3.13 renamed (psycopg/psycopg2#1692), so the source build fails (GCC 14 rejects the implicit declaration) or importing it stops with "undefined symbol: _PyInterpreterState_Get" (pin ${held.length > 1 ? "both" : "it"} to 2.9.10 or later)`);
}
