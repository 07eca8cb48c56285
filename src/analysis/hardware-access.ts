import type { BuildContext } from "./context.js";
import { composeElevatedPrivileges } from "./compose.js";
import type { Facts } from "./facts.js";
import type { Stack } from "./stack.js";
import { isRootUser } from "../transforms/common/user.js";

/**
 * Libraries that open raw Bluetooth HCI sockets (CAP_NET_RAW and CAP_NET_ADMIN) or the GPIO, I2C and SPI
 * device nodes (root's, or a group's the image does not give the runtime user). In Docker only the
 * container's root holds capabilities, so the non-root user's first scan or pin access fails.
 */
const hardwareLibraries: Record<Exclude<Stack, "static">, { name: string; what: string }[]> = {
  go: [
    { name: "github.com/go-ble/ble", what: "raw Bluetooth HCI sockets" },
    { name: "github.com/currantlabs/ble", what: "raw Bluetooth HCI sockets" },
    { name: "github.com/paypal/gatt", what: "raw Bluetooth HCI sockets" },
    { name: "github.com/bettercap/gatt", what: "raw Bluetooth HCI sockets" },
    { name: "github.com/stianeikeland/go-rpio", what: "/dev/gpiomem or /dev/mem" },
  ],
  python: [
    { name: "bluepy", what: "raw Bluetooth HCI sockets" },
    { name: "RPi.GPIO", what: "/dev/gpiomem or /dev/mem" },
    { name: "smbus2", what: "the I2C device nodes /dev/i2c-*" },
    { name: "smbus", what: "the I2C device nodes /dev/i2c-*" },
    { name: "spidev", what: "the SPI device nodes /dev/spidev*" },
  ],
  node: [
    { name: "@abandonware/noble", what: "raw Bluetooth HCI sockets" },
    { name: "noble", what: "raw Bluetooth HCI sockets" },
    { name: "@abandonware/bleno", what: "raw Bluetooth HCI sockets" },
    { name: "bleno", what: "raw Bluetooth HCI sockets" },
    { name: "rpio", what: "/dev/gpiomem or /dev/mem" },
  ],
};

/** Why a root-run original that reaches hardware must keep root, or undefined. */
export function hardwareAccessRoot(context: BuildContext, facts: Facts, stack: Stack): string | undefined {
  if (facts.user !== undefined && !isRootUser(facts.user)) return undefined;
  const granted = composeElevatedPrivileges(context)[0];
  if (granted) return `${granted.file} line ${granted.line} gives the service ${granted.key === "privileged" ? "privileged: true" : granted.key}: Docker grants capabilities and devices to the container's root, and a non-root user gets no effective capabilities and only the device nodes' own permissions`;
  if (stack === "static") return undefined;
  const used = usedLibrary(context, stack);
  return used && `${used.file} uses ${used.library.name}, which opens ${used.library.what}: in Docker only the container's root has the capabilities or device access that needs, so a non-root user's program fails at its first access`;
}

function usedLibrary(context: BuildContext, stack: Exclude<Stack, "static">): { file: string; library: { name: string; what: string } } | undefined {
  for (const file of dependencyFiles(context, stack)) {
    const text = context.read(file);
    if (!text) continue;
    const library = hardwareLibraries[stack].find((l) => declares(text, stack, l.name));
    if (library) return { file, library };
  }
  return undefined;
}

function dependencyFiles(context: BuildContext, stack: Exclude<Stack, "static">): string[] {
  const dirs = ["", ...(context.dockerfileDir ? [`${context.dockerfileDir}/`] : [])];
  const names = stack === "go" ? ["go.mod"] : stack === "node" ? ["package.json"] : ["pyproject.toml", "Pipfile", "setup.py"];
  const files = dirs.flatMap((d) => names.map((n) => `${d}${n}`));
  if (stack === "python") files.push(...context.list().filter((p) => /^([^/]+\/)?requirements[\w.-]*\.(txt|in)$/.test(p)));
  return files;
}

function declares(text: string, stack: Exclude<Stack, "static">, name: string): boolean {
  const quoted = name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  if (stack === "go") return new RegExp(`^\\s*(require\\s+)?${quoted}\\s+v`, "m").test(text);
  if (stack === "node") return new RegExp(`"${quoted}"\\s*:`).test(text);
  // a requirement line, a pyproject/Pipfile entry or a setup.py install_requires string, in any case
  return new RegExp(`(^|["'\\s])${quoted.replace(/\\\./g, "[._-]")}\\s*(\\[[^\\]]*\\]\\s*)?($|[<>=!~;"'\\s,@])`, "im").test(text);
}
