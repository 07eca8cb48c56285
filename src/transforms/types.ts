import type { BuildContext } from "../analysis/context.js";
import type { Facts } from "../analysis/facts.js";
import type { StackDetection } from "../analysis/stack.js";
import type { PlanLine } from "../plan/types.js";
import type { Report } from "../report.js";
import type { Family } from "./common/base-images.js";
import type { OsPackagePlan } from "./common/os-packages.js";

export type TestsMode = "gate" | "target";
export type RuntimePreference = "auto" | "slim" | "alpine" | "distroless" | "scratch";

export interface ConvertOptions {
  /** The build context; without one msb assumes nothing about files. */
  context?: BuildContext;
  /** The context was named by the user (`--context`): a COPY source it lacks is an error, not a warning. */
  explicitContext?: boolean;
  /** Validate the converted text before returning it (default true; `check`, which prints none, validates only what --fix writes). */
  validateOutput?: boolean;
  /** gate (default): a plain build runs the tests; target: tests run only with `--target test`. */
  tests?: TestsMode;
  runtime?: RuntimePreference;
  /** Add a `development` stage with dev dependencies and the dev command. */
  dev?: boolean;
  /** Select the final stage with this build argument (implies `dev`). */
  selectByArg?: string;
  /** Use BuildKit cache mounts for package manager caches. */
  cache?: boolean;
  /** Put the dependency install in a `deps` stage of its own that the build starts from. */
  splitDeps?: boolean;
  /** Leave ENV values that look like secrets out of the runtime image (default: kept, with a warning). */
  dropSecretEnv?: boolean;
  /** Node.js: set NODE_ENV=production in the runtime even though the original did not (a behaviour change). */
  nodeEnvProduction?: boolean;
}

export type ResolvedOptions = Required<Omit<ConvertOptions, "context" | "explicitContext" | "validateOutput" | "selectByArg">> & { selectByArg?: string };

export interface RuntimeUser {
  name: string;
  /** The group files are given to; absent when only the user's own primary group is known to exist (the engine then takes it from /etc/passwd). */
  group?: string;
  /** RUN line that creates the user, when the runtime image lacks it. */
  create?: string;
  /** Whether the app directory is handed to this user (it may write there). */
  ownsApp: boolean;
}

/** What a stack pass decides; the common assembler turns it into stages. */
export interface StackDecision {
  runtimeImage: string;
  family: Family;
  user: RuntimeUser;
  /** Lines inserted into the build stage before the body instruction with that index (-1: right after FROM; the body's length: at the end). */
  buildInserts: Map<number, PlanLine[]>;
  /** Body instructions left out of the build (e.g. a static server the runtime replaces). */
  omit?: Set<number>;
  /** `COPY --from=<image>` instructions (body indices) that bring build tools only: not repeated in the runtime. */
  buildOnlyImageCopies?: Set<number>;
  /** Body instructions emitted earlier: index → the index they are moved in front of. */
  moves: Map<number, number>;
  /** Rewritten text of other body instructions (a COPY whose destination moves into the virtual environment): body index → text. */
  instructionRewrites?: Map<number, string>;
  /** Rewritten simple commands of RUN steps: body index → segment index → new segment text. */
  segmentRewrites: Map<number, Map<number, string>>;
  /** Cache mount targets for RUN steps that install or build (used with `cache`): body index → targets. */
  cacheTargets: Map<number, string[]>;
  /** A RUN line that strips build-only files after the tests ran (node: prune dev dependencies). */
  pruneStep?: string;
  runtimeEnv: string[];
  runtimeSetup: string[];
  /** Setup lines that run as root before the user switch and read files from the given stage. */
  runtimeSetupFrom?(source: string): string[];
  /** COPY lines that bring the application from the given stage. */
  appCopies(source: string): string[];
  /** Replaces the original ENTRYPOINT/CMD in the runtime stage. */
  startOverride?: PlanLine[];
  /** OS packages the runtime needs besides the original's (installed with them, in one step). */
  runtimePackages?: string[];
  /** The original's runtime OS packages as the pass wants them installed (default: the common split's). */
  osRuntimePackages?: string[];
  /** Whether runtime OS packages are installed with the runtime family's package manager. */
  installsRuntimePackages: boolean;
  /** Replaces the original's WORKDIR in the runtime stage (e.g. one only root can enter). */
  runtimeWorkdir?: string;
  /** Whether the app directory (the final WORKDIR) is copied whole into the runtime. */
  copiesWorkdir: boolean;
  /** Paths outside the WORKDIR that the context filled but are only build inputs (a compiled stack's sources). */
  buildInputsOutsideWorkdir?: (path: string) => boolean;
  /** Paths outside the WORKDIR, filled by the context or by build steps, that the runtime has its own copy of (nginx's site and configuration). */
  providedByRuntime?: (path: string) => boolean;
  /** The command of the development stage, when `dev` is asked for. */
  devCommand?: string;
}

export interface PassInput {
  facts: Facts;
  detection: StackDetection;
  options: ResolvedOptions;
  report: Report;
  context: BuildContext;
  /** The context is evidently the one the build uses (given with --context, or it holds what the Dockerfile copies): what it lacks is an error. */
  contextEvident: boolean;
  /** Commands the runtime runs (start command, healthcheck, scripts they call), for "is X needed at run time". */
  runtimeText: string;
  /** The original's OS packages split into build-only and runtime, computed once for every pass. */
  osPackages: OsPackagePlan | undefined;
  /** Why the runtime must keep running as root (a GitHub Docker action), when it must. */
  rootRequired?: string;
  /** Programs the application's code starts by name (`subprocess.run(["ping", …])`). */
  programsAppRuns?: readonly string[];
  /** The original ran in `/`, where it was copied; msb moved it under its own WORKDIR. */
  movedFromRoot?: boolean;
}

/** A stack pass: like a lint rule, a declared purpose and a pure function. */
export interface StackPass {
  name: string;
  description: string;
  plan(input: PassInput): StackDecision;
}
