import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unsupported } from "../../errors.js";
import type { PythonStep } from "./tools.js";

/**
 * Refuses (exit 3) `pdm install` told not to use a virtual environment (`[python] use_venv = false` in
 * a pdm.toml the build context has, PDM_USE_VENV=false, `pdm config python.use_venv false`): PDM
 * then installs into __pypackages__ (PEP 582) and ignores VIRTUAL_ENV, so the environment msb would
 * copy holds nothing and `pdm run` is what finds the packages.
 */
export function refusePdmWithoutVenv(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  if (!steps.some((s) => s.tool === "pdm" && s.kind === "deps")) return;
  const config = context.list().find((p) => /(^|\/)\.?pdm\.toml$/.test(p) && p.split("/").length <= 3 && /^\s*use_venv\s*=\s*false\b/m.test(context.read(p) ?? ""));
  const text = facts.body.map((e) => e.ins.text).join("\n");
  const setting = config ?? (/PDM_USE_VENV=["']?(0|false|no)\b/i.test(text) || /python\.use_venv\s+(false|0)\b/i.test(text) ? "the Dockerfile" : undefined);
  if (!setting) return;
  throw unsupported(`PDM is set not to use a virtual environment (python.use_venv = false in ${setting}), so pdm install puts the packages in __pypackages__ (PEP 582) and only pdm run finds them; msb converts PDM projects through a virtual environment (remove that setting to convert)`);
}
