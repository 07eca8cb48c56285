import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { requirementPins, type PythonStep } from "./tools.js";
import { imagePython } from "./uv-python.js";

/**
 * Rejects (exit 2) grpcio before 1.66.2 installed on Python 3.13 or newer: its first wheels for 3.13
 * came with 1.66.2, and the source build of older releases stops with "'_PyInterpreterState_GetConfig'
 * was not declared in this scope", a function Python 3.13 removed (grpc/grpc#38790).
 */
export function rejectGrpcioBeforePython313(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  const python = imagePython(facts);
  if (!python || python.major !== 3 || python.minor < 13) return;
  for (const step of steps.filter((s) => s.kind === "deps")) {
    for (const { version, where } of requirementPins(facts, step, context, "grpcio")) {
      const [major, minor, patch = 0] = version.split(".").map(Number);
      if (major !== 1 || minor === undefined || Number.isNaN(minor) || minor > 66 || (minor === 66 && patch >= 2)) continue;
      throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text}\` cannot run: grpcio ${version} (${where}) has no wheel for ${facts.resolvedImage.raw}'s ${python.label}, and its source build stops with "'_PyInterpreterState_GetConfig' was not declared" there; pin a grpcio release with wheels for that Python (from 1.66.2 for 3.13), or use a python:3.12 image`);
    }
  }
}
