import type { Facts } from "../../analysis/facts.js";
import { osPackagesInstalled } from "../../analysis/os-packages-installed.js";
import { unusable } from "../../errors.js";
import type { NodeProject } from "./project.js";

/**
 * Rejects (exit 2) a Prisma 2–6 project on a Debian slim node image from bookworm on (node:18-slim and
 * later) that installs no OpenSSL: those images have no libssl (nodejs/docker-node#1919), Prisma's
 * query engine is a library linked against it, and Prisma Client stops with
 * PrismaClientInitializationError ("libssl.so…: cannot open shared object file") at its first connect.
 * Prisma 7's default client has no such engine.
 */
export function rejectPrismaOnSlimWithoutOpenssl(facts: Facts, project: NodeProject, nodeMajor: number | undefined): void {
  const image = facts.resolvedImage;
  if (image.name !== "node" || !/(^|-)slim(-|$)/.test(image.tag) || /(buster|bullseye|stretch)/.test(image.tag) || nodeMajor === undefined || !(nodeMajor >= 18)) return;
  const spec = project.dependencies["@prisma/client"] ?? project.dependencies["prisma"];
  const major = Number(/(\d+)/.exec(spec ?? "")?.[1]);
  if (!(major >= 2 && major <= 6)) return;
  if (osPackagesInstalled(facts).some((p) => /^(openssl|libssl[\w.-]*)([=:]|$)/.test(p))) return;
  throw unusable(`line ${facts.fromIns.startLine + 1}: Prisma cannot load its query engine on ${image.raw}: Debian's slim images from bookworm on have no libssl, which the engine of Prisma ${major} (${spec}) links against, so Prisma Client stops with PrismaClientInitializationError ("libssl.so…: cannot open shared object file") at its first connect (install openssl with apt-get, or use node:${nodeMajor})`);
}
