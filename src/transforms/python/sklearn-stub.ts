import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { Pins } from "./pip-inputs.js";
import type { PythonStep } from "./tools.js";

/**
 * Rejects (exit 2) a pip install of the distribution `sklearn`: a deprecated stub of scikit-learn whose
 * build raises on every install since 2023-12-01 (the brownout table of scikit-learn/sklearn-pypi-package),
 * unless SKLEARN_ALLOW_DEPRECATED_SKLEARN_PACKAGE_INSTALL lets it through.
 */
export function rejectSklearnStub(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined): void {
  if (/SKLEARN_ALLOW_DEPRECATED_SKLEARN_PACKAGE_INSTALL/.test(facts.body.map((e) => e.ins.text).join("\n"))) return;
  const spec = pins?.get("sklearn")?.[0];
  if (spec === undefined) return;
  const step = steps.find((s) => s.kind === "deps" && s.tool === "pip")!;
  throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text}\` cannot run: it installs "${spec}", the deprecated sklearn package, whose build has raised on every install since 2023-12-01 (install scikit-learn instead)`);
}
