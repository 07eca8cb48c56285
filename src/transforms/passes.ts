import type { Stack } from "../analysis/stack.js";
import { goPass } from "./go/index.js";
import { nodePass } from "./node/index.js";
import { pythonPass } from "./python/index.js";
import { staticPass } from "./static/index.js";
import type { StackPass } from "./types.js";

const passes: Record<Stack, StackPass> = { node: nodePass, python: pythonPass, go: goPass, static: staticPass };

export function passFor(stack: Stack): StackPass {
  return passes[stack];
}

export const allPasses: readonly StackPass[] = Object.values(passes);
